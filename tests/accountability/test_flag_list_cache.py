"""The flags list's rows for central office are kept in the shared cache (core.versions) under "flags" (a
person's step), "evaluation" (a run that committed: the flags it opened, raised, paused, resumed or marked
cleared) and "schools": each change through the services is on the next page; a row written behind their
back is not, which shows the rows really are kept. tests/core/test_cache_two_processes.py shows the same
across two workers sharing Redis."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accountability.models import InterventionFlag
from accountability.services import evaluation_run, flag_acknowledge, flag_resolve
from schools.models import Role
from tests.accountability.builders import AS_OF, ela_template, flag_of, flagged_schools, observe, school_years

pytestmark = pytest.mark.django_db

FLAGS = reverse("accountability:flag_list")


@pytest.fixture
def district(make_member, on_commit):
    admin, liaison, viewer = make_member(Role.ADMIN), make_member(Role.LIAISON), make_member(Role.VIEWER)
    with on_commit():
        (own, _), (other, _) = flagged_schools(2, admin=admin, template=ela_template())
    own.liaison = liaison
    with on_commit():
        own.save()
    return {"admin": admin, "liaison": liaison, "viewer": viewer, "own": own, "other": other}


def _row(client, school, **filters) -> str:
    """The school's row on the list (one flag a school here)."""
    page = client.get(FLAGS, filters).content.decode()
    rows = re.findall(r"<tr>\s*<th scope=\"row\">.*?</tr>", page, re.S)
    found = [row for row in rows if f'<small class="code">{school.code}' in row]
    assert len(found) == 1, page[-3000:]
    return found[0]


def test_a_flag_step_and_a_nightly_run_are_on_the_next_page(fragments, on_commit, district, client_for):
    own, other = district["own"], district["other"]
    office = client_for(district["admin"])
    assert "flag-status-open" in _row(office, own) and "Still holds" in _row(office, own)

    with on_commit():
        flag_acknowledge(actor=district["liaison"], flag_id=flag_of(own).pk, note="Meeting on Monday.")
    assert "Acknowledged by the liaison" in _row(office, own)

    observe(other, "2026-27", 55)  # the school now meets the benchmark: the next run marks it cleared
    with on_commit():
        evaluation_run(as_of=AS_OF + datetime.timedelta(days=1))
    assert "Cleared" in _row(office, other)

    with on_commit():
        flag_resolve(actor=district["admin"], flag_id=flag_of(other).pk, note="Results recovered.")
    assert "flag-status-resolved" in _row(office, other)

    other.name = "Renamed Elementary"
    with on_commit():
        other.save()
    assert "Renamed Elementary" in _row(office, other)


def test_the_rows_are_kept_until_a_version_moves(fragments, on_commit, district, client_for):
    own, other = district["own"], district["other"]
    office = client_for(district["admin"])
    assert "flag-status-open" in _row(office, own)

    InterventionFlag.objects.filter(school=own).update(status="escalated", level=3)  # behind the services' back
    assert "flag-status-open" in _row(office, own)  # kept
    with CaptureQueriesContext(connection) as queries:
        office.get(FLAGS)
    assert not any("contracts_interventionrule" in q["sql"] for q in queries.captured_queries)

    with on_commit():
        flag_resolve(actor=district["admin"], flag_id=flag_of(other).pk, note="Results recovered.")
    assert "flag-status-escalated" in _row(office, own)  # read afresh, with what was written behind its back


def test_a_nightly_run_alone_moves_the_rows(fragments, on_commit, district, client_for):
    """The run writes its flags in bulk, past any signal: its commit (evaluation_finished) moves the rows."""
    other = district["other"]
    office = client_for(district["admin"])
    assert "Still holds" in _row(office, other)
    observe(other, "2026-27", 55)
    evaluation_run(as_of=AS_OF + datetime.timedelta(days=1))  # not committed yet: the page may keep its rows
    assert InterventionFlag.objects.get(school=other).condition_cleared_at is not None
    assert "Still holds" in _row(office, other)
    with on_commit():
        evaluation_run(as_of=AS_OF + datetime.timedelta(days=2))
    assert "Cleared" in _row(office, other)


def test_central_office_share_the_rows_and_a_liaison_gets_only_the_caseload(fragments, district, client_for):
    own, other = district["own"], district["other"]
    office, viewer = client_for(district["admin"]), client_for(district["viewer"])
    _row(office, other)
    with CaptureQueriesContext(connection) as queries:
        page = viewer.get(FLAGS).content.decode()
    assert own.name in page and other.name in page
    assert not any("contracts_interventionrule" in q["sql"] for q in queries.captured_queries)

    page = client_for(district["liaison"]).get(FLAGS).content.decode()
    assert own.name in page and other.name not in page  # the caseload, drawn for the liaison


def test_the_rows_are_kept_per_filter_page_and_language(fragments, on_commit, district, client_for):
    own, other = district["own"], district["other"]
    office = client_for(district["admin"])
    assert other.name in office.get(FLAGS).content.decode()
    narrowed = office.get(FLAGS, {"liaison": district["liaison"].pk}).content.decode()
    assert own.name in narrowed and other.name not in narrowed
    assert "No flag matches" in office.get(FLAGS, {"status": "resolved"}).content.decode()
    with on_commit():
        flag_resolve(actor=district["admin"], flag_id=flag_of(other).pk, note="Results recovered.")
    resolved = office.get(FLAGS, {"status": "resolved"}).content.decode()
    assert other.name in resolved and own.name not in resolved
    spanish = office.get(FLAGS, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Still holds" in office.get(FLAGS).content.decode() and "Still holds" not in spanish


def test_a_warm_list_costs_the_same_queries_for_2_and_6_flags(
    fragments, on_commit, district, client_for, django_assert_num_queries
):
    office = client_for(district["admin"])
    office.get(FLAGS)  # warm: session, roles and the kept rows
    # user and the count: no flag row, no rule, no network or liaison (the filter's options are kept too)
    with django_assert_num_queries(2):
        office.get(FLAGS)
    with on_commit():
        flagged_schools(4, admin=district["admin"], template=ela_template(), years=school_years())
    assert InterventionFlag.objects.count() == 6
    office.get(FLAGS)
    with django_assert_num_queries(2):
        assert office.get(FLAGS).status_code == 200


def test_without_a_shared_cache_the_rows_are_drawn_on_every_request(settings, district, client_for):
    settings.CACHE_FRAGMENTS = False
    office = client_for(district["admin"])
    assert "flag-status-open" in _row(office, district["own"])
    InterventionFlag.objects.filter(school=district["own"]).update(status="escalated")
    assert "flag-status-escalated" in _row(office, district["own"])
