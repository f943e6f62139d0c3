"""The demo's support requests: categories per department, requests in every state, two overdue relative to
the day it is seeded, one closed with a rating; their records dated back in order."""

import random

import pytest
from django.utils import timezone

from demo.services.builder import DistrictBuilder
from demo.services.support_request_scenes import requests_scene
from support.models import Department, DepartmentStaff, SupportCategory, SupportRequest, SupportStatus
from support.selectors.requests import department_service_figures, overdue_by_department, overdue_q

pytestmark = pytest.mark.django_db


@pytest.fixture
def district():
    builder = DistrictBuilder(rng=random.Random(7), school_count=12, year_count=2)
    builder.organisation()
    requests_scene(builder, rng=random.Random(11))
    return builder


def test_categories_and_heads_for_every_department(district):
    departments = set(SupportCategory.objects.values_list("department", flat=True))
    assert departments == set(Department.values)
    assert SupportCategory.objects.get(code="budget-question").deadline_business_days == 5
    heads = DepartmentStaff.objects.filter(is_head=True)
    assert set(heads.values_list("department", flat=True)) == set(Department.values)
    assert ("Department head, Finance", "dept-finance-head") in district.logins.users


def test_every_state_two_overdue_one_rated(district):
    today = timezone.localdate()
    states = set(SupportRequest.objects.values_list("status", flat=True))
    assert states == set(SupportStatus.values)
    overdue = SupportRequest.objects.filter(overdue_q(today))
    assert {r.status for r in overdue} == {"open", "reopened"} and overdue.count() == 2
    groups = overdue_by_department(user=district.staff["admin"], departments=Department.values, today=today)
    assert sum(len(rows) for _, _, rows in groups) == 2
    assert all(row.days_overdue > 0 for _, _, rows in groups for row in rows)
    rated = SupportRequest.objects.filter(status="closed").exclude(rating=None)
    assert sorted(rated.values_list("rating", flat=True)) == [2, 4]
    fresh = SupportRequest.objects.get(subject="Broken heating in room 12")
    assert fresh.due_on >= today


def test_records_read_in_order(district):
    for request in SupportRequest.objects.all():
        moments = list(request.events.order_by("pk").values_list("at", flat=True))
        assert moments == sorted(moments) and moments[0] <= timezone.now()
        assert request.created_at <= moments[0] + timezone.timedelta(seconds=1)
    figures = {row.department: row for row in department_service_figures()}
    assert figures["operations"].resolved == 1 and figures["operations"].on_time_percent == 0
    assert figures["hr"].on_time_percent == 100 and figures["hr"].mean_rating == 4.0
