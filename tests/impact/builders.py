"""A district's history for impact's tests: requests submitted and decided on given days, grants and
their moves dated as the test says. The dates are set on the rows after the services wrote them: the
services stamp today, and a history needs other years."""

import datetime

from django.utils import timezone

from autonomy.models import (
    Autonomy,
    AutonomyRequest,
    ClarifiedFlexibility,
    GrantEvent,
    ItemDecision,
    RequestItem,
    RequestStatus,
)
from autonomy.services import grant_change
from metrics.models import Metric, Observation
from schools.models import Cohort
from schools.periods import school_year_label
from tests.autonomy.factories import CallFactory
from tests.factories import SchoolFactory, UserFactory, grant
from tests.impact.simulation import district


def moment(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def requested(
    school,
    code: str,
    *,
    submitted: datetime.date,
    decided: datetime.date | None = None,
    decision: str = ItemDecision.APPROVED,
    barrier: str = "",
    call=None,
) -> RequestItem:
    author = UserFactory()
    request = AutonomyRequest.objects.create(
        school=school,
        call=call or CallFactory(created_by=author),
        status=RequestStatus.APPROVED if decided else RequestStatus.SUBMITTED,
        created_by=author,
        submitted_at=moment(submitted),
        decided_at=moment(decided) if decided else None,
    )
    return RequestItem.objects.create(
        request=request,
        autonomy=Autonomy.objects.get(code=code),
        barrier=barrier,
        decision=decision if decided else ItemDecision.PENDING,
    )


def clarified(item: RequestItem, *, by) -> ClarifiedFlexibility:
    return ClarifiedFlexibility.objects.create(
        autonomy=item.autonomy,
        domain=item.autonomy.domain,
        barrier=item.barrier,
        explanation="No rule.",
        clarified_by=by,
        source_item=item,
    )


def granted(school, code: str, *, starts_on: datetime.date):
    return grant(school, code, starts_on=starts_on)


def moved(grant_row, action: str, *, on: datetime.date, actor):
    """A step of the grant's table through the service, dated `on`."""
    grant_change(actor=actor, grant_id=grant_row.pk, action=action, reason="In a test.", notify_school=False)
    last = GrantEvent.objects.filter(grant=grant_row).latest("pk")
    GrantEvent.objects.filter(pk=last.pk).update(at=moment(on))
    grant_row.refresh_from_db()
    return grant_row


def simulated_district(effect: float, *, code="people.hiring", schools=40) -> Metric:
    """tests/impact/simulation.py's district written as schools, grants and ELA observations."""
    rows, adopted = district(schools=schools, effect=effect)
    made = {i: SchoolFactory() for i in range(schools)}
    metric = Metric.objects.get(code="ela_proficiency")
    Observation.objects.bulk_create(
        Observation(school=made[i], metric=metric, period=school_year_label(year), value=round(min(max(v, 0), 100), 2))
        for i, year, v in rows
    )
    for i, year in adopted.items():
        granted(made[i], code, starts_on=datetime.date(year, 8, 1))
    return metric


def pilot_district(*, effect: float = 0.0, code: str = "time.schedule", seed: int = 11):
    """A district where the choice of comparison matters: the pilot cohort (10 schools) and 12 other schools
    start low and climb 2 points a year; 30 schools start high and stay level. The cohort is granted the
    autonomy in 2021-22 (`effect` points from its second year held). Against every school not yet holding
    it, the pilot's climb looks like an effect; against schools matched on their 2020-21 results, it does
    not. Returns (cohort, metric, {group: [schools]})."""
    import numpy as np

    rng = np.random.default_rng(seed)
    metric = Metric.objects.get(code="ela_proficiency")
    cohort = Cohort.objects.create(name="Schedule pilot")
    groups = {
        "pilot": [SchoolFactory(cohort=cohort, enrollment=300 + 10 * i) for i in range(10)],
        "similar": [SchoolFactory(enrollment=305 + 10 * i) for i in range(12)],
        "different": [SchoolFactory(enrollment=700 + 5 * i) for i in range(30)],
    }
    rows = []
    for group, schools in groups.items():
        for school in schools:
            level, slope = (75.0, 0.0) if group == "different" else (40.0, 2.0)
            level += rng.normal(0, 3)
            for year in range(2017, 2024):
                value = level + slope * (year - 2017) + rng.normal(0, 1)
                if group == "pilot" and year >= 2022:
                    value += effect
                period = school_year_label(year)
                rows.append(Observation(school=school, metric=metric, period=period, value=round(value, 2)))
    Observation.objects.bulk_create(rows)
    for school in groups["pilot"]:
        granted(school, code, starts_on=datetime.date(2021, 8, 1))
    return cohort, metric, groups
