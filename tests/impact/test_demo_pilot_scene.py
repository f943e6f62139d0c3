"""The demo's pilot design and decision: a comparison group kept for the pilot cohort, and a decision the
catalog states."""

from types import SimpleNamespace

import pytest
from django.urls import reverse

from autonomy.models import Autonomy
from demo.services.impact_pilot_scenes import EVIDENCE, impact_pilot_scene
from impact.models import AutonomyDecision, PilotComparison
from schools.models import Cohort, Role
from tests.impact.builders import pilot_district

pytestmark = pytest.mark.django_db


def test_the_scene_keeps_the_pilots_comparison_group_and_a_decision_the_catalog_shows(make_member, client_for):
    cohort, _, groups = pilot_district()
    admin = make_member(Role.ADMIN)
    impact_pilot_scene(SimpleNamespace(cohort=cohort, staff={"admin": admin}))
    kept = PilotComparison.objects.get()
    assert (kept.cohort, kept.autonomy.code, kept.kept_by) == (cohort, "time.schedule", admin)
    assert kept.schools.count() == 10 and set(kept.pilot_schools.all()) == set(groups["pilot"])
    decision = AutonomyDecision.objects.get()
    assert (decision.autonomy.code, decision.decision, decision.evidence_path) == (
        "program.assessment",
        "extend",
        EVIDENCE,
    )
    assert Autonomy.objects.get(code="program.assessment").evaluation_decision == "Extend it to more schools"
    assert "Latest evaluation decision" in client_for(admin).get(reverse("autonomy:catalog")).content.decode()


def test_a_cohort_too_small_keeps_no_group_and_still_records_the_decision(make_member):

    impact_pilot_scene(
        SimpleNamespace(cohort=Cohort.objects.create(name="Tiny"), staff={"admin": make_member(Role.ADMIN)})
    )
    assert not PilotComparison.objects.exists() and AutonomyDecision.objects.count() == 1
