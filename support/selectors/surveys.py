"""The service surveys' reads: cycles with their counts, a cycle's results and a department's scorecard.

Results come only through support.survey_results, which suppresses small groups; these functions read the
tallies in a fixed number of queries (one per kind of grouping), however many departments, statements,
networks or cycles there are.
"""

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404

from schools.models import Network, School
from support.models import (
    POSITIVE_FROM,
    Department,
    SurveyAnswer,
    SurveyCycle,
    SurveyParticipation,
    SurveyStatus,
)
from support.policies.surveys import survey_departments_visible_to
from support.selectors.service_policy import service_policy_current
from support.survey_results import (
    NO_NETWORK,
    NO_NETWORK_NAME,
    Cell,
    DepartmentResults,
    cell,
    department_results,
    tally_from_row,
)

TALLY = {
    "respondents": Count("response", distinct=True),
    "answers": Count("id"),
    "total": Sum("value"),
    "positive": Count("id", filter=Q(value__gte=POSITIVE_FROM)),
}


def survey_cycles_list() -> QuerySet[SurveyCycle]:
    """Every cycle, newest first, with its number of statements and of answers (participations)."""
    cycles = SurveyCycle.objects.select_related("school_year").annotate(
        item_count=Count("items", distinct=True), answer_count=Count("participations", distinct=True)
    )
    return cycles.order_by("-opens_on", "-pk")  # a grouped query drops the model's own ordering


def survey_cycle_get(*, pk) -> SurveyCycle:
    cycle = survey_cycles_list().filter(pk=pk).first() if str(pk).isdigit() else None
    if cycle is None:
        raise Http404("No such survey.")
    return cycle


def survey_cycles_closed() -> QuerySet[SurveyCycle]:
    return SurveyCycle.objects.filter(status=SurveyStatus.CLOSED).select_related("school_year")


def survey_cycles_open_for(*, school_ids) -> list[tuple[SurveyCycle, set[int]]]:
    """Open cycles, each with the ids of these schools that have answered it (two queries)."""
    cycles = list(SurveyCycle.objects.filter(status=SurveyStatus.OPEN).select_related("school_year"))
    answered: dict[int, set[int]] = {}
    rows = SurveyParticipation.objects.filter(cycle__in=cycles, school_id__in=school_ids)
    for cycle_id, school_id in rows.values_list("cycle_id", "school_id"):
        answered.setdefault(cycle_id, set()).add(school_id)
    return [(cycle, answered.get(cycle.pk, set())) for cycle in cycles]


def survey_answered(*, user: AbstractBaseUser, cycle: SurveyCycle, school) -> bool:
    """Whether the cycle has been answered for this school, or by this person."""
    return SurveyParticipation.objects.filter(Q(school=school) | Q(user=user), cycle=cycle).exists()


def _network_names() -> dict[str, str]:
    """Every network, and the schools in none where the district has any: which rows there are depends on
    the district, never on who answered."""
    names = {str(pk): name for pk, name in Network.objects.order_by("name").values_list("pk", "name")}
    if School.objects.filter(network__isnull=True).exists():
        names[NO_NETWORK] = NO_NETWORK_NAME
    return names


@dataclass(frozen=True)
class CycleResults:
    cycle: SurveyCycle
    minimum: int
    departments: list[DepartmentResults]
    networks: dict[str, str]  # key → name, every network the results are split by


def survey_results(*, cycle: SurveyCycle, departments: tuple[str, ...] | list[str]) -> CycleResults:
    """The cycle's results for these departments, suppressed (support.survey_results). Six queries."""
    minimum = service_policy_current().survey_min_respondents
    answers = SurveyAnswer.objects.filter(response__cycle=cycle, department__in=departments)
    items = list(cycle.items.order_by("position"))
    item_tallies = {
        (row["department"], row["item_id"]): tally_from_row(row)
        for row in answers.values("department", "item_id").annotate(**TALLY).order_by()
    }
    network_tallies = {
        (row["department"], str(row["response__network_id"] or NO_NETWORK)): tally_from_row(row)
        for row in answers.values("department", "response__network_id").annotate(**TALLY).order_by()
    }
    names = _network_names()
    ordered = [d for d in Department.values if d in departments]
    return CycleResults(
        cycle=cycle,
        minimum=minimum,
        departments=department_results(
            departments=ordered,
            items=items,
            item_tallies=item_tallies,
            network_tallies=network_tallies,
            network_names=names,
            minimum=minimum,
        ),
        networks=names,
    )


def survey_results_for_user(*, user: AbstractBaseUser, cycle: SurveyCycle) -> CycleResults:
    return survey_results(cycle=cycle, departments=survey_departments_visible_to(user))


@dataclass(frozen=True)
class ScorecardPoint:
    cycle: SurveyCycle
    cell: Cell
    target_met: bool | None  # None where the figure is not shown


@dataclass(frozen=True)
class Scorecard:
    department: str
    name: str
    minimum: int
    target: int
    points: list[ScorecardPoint]  # oldest first, every closed cycle

    @property
    def latest(self) -> ScorecardPoint | None:
        return self.points[-1] if self.points else None


def department_scorecards(*, departments: tuple[str, ...] | list[str]) -> list[Scorecard]:
    """Each department's % positive in every closed cycle, suppressed, against the district's target.
    Three queries whatever the departments and cycles."""
    policy = service_policy_current()
    cycles = list(survey_cycles_closed().order_by("opens_on", "pk"))
    rows = (
        SurveyAnswer.objects.filter(response__cycle__in=[c.pk for c in cycles], department__in=departments)
        .values("department", "response__cycle_id")
        .annotate(**TALLY)
        .order_by()
    )
    tallies = {(row["department"], row["response__cycle_id"]): tally_from_row(row) for row in rows}
    labels = dict(Department.choices)
    cards = []
    for department in (d for d in Department.values if d in departments):
        points = []
        for cycle in cycles:
            shown = cell(tallies.get((department, cycle.pk)), minimum=policy.survey_min_respondents)
            met = shown.percent_positive >= policy.survey_target_percent if shown.shown else None
            points.append(ScorecardPoint(cycle=cycle, cell=shown, target_met=met))
        cards.append(
            Scorecard(
                department=department,
                name=labels[department],
                minimum=policy.survey_min_respondents,
                target=policy.survey_target_percent,
                points=points,
            )
        )
    return cards
