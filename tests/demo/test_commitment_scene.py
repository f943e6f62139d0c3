"""The demo's two-way contract: after the first evaluation, the pilot school whose HR commitment was missed
has its flag opened on the rung that would revoke hiring, its clock paused, and hiring still held."""

import random

import pytest
from django.db import transaction
from django.utils import timezone

from accountability.models import InterventionFlag
from accountability.services import evaluation_run
from autonomy.models import AutonomyGrant, GrantStatus
from contracts.models import CommitmentStatus, ContractCommitment, ContractStatus
from demo.services.budget_scenes import budget_scene
from demo.services.builder import DistrictBuilder
from demo.services.catalog_text import catalog_text_fill
from demo.services.commitment_scenes import PAUSE_SCENE, commitments_scene
from demo.services.data import MORE_BENCHMARKS, TEMPLATE_BENCHMARKS
from demo.services.request_scenes import requests_scene
from demo.services.scenes import FlaggedSchools, contracts_scene, grants_scene

pytestmark = pytest.mark.django_db


def _district_with_the_scene(seed: int = 2026) -> DistrictBuilder:
    """The demo district as demo.services.demo_district_seed builds it, with the commitments scene after
    the contracts and budget scenes."""
    rng = random.Random(seed)
    with transaction.atomic():
        district = DistrictBuilder(rng=rng, school_count=16, year_count=5)
        district.organisation()
        district.observations(flagged=FlaggedSchools.among(district.schools, year=district.years[-1]))
        district.criteria()
        catalog_text_fill()
        grants_scene(district, rng=rng)
        requests_scene(district)
        contracts_scene(district, benchmarks=(TEMPLATE_BENCHMARKS + MORE_BENCHMARKS)[:7])
        budget_scene(district, seed=seed)
        commitments_scene(district, rng=rng)
    return district


def test_the_first_evaluation_pauses_the_flag_of_the_school_whose_commitment_hr_missed():
    district = _district_with_the_scene()
    school = district.schools[PAUSE_SCENE]
    statuses = dict(
        ContractCommitment.objects.filter(contract__school=school, contract__status=ContractStatus.ACTIVE).values_list(
            "department", "status"
        )
    )
    assert statuses == {"finance": CommitmentStatus.MET, "hr": CommitmentStatus.OPEN}

    evaluation_run(as_of=timezone.localdate())

    flag = InterventionFlag.objects.get(school=school, rule_key="binding-missed")
    assert flag.clock_paused_on == timezone.localdate()
    assert "central office missed its commitment “Posted teacher vacancies filled”" in flag.clock_pause_reason
    hiring = AutonomyGrant.objects.get(school=school, autonomy__code="people.hiring")
    assert hiring.status == GrantStatus.ACTIVE  # the rung would revoke it; the clock is paused
    # The story of the ladder elsewhere is unchanged: S0009's hiring is revoked for its vacancies.
    assert AutonomyGrant.objects.filter(autonomy__code="people.hiring", status=GrantStatus.REVOKED).count() == 1
