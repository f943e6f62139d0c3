"""The district planning calendar: the page everyone with a role reads, the private feed address each person
makes for a calendar app, the feed itself (no login: its token is its key), and the office's milestone forms.

Who holds no role is told there is no such page (404); who reads the calendar but may not change it is
refused (403), as the milestones are no secret to them.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.dateformat import format as date_format
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core.errors import Conflict, NotFound, NotPermitted
from core.form_pages import form_submit
from core.idempotency import create_once, once_per_form_key
from support.forms.calendar import CalendarFilterForm, MilestoneForm
from support.policies.calendar import can_manage_milestones, can_subscribe_calendar, can_view_calendar
from support.selectors.calendar import (
    calendar_entries,
    calendar_feed_of,
    calendar_feed_owner,
    calendar_months,
    dates_text,
    district_name_and_zone,
    district_today,
    feed_school_years,
    milestone_get,
    school_year_current,
    school_years_all,
)
from support.services.calendar import (
    calendar_feed_for,
    calendar_feed_replace,
    milestone_create,
    milestone_delete,
    milestone_update,
)
from support.services.calendar_ics import calendar_ics

PAGE = "support/calendar/calendar.html"


def _readers_only(user) -> None:
    if not can_view_calendar(user):
        raise Http404("No such page.")


def _refused(request, message: str, *, status: int):
    return render(request, "support/calendar/refused.html", {"message": message}, status=status)


# --- the calendar page ------------------------------------------------------------------------------


def _feed_addresses(request, token: str) -> dict:
    https = request.build_absolute_uri(reverse("support:calendar_feed", args=[token]))
    return {"https": https, "webcal": "webcal://" + https.split("://", 1)[1]}


def _filters(query, years, current) -> dict:
    """The filters asked for, where a missing or unknown year is the current one: the year's box then shows
    the year the page lists, never another."""
    data = {"year": query.get("year", ""), "kind": query.get("kind", "")}
    if data["year"] not in {year.label for year in years}:
        data["year"] = current.label if current else ""
    return data


def _render_calendar(request, *, new_token: str = "", refusal: str = "", status: int = 200):
    user = request.user
    _, zone = district_name_and_zone()
    today = district_today(zone)
    years = school_years_all()
    current = school_year_current(years, today)
    form = CalendarFilterForm(_filters(request.GET, years, current), years=years)
    year, kind = form.chosen(current)
    entries = calendar_entries(school_years=[year] if year else [], kind=kind)
    months = [(label, [(entry, *entry.timing(today)) for entry in group]) for label, group in calendar_months(entries)]
    # The first date not yet past (entries are by their first day, so a span under way comes first), and its month.
    next_up = next(((label, row) for label, rows in months for row in rows if row[1] != "past"), None)
    context = {
        "form": form,
        "year": year,
        "kind": kind,
        "months": months,
        "next_month": next_up[0] if next_up else "",
        "next_up": next_up[1] if next_up else None,
        "entry_count": len(entries),
        "today": today,
        "can_manage": bool(can_manage_milestones(user)),
        "feed": calendar_feed_of(user=user),
        "new_address": _feed_addresses(request, new_token) if new_token else None,
        "refusal": refusal,
    }
    template = PAGE + "#calendar-results" if request.htmx and request.method == "GET" else PAGE
    return render(request, template, context, status=status)


@require_safe
@login_required
def calendar(request):
    _readers_only(request.user)
    return _render_calendar(request)


# --- the private feed address -----------------------------------------------------------------------


@require_POST
@login_required
def calendar_feed_make(request):
    """The address is shown once, in this answer: only its hash is kept (support.services.calendar)."""
    _readers_only(request.user)
    try:
        feed, token = calendar_feed_for(user=request.user)
    except NotPermitted:
        raise Http404("No such page.") from None
    except Conflict as error:
        return _render_calendar(request, refusal=error.message, status=409)
    if token is None:
        made = date_format(timezone.localtime(feed.updated_at), translation.gettext("F j, Y"))
        message = translation.gettext(
            "You already have a private address (made %(made)s). It was shown only once, when it was made; "
            "to see one again, replace it."
        ) % {"made": made}
        return _render_calendar(request, refusal=message, status=409)
    return _render_calendar(request, new_token=token, status=201)


@require_POST
@login_required
def calendar_feed_replace_view(request):
    _readers_only(request.user)
    try:
        _, token = calendar_feed_replace(user=request.user)
    except NotPermitted:
        raise Http404("No such page.") from None
    except Conflict as error:
        return _render_calendar(request, refusal=error.message, status=409)
    return _render_calendar(request, new_token=token)


@require_safe
def calendar_feed(request, token: str):
    """No login: a calendar app cannot sign in. An unknown or replaced token, or an owner who may no longer
    read the calendar, answers 404 and nothing else."""
    owner = calendar_feed_owner(token=token)
    if owner is None or not can_subscribe_calendar(owner):
        raise Http404("No such calendar.")
    name, zone = district_name_and_zone()
    years = school_years_all()
    # The feed is a file a calendar app fetches, not a page: it stays in the site's language whatever the
    # fetcher's Accept-Language says, so the events do not change language between two fetches.
    with translation.override(settings.LANGUAGE_CODE):
        entries = calendar_entries(school_years=feed_school_years(years, district_today(zone)))
        body = calendar_ics(
            entries=entries,
            name=f"{name} planning calendar",
            page_url=request.build_absolute_uri(reverse("support:calendar")),
            host=request.get_host().split(":")[0].lower(),
            time_zone=zone,
        )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="planning-calendar.ics"'
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "no-referrer"
    return response


# --- the office's milestone forms -------------------------------------------------------------------


def _office_only(request):
    """None when the user may change milestones; else the answer to give."""
    _readers_only(request.user)
    decision = can_manage_milestones(request.user)
    return None if decision else _refused(request, decision.reason, status=403)


def _render_form(request, form, *, milestone=None, status=200):
    return render(
        request, "support/calendar/milestone_form.html", {"form": form, "milestone": milestone}, status=status
    )


def _calendar_of(milestone) -> str:
    return f"{reverse('support:calendar')}?year={milestone.school_year.label}"


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
@once_per_form_key
def milestone_create_view(request):
    if refused := _office_only(request):
        return refused
    form = MilestoneForm(request.POST if request.method == "POST" else None)

    def create():
        return milestone_create(actor=request.user, **form.cleaned_data)

    milestone, status = form_submit(
        request,
        form,
        lambda: create_once(request, create, result=lambda m: (_calendar_of(m), f"the milestone “{m.title}”")),
        hidden=True,
    )
    if status is not None:
        return _render_form(request, form, status=status)
    messages.success(request, f"“{milestone.title}” is on the calendar, {_dates(milestone)}.")
    return redirect(_calendar_of(milestone))


def _dates(milestone) -> str:
    return dates_text(milestone.on, milestone.ends_on or milestone.on)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def milestone_edit(request, pk: int):
    if refused := _office_only(request):
        return refused
    milestone = milestone_get(pk=pk)
    form = MilestoneForm(
        request.POST if request.method == "POST" else None, initial=MilestoneForm.initial_of(milestone)
    )
    saved, status = form_submit(
        request, form, lambda: milestone_update(actor=request.user, milestone_id=pk, **form.cleaned_data), hidden=True
    )
    if status is not None:
        return _render_form(request, form, milestone=milestone, status=status)
    messages.success(request, f"“{saved.title}” is saved, {_dates(saved)}.")
    return redirect(_calendar_of(saved))


@require_POST
@login_required
def milestone_delete_view(request, pk: int):
    if refused := _office_only(request):
        return refused
    try:
        milestone = milestone_delete(actor=request.user, milestone_id=pk)
    except NotFound:
        raise Http404("No such milestone.") from None
    except NotPermitted:
        raise Http404("No such page.") from None
    messages.success(request, f"“{milestone.title}” ({_dates(milestone)}) is off the calendar.")
    return redirect(_calendar_of(milestone))
