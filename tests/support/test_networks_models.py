"""The networks' rows hold their rules in the database too, and the admin shows them without changing them."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from schools.models import Network
from support.models import NetworkMembership, NetworkRequest, OptInWindow, ServiceOptOut, TeamSeat
from support.services.networks import opt_out_allowance_set, team_seat_add
from support.services.networks_opt_outs import service_opt_out_record
from support.services.networks_requests import network_request_create
from tests.factories import UserFactory
from tests.support.networks_world import department_staff, network_scene

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene():
    return network_scene()


def refused_by_the_database(make):
    with pytest.raises(IntegrityError), transaction.atomic():
        make()


def test_one_pending_request_per_school_and_year(scene):
    made = network_request_create(
        actor=scene.principal, school=scene.school, school_year=scene.next, network=scene.zone, reason="Fit."
    )
    refused_by_the_database(
        lambda: NetworkRequest.objects.create(
            school=scene.school, school_year=scene.next, network=scene.home, reason="x", requested_by=scene.principal
        )
    )
    NetworkRequest.objects.filter(pk=made.pk).update(status="declined")
    NetworkRequest.objects.create(
        school=scene.school, school_year=scene.next, network=scene.home, reason="x", requested_by=scene.principal
    )


def test_one_current_membership_per_school_and_year_and_none_ending_before_it_starts(scene):
    start = scene.now.start_date
    NetworkMembership.objects.create(school=scene.school, network=scene.home, school_year=scene.now, started_on=start)
    refused_by_the_database(
        lambda: NetworkMembership.objects.create(
            school=scene.school, network=scene.zone, school_year=scene.now, started_on=start
        )
    )
    refused_by_the_database(
        lambda: NetworkMembership.objects.create(
            school=scene.other,
            network=scene.zone,
            school_year=scene.now,
            started_on=start,
            ended_on=start - datetime.timedelta(days=1),
        )
    )


def test_a_window_closes_after_it_opens_and_a_capacity_is_positive(scene):
    OptInWindow.objects.all().delete()
    refused_by_the_database(
        lambda: OptInWindow.objects.create(
            school_year=scene.next, opens_on=datetime.date(2030, 2, 2), closes_on=datetime.date(2030, 2, 1)
        )
    )
    refused_by_the_database(lambda: Network.objects.create(name="Zero", capacity=0))


def test_the_admin_shows_the_rows_read_only(scene, client_for):
    request = network_request_create(
        actor=scene.principal, school=scene.school, school_year=scene.next, network=scene.zone, reason="Fit."
    )
    team_seat_add(actor=scene.admin, network=scene.home, department="data", user=department_staff("data"))
    opt_out_allowance_set(actor=scene.admin, network=scene.home, department="data", terms="")
    service_opt_out_record(actor=scene.principal, school=scene.school, school_year=scene.now, department="data")
    client = client_for(UserFactory(is_staff=True, is_superuser=True))
    change = client.get(reverse("admin:support_networkrequest_change", args=[request.pk]))
    assert change.status_code == 200
    assert 'name="status"' not in change.content.decode()  # shown, never edited
    for model in ("networkrequest", "networkmembership", "teamseat", "optoutallowance", "optinwindow", "serviceoptout"):
        assert client.get(reverse(f"admin:support_{model}_changelist")).status_code == 200
        assert client.get(reverse(f"admin:support_{model}_add")).status_code == 403
    assert client.get(reverse("admin:support_departmentstaff_changelist")).status_code == 200
    assert TeamSeat.objects.count() == 1 and ServiceOptOut.objects.count() == 1
