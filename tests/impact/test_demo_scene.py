"""The demo's history for impact: three waves of grants of two autonomies, +3 points of ELA from the
second year held for interim assessments and nothing for evaluation and coaching."""

import datetime
import random
from decimal import Decimal
from types import SimpleNamespace

import pytest

from autonomy.models import AutonomyGrant
from demo.services.impact_scenes import PER_WAVE, impact_scene
from metrics.models import Metric, Observation
from schools.models import Role
from tests.factories import MembershipFactory, SchoolFactory, SchoolYearFactory

pytestmark = pytest.mark.django_db


def test_the_scene_grants_in_waves_and_plants_the_effect_on_one_autonomy_only():
    years = [
        SchoolYearFactory(
            label=f"{y}-{(y + 1) % 100:02d}",
            start_date=datetime.date(y, 7, 1),
            end_date=datetime.date(y + 1, 6, 30),
            first_day=datetime.date(y, 8, 20),
        )
        for y in range(2021, 2026)
    ]
    schools = [SchoolFactory() for _ in range(40)]
    metric = Metric.objects.get(code="ela_proficiency")
    Observation.objects.bulk_create(
        Observation(school=s, metric=metric, period=y.label, value=Decimal("50")) for s in schools for y in years
    )
    admin = MembershipFactory(role=Role.ADMIN).user
    impact_scene(SimpleNamespace(years=years, schools=schools, staff={"admin": admin}), rng=random.Random(1))

    assessed = set(AutonomyGrant.objects.filter(autonomy__code="program.assessment").values_list("school", flat=True))
    coached = set(AutonomyGrant.objects.filter(autonomy__code="people.evaluation").values_list("school", flat=True))
    assert not assessed & coached  # each autonomy has its own schools
    for code, effect in (("program.assessment", Decimal("3")), ("people.evaluation", Decimal("0"))):
        grants = AutonomyGrant.objects.filter(autonomy__code=code)
        starts = sorted({g.starts_on.year for g in grants})
        assert starts == [2022, 2023, 2024] and grants.count() == 3 * PER_WAVE
        for g in grants:
            values = dict(Observation.objects.filter(school=g.school, metric=metric).values_list("period", "value"))
            for y in years:
                expected = Decimal("50") + (effect if y.start_date.year > g.starts_on.year else 0)
                assert values[y.label] == expected, (code, g.school_id, y.label)
