"""The school's decision grid kept in the shared cache (core.versions) on the principal's home and the school
page: where the school stands on each decision is kept per school, day and language; why a decision not held
stands open (eligible, asked for, offered by an open call) is drawn for each page. A change through the
services is on the next page; a row written behind their back is not, which shows the grid is kept.
tests/core/test_cache_two_processes.py shows the same across two workers sharing Redis."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from autonomy.models import Autonomy, AutonomyGrant, GrantStatus
from autonomy.services import autonomy_catalog_update, grant_change, grants_issue
from schools.models import Role
from tests.autonomy.factories import CallFactory
from tests.home.builders import admin_user

pytestmark = pytest.mark.django_db

HOME = reverse("home")
START = datetime.date(2026, 7, 1)


def _school_page(school) -> str:
    return reverse("autonomy:school_detail", args=[school.code])


def _issue(school, code="people.hiring"):
    (grant,) = grants_issue(
        schools=[school], autonomy=Autonomy.objects.get(code=code), actor=None, reason="Pilot", starts_on=START
    )
    return grant


def _standing(html: str, name: str) -> str:
    """The status cell of one decision of the grid."""
    return re.search(rf"<th scope=\"row\">{re.escape(name)}<small.*?<td class=\"standing.*?</td>", html, re.S)[0]


def _held(html: str) -> str:
    return re.search(r"Decisions this school holds: (\d+ of \d+)", html)[1]


@pytest.mark.parametrize("page", ["home", "school"])
def test_a_grant_issued_or_suspended_through_the_services_is_on_the_next_page(
    page, fragments, on_commit, make_member, client_for, school
):
    client = client_for(make_member(Role.PRINCIPAL, school=school))
    url = HOME if page == "home" else _school_page(school)
    assert "Not held" in _standing(client.get(url).content.decode(), "Hire and dismiss staff")
    with on_commit():
        grant = _issue(school)
    html = client.get(url).content.decode()
    assert "status-held" in _standing(html, "Hire and dismiss staff") and _held(html).startswith("1 of")
    with on_commit():
        grant_change(actor=admin_user(), grant_id=grant.pk, action="suspend", reason="Audit", notify_school=False)
    html = client.get(url).content.decode()
    assert "Suspended" in _standing(html, "Hire and dismiss staff") and _held(html).startswith("0 of")


@pytest.mark.parametrize("page", ["home", "school"])
def test_the_grid_is_kept_until_a_version_moves(page, fragments, on_commit, make_member, client_for, school):
    client = client_for(make_member(Role.PRINCIPAL, school=school))
    url = HOME if page == "home" else _school_page(school)
    grant = _issue(school)
    assert "status-held" in _standing(client.get(url).content.decode(), "Hire and dismiss staff")

    AutonomyGrant.objects.filter(pk=grant.pk).update(status=GrantStatus.SUSPENDED)  # behind the services' back
    Autonomy.objects.filter(code="people.hiring").update(name="Written behind the page's back")
    html = client.get(url).content.decode()
    assert "status-held" in _standing(html, "Hire and dismiss staff") and "Written behind" not in html  # kept

    with on_commit():
        autonomy_catalog_update(actor=admin_user(), code="people.hiring", texts={"name": "Choose and keep staff"})
    html = client.get(url).content.decode()
    assert "Suspended" in _standing(html, "Choose and keep staff")  # built afresh: both rows read again


def test_why_a_decision_is_not_held_is_drawn_for_each_page(fragments, on_commit, make_member, client_for, school):
    """An open call the school has not answered is read for each page, never kept with the grid."""
    client = client_for(make_member(Role.PRINCIPAL, school=school))
    assert "An open call offers it" not in client.get(HOME).content.decode()
    today = timezone.localdate()
    call = CallFactory(opens_on=today - datetime.timedelta(days=1), closes_on=today + datetime.timedelta(days=20))
    call.autonomies.set([Autonomy.objects.get(code="people.hiring")])
    assert "An open call offers it" in _standing(client.get(HOME).content.decode(), "Hire and dismiss staff")


def test_a_principal_of_another_school_never_sees_this_schools_grid(
    fragments, on_commit, make_member, client_for, school, other_school
):
    with on_commit():
        _issue(school)
    mine = client_for(make_member(Role.PRINCIPAL, school=school))
    assert _held(mine.get(HOME).content.decode()).startswith("1 of")
    assert _held(mine.get(_school_page(school)).content.decode()).startswith("1 of")

    theirs = client_for(make_member(Role.PRINCIPAL, school=other_school))
    assert theirs.get(_school_page(school)).status_code == 404  # asked before any kept markup is read
    home = theirs.get(HOME).content.decode()
    assert other_school.name in home and school.name not in home
    assert _held(home).startswith("0 of")  # their own grid, not the one kept for this school


def test_the_grid_is_kept_per_language(fragments, make_member, client_for, school):
    client = client_for(make_member(Role.PRINCIPAL, school=school))
    english = client.get(HOME, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    spanish = client.get(HOME, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "No vigente" in spanish and "No vigente" not in english
    assert "No vigente" not in client.get(HOME, HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_a_warm_home_reads_neither_the_catalog_nor_the_grants(
    fragments, make_member, client_for, school, django_assert_num_queries
):
    _issue(school)
    _issue(school, code="money.budget")
    client = client_for(make_member(Role.PRINCIPAL, school=school))
    client.get(HOME)
    # The session's user, the school; requests, open calls (none open: nothing they offer is read), flags,
    # contracts; why not held: the criteria (none here, so no observation is read), the clarifications, the
    # request items. No catalog, grant or step.
    with django_assert_num_queries(9):
        html = client.get(HOME).content.decode()
    assert _held(html).startswith("2 of")


def test_a_warm_school_page_reads_neither_the_catalog_nor_the_grants(
    fragments, make_member, client_for, school, django_assert_num_queries
):
    _issue(school)
    client = client_for(make_member(Role.PRINCIPAL, school=school))
    client.get(_school_page(school))
    with django_assert_num_queries(5):  # the user, the school; criteria, clarifications, request items
        client.get(_school_page(school))


@pytest.mark.parametrize("page", ["home", "school"])
def test_without_a_shared_cache_the_grid_is_drawn_on_every_request(page, make_member, client_for, school):
    client = client_for(make_member(Role.PRINCIPAL, school=school))
    url = HOME if page == "home" else _school_page(school)
    grant = _issue(school)
    assert "status-held" in _standing(client.get(url).content.decode(), "Hire and dismiss staff")
    AutonomyGrant.objects.filter(pk=grant.pk).update(status=GrantStatus.SUSPENDED)
    assert "Suspended" in _standing(client.get(url).content.decode(), "Hire and dismiss staff")
