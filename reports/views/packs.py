"""The autonomy office's packs: the board decision pack for a range of dates (a page and its PDF) and the
auditor dossier of a school and school year (a zip). Only the autonomy office sees these pages; anyone
else is answered 404, as the office's other pages do. Bad dates re-render the form, naming the field, 400.
"""

from functools import wraps
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from reports.forms_packs import BoardPackForm, DossierForm
from reports.services.packs import auditor_dossier_build, board_pack_build, render_board_pack_pdf
from schools.policies import autonomy_office


def _office_page(view):
    """A page of the autonomy office's packs: read only, signed in, and 404 for anyone else."""

    @require_safe
    @login_required
    @wraps(view)
    def page(request):
        if not autonomy_office(request.user, "Only the autonomy office prepares board packs and dossiers."):
            raise Http404("No such page.")
        return view(request)

    return page


def _pack_form(request) -> BoardPackForm:
    return BoardPackForm(request.GET if ("since" in request.GET or "until" in request.GET) else None)


@_office_page
def pack_board(request):
    form = _pack_form(request)
    pack, query, status = None, "", 200
    if form.is_bound:
        if form.is_valid():
            since, until = form.cleaned_data["since"], form.cleaned_data["until"]
            pack = board_pack_build(since=since, until=until)
            query = urlencode({"since": since.isoformat(), "until": until.isoformat()})
        else:
            status = 400
    context = {"form": form, "pack": pack, "query": query}
    return render(request, "reports/pack_board.html", context, status=status)


@_office_page
def pack_board_pdf(request):
    form = BoardPackForm(request.GET)
    if not form.is_valid():
        return render(request, "reports/pack_board.html", {"form": form, "pack": None}, status=400)
    since, until = form.cleaned_data["since"], form.cleaned_data["until"]
    pack = board_pack_build(since=since, until=until)
    response = HttpResponse(render_board_pack_pdf(pack), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="board-pack-{since}-to-{until}.pdf"'
    return response


@_office_page
def dossier(request):
    return render(request, "reports/pack_dossier.html", {"form": DossierForm()})


@_office_page
def dossier_zip(request):
    form = DossierForm(request.GET)
    if not form.is_valid():
        return render(request, "reports/pack_dossier.html", {"form": form}, status=400)
    built = auditor_dossier_build(school=form.cleaned_data["school"], school_year=form.cleaned_data["school_year"])
    response = HttpResponse(built.content, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{built.filename}"'
    return response
