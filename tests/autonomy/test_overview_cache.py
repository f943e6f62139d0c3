"""The district overview's totals for central office come from the shared cache under the grants' version
(core.versions): a grant issued or revoked through the autonomy services is on the next page; a row
written behind the services' back is not, which is what shows the figures really are cached."""

import datetime
import re

import pytest
from django.urls import reverse

from autonomy.models import Autonomy, AutonomyGrant
from autonomy.services import grant_change, grants_issue
from core.versions import version_get
from schools.models import Role
from tests.factories import SchoolFactory

pytestmark = pytest.mark.django_db

START = datetime.date(2026, 7, 1)


def _holding_any(client) -> int:
    page = client.get(reverse("autonomy:district_overview")).content.decode()
    return int(re.search(r'<span class="count">([\d,]+)</span> hold at least one decision', page)[1])


def _issue(schools, code="people.hiring"):
    return grants_issue(
        schools=schools, autonomy=Autonomy.objects.get(code=code), actor=None, reason="Pilot", starts_on=START
    )


def test_a_grant_issued_or_revoked_through_the_services_is_on_the_next_page(
    fragments, make_member, client_for, django_capture_on_commit_callbacks
):
    schools = [SchoolFactory() for _ in range(3)]
    admin = make_member(Role.ADMIN)
    client = client_for(admin)
    assert _holding_any(client) == 0
    with django_capture_on_commit_callbacks(execute=True):
        (grant, *_) = _issue(schools[:2])
    assert _holding_any(client) == 2
    with django_capture_on_commit_callbacks(execute=True):
        grant_change(actor=admin, grant_id=grant.pk, action="revoke", reason="Audit findings", notify_school=False)
    assert _holding_any(client) == 1


def test_the_totals_are_read_from_the_cache_until_the_grants_version_moves(
    fragments, make_member, client_for, django_capture_on_commit_callbacks
):
    schools = [SchoolFactory() for _ in range(2)]
    client = client_for(make_member(Role.ADMIN))
    with django_capture_on_commit_callbacks(execute=True):
        _issue(schools[:1])
    assert _holding_any(client) == 1
    before = version_get("grants")
    AutonomyGrant.objects.filter(school=schools[0]).delete()  # behind the services' back: no hook, no bump
    assert version_get("grants") == before
    assert _holding_any(client) == 1  # still the cached figure
    with django_capture_on_commit_callbacks(execute=True):
        _issue(schools[1:])
    assert version_get("grants") > before
    assert _holding_any(client) == 1  # read afresh: only the second school holds one now


def test_a_filtered_overview_and_a_liaison_are_never_served_the_districts_figures(
    fragments, make_member, client_for, django_capture_on_commit_callbacks
):
    mine, other = SchoolFactory(), SchoolFactory()
    liaison = make_member(Role.LIAISON)
    mine.liaison = liaison
    mine.save(update_fields=["liaison"])
    with django_capture_on_commit_callbacks(execute=True):
        _issue([mine, other])
    assert _holding_any(client_for(make_member(Role.ADMIN))) == 2  # the district's, now in the cache
    assert _holding_any(client_for(liaison)) == 1
    admin = client_for(make_member(Role.ADMIN))
    page = admin.get(reverse("autonomy:district_overview"), {"q": mine.code}).content.decode()
    assert re.search(r'<span class="count">1</span> hold at least one decision', page)


def test_without_a_shared_cache_the_totals_are_read_on_every_request(
    settings, make_member, client_for, django_capture_on_commit_callbacks
):
    settings.CACHE_FRAGMENTS = False
    school = SchoolFactory()
    client = client_for(make_member(Role.ADMIN))
    with django_capture_on_commit_callbacks(execute=True):
        _issue([school])
    assert _holding_any(client) == 1
    AutonomyGrant.objects.filter(school=school).delete()
    assert _holding_any(client) == 0
