"""The load benchmark asks benchmarks/prepare.py for the addresses of pages the seeded district decides
(S0001's contract, liaison-1's caseload): each must be an address the portal answers, as the benchmark
stops on a page it cannot find."""

import pytest
from django.urls import resolve

from benchmarks.prepare import object_paths
from contracts.models import PerformanceContract
from schools.models import Role
from tests.world import build_world

pytestmark = pytest.mark.django_db


def test_the_benchmarks_object_pages_are_addresses_the_portal_answers(make_member):
    world = build_world()
    school = world["own"]
    school.code = "S0001"
    school.save(update_fields=["code"])
    make_member(Role.LIAISON, username="liaison-1")
    assert PerformanceContract.objects.filter(school=school).exists()

    paths = object_paths()

    assert set(paths) == {"contract_s0001", "caseload_liaison_1"}
    assert resolve(paths["contract_s0001"]).view_name == "contracts:contract_detail"
    assert resolve(paths["caseload_liaison_1"]).view_name == "liaison_caseload"
