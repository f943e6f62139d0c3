"""Outcomes around the grant (/impact/outcomes/): the event study of a metric for a chosen autonomy,
domain or model (impact.services.event_study), its chart, its table, its caveats and its CSV."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_safe

from autonomy.models import AccountabilityModel, Autonomy, Domain
from impact.charts import event_study_chart, horizon_words
from impact.forms import OutcomesForm
from impact.selectors.composition import composition_check
from impact.selectors.panel import Selection
from impact.selectors.pilots import comparisons_current
from impact.services.event_study import MIN_SCHOOLS, PRE_TREND_ALPHA
from impact.services.outcomes import outcomes_estimate
from impact.views.common import csv_response, evaluation_team_only
from metrics.formatting import format_change
from metrics.models import Metric


def _chosen(form) -> tuple[Selection, Metric, str]:
    data = form.cleaned_data
    selection = Selection(autonomy=data["autonomy"], domain=data["domain"], model=data["model"])
    if selection.autonomy:
        title = f"“{Autonomy.objects.get(code=selection.autonomy).name}”"
    elif selection.domain:
        title = f"any {Domain(selection.domain).label.lower()} autonomy"
    else:
        title = f"any autonomy under {AccountabilityModel(selection.model).label.lower()}"
    return selection, Metric.objects.get(code=data["metric"]), title


def _study(request):
    form = OutcomesForm(request.GET or None, comparisons=comparisons_current())
    if not form.is_bound or not form.is_valid():
        return form, None, None, None, None
    selection, metric, title = _chosen(form)
    study = outcomes_estimate(metric_id=metric.pk, selection=selection, comparison=form.comparison())
    return form, selection, metric, title, study


def _caveats(study, metric, comparison=None) -> list[str]:
    words = []
    if not study.estimated:
        words.append(
            f"Too few schools to tell: {study.granted_schools} granted school"
            f"{'s' if study.granted_schools != 1 else ''} with a value the year before the grant and "
            f"{study.comparison_schools} never granted; at least {MIN_SCHOOLS} of each are needed."
        )
        return words
    if study.hidden:
        years = "; ".join(horizon_words(h.years) for h in study.hidden)
        words.append(f"Too few schools to tell for {years} (fewer than {MIN_SCHOOLS} granted schools each).")
    if study.pre_trend_differs:
        words.append(
            "The trend before the grant already differed: granted schools were moving apart from the others "
            "before they held the autonomy, so the years after cannot be read as its effect."
        )
    elif study.pre_trend_p is None:
        words.append("The trend before the grant could not be checked: too few years of data before it.")
    after = study.after
    if after and all(h.covers_zero for h in after):
        words.append(
            "In every year after the grant the range includes no change: the data cannot tell an effect from none."
        )
    if comparison is not None:
        words.append(
            f"The comparison is with the group kept for {comparison.cohort.name}: schools matched to the pilot's "
            f"on {comparison.metric.name}, enrollment and the students' needs in {comparison.prior_year}; "
            "a difference can still come from what the matching did not see."
        )
    else:
        words.append(
            "Schools were not granted autonomy at random; the comparison is with schools not yet granted it, "
            "so a difference can still come from what led the district to choose them."
        )
    return words


@require_safe
@login_required
def outcomes_page(request):
    evaluation_team_only(request)
    form, selection, metric, title, study = _study(request)
    if form.is_bound and study is None:
        return render(request, "impact/outcomes.html", {"form": form, "section": "outcomes"}, status=400)
    context = {"form": form, "section": "outcomes", "study": study, "metric": metric, "title": title}
    if study is not None:
        comparison = form.comparison()
        context.update(
            comparison=comparison,
            chart=event_study_chart(
                study,
                metric=metric,
                against="the pilot's comparison group" if comparison else "schools not yet granted",
            ),
            caveats=_caveats(study, metric, comparison),
            rows=[(h, horizon_words(h.years), _change(metric, h)) for h in study.horizons if h.years != -1],
            alpha=PRE_TREND_ALPHA,
            average=format_change(metric, study.average_after) if study.average_after is not None else "",
            query=request.GET.urlencode(),
            composition=composition_check(selection=selection),
            min_schools=MIN_SCHOOLS,
        )
    return render(request, "impact/outcomes.html", context)


def _change(metric, h):
    if not h.shown:
        return None
    return (format_change(metric, h.estimate), format_change(metric, h.low), format_change(metric, h.high))


@require_safe
@login_required
def outcomes_csv(request):
    evaluation_team_only(request)
    form, selection, metric, title, study = _study(request)
    if study is None:
        return render(request, "impact/outcomes.html", {"form": form, "section": "outcomes"}, status=400)
    header = ["metric", "years_since_grant", "granted_schools", "estimate", "ci_low_95", "ci_high_95", "p_value"]
    lines = [
        [
            metric.code,
            h.years,
            h.schools,
            *(
                ("",) * 4
                if not h.shown
                else (round(h.estimate, 3), round(h.low, 3), round(h.high, 3), round(h.p_value, 4))
            ),
        ]
        for h in study.horizons
    ]
    lines.append(
        [
            metric.code,
            "pre_grant_trend_check_p",
            "",
            "",
            "",
            "",
            "" if study.pre_trend_p is None else round(study.pre_trend_p, 4),
        ]
    )
    return csv_response("autonomy-outcomes.csv", header, lines)
