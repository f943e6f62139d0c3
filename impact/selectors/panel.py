"""The panel an event study reads: every school's value of one metric per school year, and the school
year each school first held the chosen autonomies (one autonomy, a domain or a model). Two queries.

A school's first grant of any chosen autonomy marks its adoption year; what happened later (suspended,
revoked) does not undo it: the estimate is of having been granted, as a district decides to grant.
"""

from dataclasses import dataclass

from django.db.models import Min

from autonomy.models import AutonomyGrant
from impact.selectors.years import start_year_sql
from metrics.models import Observation


@dataclass(frozen=True)
class Selection:
    """What the view compares: exactly one of an autonomy's code, a domain or a model."""

    autonomy: str = ""
    domain: str = ""
    model: str = ""

    def grants_filter(self) -> dict:
        if self.autonomy:
            return {"autonomy__code": self.autonomy}
        if self.domain:
            return {"autonomy__domain": self.domain}
        return {"autonomy__model": self.model}


def panel_read(*, metric_id: int, selection: Selection) -> tuple[list[tuple[int, int, float]], dict[int, int]]:
    """(school id, school year's first calendar year, value) rows and {school id: adoption year}."""
    rows = [
        (school_id, int(period[:4]), float(value))
        for school_id, period, value in Observation.objects.filter(metric_id=metric_id).values_list(
            "school_id", "period", "value"
        )
    ]
    adopted = dict(
        AutonomyGrant.objects.filter(**selection.grants_filter())
        .values("school_id")
        .annotate(first=Min(start_year_sql("starts_on")))
        .values_list("school_id", "first")
    )
    return rows, adopted


def pilot_panel_read(*, metric_id: int, comparison) -> tuple[list[tuple[int, int, float]], dict[int, int]]:
    """The panel of a pilot and its kept comparison group (impact.models.PilotComparison) only: the pilot's
    schools with the school year each first held the autonomy, and the comparison schools as controls. A
    comparison school granted the autonomy later counts only for the years before its grant: it is a
    school without the autonomy, or no comparison at all. Four queries."""
    pilots = set(comparison.pilot_schools.values_list("pk", flat=True))
    controls = set(comparison.schools.values_list("pk", flat=True)) - pilots
    first = dict(
        AutonomyGrant.objects.filter(autonomy_id=comparison.autonomy_id, school_id__in=pilots | controls)
        .values("school_id")
        .annotate(first=Min(start_year_sql("starts_on")))
        .values_list("school_id", "first")
    )
    rows = [
        (school_id, int(period[:4]), float(value))
        for school_id, period, value in Observation.objects.filter(
            metric_id=metric_id, school_id__in=pilots | controls
        ).values_list("school_id", "period", "value")
    ]
    rows = [r for r in rows if r[0] in pilots or r[0] not in first or r[1] < first[r[0]]]
    return rows, {school: year for school, year in first.items() if school in pilots}
