"""Support's landing page, the navigation's "Support": each person's part of central office's service."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from support.policies.networks import can_view_networks
from support.policies.staff import departments_of
from support.selectors.home import support_desk


@require_safe
@login_required
def support_home(request):
    if not (can_view_networks(request.user) or departments_of(request.user)):
        raise Http404("Support is for the district's staff.")
    return render(request, "support/home.html", {"sections": support_desk(user=request.user)})
