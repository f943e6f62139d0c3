"""What the public pages, files and API publish, read from the other apps' models (read-only) and passed
through the suppression policy (reports.services.suppression) before anything leaves this module or its two
siblings (selectors_pages: the school and autonomy pages; selectors_open_data: the files and the API).

Only what is public is read: grants a school holds or held (never a request), active contracts (never a
draft), the results of evaluation runs, flags by their rung and date (never a note, a plan or evidence),
and people by their name (never an email). Every read is a fixed number of queries, whatever the number
of schools.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from accountability.models import BenchmarkResult
from autonomy.models import AccountabilityModel, Autonomy, AutonomyGrant, Domain, GrantEvent, GrantStatus
from contracts.models import ContractStatus
from metrics.formatting import format_value
from metrics.models import Observation
from reports.services.publishing import masked_cells_record, rules_in_force
from reports.services.suppression import Cell, PolicyRules, SuppressionResult, cells_suppress
from schools.models import Network, School, SchoolYear
from schools.periods import school_year_label

TREND_YEARS = 4
SHOWN_STATUSES = (GrantStatus.ACTIVE, GrantStatus.AT_RISK, GrantStatus.SUSPENDED)

DOMAIN_WORDS = {
    Domain.PEOPLE: _("People"),
    Domain.TIME: _("Time"),
    Domain.MONEY: _("Money"),
    Domain.PROGRAM: _("Program"),
}
MODEL_WORDS = {
    AccountabilityModel.EARNED: _("Earned"),
    AccountabilityModel.FULL: _("Full, with expectations"),
    AccountabilityModel.PROGRAMMATIC: _("By request"),
}
GRANT_STATUS_WORDS = {
    GrantStatus.ACTIVE: _("Held"),
    GrantStatus.AT_RISK: _("At risk"),
    GrantStatus.SUSPENDED: _("Suspended"),
    GrantStatus.REVOKED: _("Revoked"),
    GrantStatus.EXPIRED: _("Ended"),
}
RESULT_WORDS = {"met": _("Met"), "not_met": _("Not met"), "no_data": _("No data")}
RATING_WORDS = {
    "exceeds": _("Exceeds"),
    "meets": _("Meets"),
    "does_not_meet": _("Does not meet"),
    "falls_far_below": _("Falls far below"),
}
RUNG_WORDS = {
    1: _("Notice of concern"),
    2: _("Corrective action plan required"),
    3: _("Intensified support"),
    4: _("Autonomy at risk"),
    5: _("Autonomy suspended"),
    6: _("Autonomy revoked"),
}


def school_year_of(day: datetime.date) -> str:
    """The school year a day falls in, as 2026-27 (a year starts in July)."""
    return school_year_label(day.year if day.month >= 7 else day.year - 1)


def results_year(today: datetime.date) -> str:
    """The latest school year, up to this one, for which an evaluation published results: "this year's
    result" before the first run of a new year is last year's. One query."""
    current = school_year_of(today)
    latest = (
        BenchmarkResult.objects.filter(benchmark__contract__status=ContractStatus.ACTIVE, period__lte=current)
        .order_by("-period")
        .values_list("period", flat=True)
        .first()
    )
    return latest or current


def _year_start(label: str) -> datetime.date:
    year = SchoolYear.objects.filter(label=label).values_list("start_date", flat=True).first()
    return year or datetime.date(int(label[:4]), 7, 1)


def observations_n(keys: set[tuple[int, int, str]]) -> dict[tuple[int, int, str], int | None]:
    """The n of each (school id, metric id, period) observation: one query (none without keys)."""
    if not keys:
        return {}
    schools = {k[0] for k in keys}
    metrics = {k[1] for k in keys}
    periods = {k[2] for k in keys}
    rows = Observation.objects.filter(school_id__in=schools, metric_id__in=metrics, period__in=periods).values_list(
        "school_id", "metric_id", "period", "n"
    )
    return {(s, m, p): n for s, m, p, n in rows.order_by()}


def suppress_and_record(cells: list[Cell], *, surface: str, rules: PolicyRules | None = None) -> SuppressionResult:
    """The one door out: the cells through the policy in force, what it masked recorded (one query)."""
    rules = rules or rules_in_force()
    result = cells_suppress(cells, rules)
    masked_cells_record(surface=surface, masked=result.masked, rules=rules)
    return result


def published_text(result: SuppressionResult, key: str, metric) -> str:
    cell = result[key]
    if cell.text:
        return cell.text
    return format_value(metric, cell.value)


# --- the register ---------------------------------------------------------------------------------


@dataclass
class RegisterRow:
    school: School
    grants: list[AutonomyGrant] = field(default_factory=list)
    met: int = 0
    rated: int = 0


@dataclass
class Register:
    year: str
    results_year: str
    rows: list[RegisterRow]
    autonomies: list[Autonomy]
    holders: dict[int, int]  # autonomy id → schools holding it
    changes: dict[str, int]  # granted, at_risk, suspended, revoked this school year
    networks: list[Network]


def _held_grants(today: datetime.date):
    return (
        AutonomyGrant.objects.filter(status__in=SHOWN_STATUSES, starts_on__lte=today)
        .select_related("autonomy")
        .only(
            "school_id",
            "status",
            "starts_on",
            "model",
            "autonomy__code",
            "autonomy__name",
            "autonomy__name_es",
            "autonomy__domain",
            "autonomy__display_order",
        )
        .order_by("autonomy__domain", "autonomy__display_order", "autonomy__name")
    )


def _ratings(school_ids: set[int] | None, year: str) -> dict[int, tuple[int, int]]:
    """Per school, (benchmarks met, benchmarks with a published result) this year on its active contract:
    a result whose value the policy hides is not counted, as its status would tell the hidden value."""
    results = BenchmarkResult.objects.filter(benchmark__contract__status=ContractStatus.ACTIVE, period=year)
    if school_ids is not None:
        results = results.filter(benchmark__contract__school_id__in=school_ids)
    rows = list(
        results.order_by().values_list("benchmark__contract__school_id", "benchmark__metric_id", "status", "pk")
    )
    ns = observations_n({(s, m, year) for s, m, _status, _pk in rows})
    cells = [Cell(str(pk), Decimal(0), ns.get((s, m, year))) for s, m, _status, pk in rows]
    hidden = {key for key, cell in cells_suppress(cells, rules_in_force()).cells.items() if cell.hidden}
    counts: dict[int, tuple[int, int]] = defaultdict(lambda: (0, 0))
    for school_id, _metric, status, pk in rows:
        if str(pk) in hidden or status == "no_data":
            continue
        met, rated = counts[school_id]
        counts[school_id] = (met + (status == "met"), rated + 1)
    return counts


def _changes_this_year(start: datetime.date) -> dict[str, int]:
    counts = {"granted": 0, "at_risk": 0, "suspended": 0, "revoked": 0}
    for from_status, to_status in GrantEvent.objects.filter(at__date__gte=start).values_list(
        "from_status", "to_status"
    ):
        if not from_status and to_status in (GrantStatus.ACTIVE, GrantStatus.AT_RISK):
            counts["granted"] += 1
        elif to_status in counts and from_status != to_status:
            counts[to_status] += 1
    return counts


def register_read(
    *, today: datetime.date, domain: str = "", model: str = "", network: Network | None = None
) -> Register:
    """Every school with the autonomies it holds, filtered; the totals. Seven queries for any district."""
    year = school_year_of(today)
    schools = School.objects.select_related("network").only("code", "name", "grade_band", "network__name")
    if network is not None:
        schools = schools.filter(network=network)
    grants = _held_grants(today)
    if domain:
        grants = grants.filter(autonomy__domain=domain)
    if model:
        grants = grants.filter(model=model)
    by_school: dict[int, list[AutonomyGrant]] = defaultdict(list)
    for grant in grants:
        by_school[grant.school_id].append(grant)
    rated_year = results_year(today)
    ratings = _ratings(None, rated_year)
    rows = []
    for school in schools.order_by("name", "id"):
        if (domain or model) and not by_school.get(school.pk):
            continue
        met, rated = ratings.get(school.pk, (0, 0))
        rows.append(RegisterRow(school=school, grants=by_school.get(school.pk, []), met=met, rated=rated))
    holders: dict[int, int] = defaultdict(int)
    shown_ids = {row.school.pk for row in rows}
    for school_id, held in by_school.items():
        if school_id in shown_ids:
            for grant in held:
                if grant.status != GrantStatus.SUSPENDED:
                    holders[grant.autonomy_id] += 1
    autonomies = Autonomy.objects.order_by("domain", "display_order", "name")
    if domain:
        autonomies = autonomies.filter(domain=domain)
    if model:
        autonomies = autonomies.filter(model=model)
    return Register(
        year=year,
        results_year=rated_year,
        rows=rows,
        autonomies=list(autonomies.only("code", "name", "name_es", "domain", "model", "display_order")),
        holders=dict(holders),
        changes=_changes_this_year(_year_start(year)),
        networks=list(Network.objects.order_by("name")),
    )


# --- a school ---------------------------------------------------------------------------------------
