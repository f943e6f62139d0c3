"""Metrics pages: the admin's upload of observations.

The view parses the form, asks metrics.policies, calls the import service and renders its report.
Anybody but the autonomy office gets a 404, as on the other admin-only pages. A file the form
refuses, or one with bad rows, answers 400 with the reasons; an htmx request gets the panel alone,
with 200, since htmx leaves the page as it is on an error status.
"""

from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from core.errors import NotPermitted
from metrics.formatting import format_value
from metrics.forms import ObservationImportForm
from metrics.models import plain
from metrics.policies import can_import_observations
from metrics.selectors import metrics_for_import_help
from metrics.services import MAX_LISTED_ERRORS, observations_import_csv

SAMPLE_SHARE = Decimal("0.41667")  # an example value with decimals to round, 5/12 of the way up the range


@require_http_methods(["GET", "POST"])
@login_required
def observation_import(request):
    if not can_import_observations(request.user):
        raise Http404("No such page.")
    form, report, file_name, status = ObservationImportForm(), None, "", 200
    if request.method == "POST":
        form = ObservationImportForm(request.POST, request.FILES)
        if form.is_valid():
            file_name = form.cleaned_data["file"].name
            try:
                report = observations_import_csv(text=form.text, label=file_name, actor=request.user)
            except NotPermitted:  # the role was taken away since the check above
                raise Http404("No such page.") from None
            form = ObservationImportForm()  # the next file starts from an empty field
        status = 200 if report is not None and report.ok else 400
    context = {"form": form, "report": report, "file_name": file_name, "max_listed": MAX_LISTED_ERRORS}
    if request.htmx:
        return render(request, "metrics/observation_import.html#import-panel", context)
    context["metrics"] = [
        (metric.code, metric.name, _range(metric), _shown(metric)) for metric in metrics_for_import_help()
    ]
    return render(request, "metrics/observation_import.html", context, status=status)


def _shown(metric) -> str:
    """How a value in the file reads on the portal's pages, for an example within the metric's range."""
    low = metric.min_value if metric.min_value is not None else Decimal(0)
    high = metric.max_value if metric.max_value is not None else low + 100
    return format_value(metric, (low + (high - low) * SAMPLE_SHARE).quantize(Decimal("0.0001")))


def _range(metric) -> str:
    low = "any" if metric.min_value is None else plain(metric.min_value)
    high = "any" if metric.max_value is None else plain(metric.max_value)
    return f"{low}–{high}"
