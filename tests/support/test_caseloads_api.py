"""The caseloads and partnership-log API: scoped lists in pinned queries, a liaison logging at a school of
their caseload (one outside it refused naming `school`), the principal reading their school's entries."""

import datetime

import pytest
from django.utils import timezone

from core.models import Notification
from schools.models import Role
from support.models import PartnershipEntry
from tests.factories import SchoolFactory

pytestmark = pytest.mark.django_db

ENTRIES = "/api/v1/partnership-entries/"
CASELOADS = "/api/v1/caseloads/"


def days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


@pytest.fixture
def people(make_member):
    liaison = make_member(Role.LIAISON, username="lena")
    school = SchoolFactory(liaison=liaison, code="A100")
    other = SchoolFactory(liaison=make_member(Role.LIAISON, username="omar"), code="B200")
    principal = make_member(Role.PRINCIPAL, school=school)
    return {"liaison": liaison, "school": school, "other": other, "principal": principal}


def body(**changes):
    return {
        "school": "A100",
        "kind": "coaching",
        "on": days(-1).isoformat(),
        "minutes": 45,
        "focus": [2, 3],
        "notes": "Planned the feedback cycle.",
        "next_steps": "Observe two classrooms together.",
        "next_step_due": days(10).isoformat(),
    } | changes


def test_a_liaison_logs_a_contact_and_the_principal_reads_it(people, api_for):
    created = api_for(people["liaison"]).post(ENTRIES, body(), format="json")
    assert created.status_code == 201, created.content
    assert created.json()["focus"] == [2, 3] and created.json()["liaison"] == "lena"
    listed = api_for(people["principal"]).get(ENTRIES).json()["results"]
    assert [(row["school"], row["kind"], row["next_steps"]) for row in listed] == [
        ("A100", "coaching", "Observe two classrooms together.")
    ]
    assert Notification.objects.filter(user=people["principal"]).exists()


def test_a_school_outside_the_caseload_is_refused_naming_the_school(people, api_for):
    response = api_for(people["liaison"]).post(ENTRIES, body(school="B200"), format="json")
    assert response.status_code == 400
    assert "school" in response.json()["fields"]
    assert not PartnershipEntry.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"minutes": 601}, "minutes"),
        ({"minutes": "45"}, "minutes"),
        ({"on": days(3).isoformat()}, "on"),
        ({"kind": ""}, "kind"),
        ({"focus": [42]}, "focus"),
        ({"notes": "x" * 4001}, "notes"),
        ({"status": "done"}, "status"),
    ],
)
def test_bad_input_is_refused_naming_the_field(people, api_for, changes, field):
    response = api_for(people["liaison"]).post(ENTRIES, body(**changes), format="json")
    assert response.status_code == 400
    assert field in response.json()["fields"], response.json()
    assert not PartnershipEntry.objects.exists()


def test_a_principal_may_not_log_a_contact(people, api_for):
    assert api_for(people["principal"]).post(ENTRIES, body(), format="json").status_code == 403


def test_the_caseloads_say_schools_counts_and_time_with_principals(people, api_for, make_member):
    PartnershipEntry.objects.create(
        school=people["school"], liaison=people["liaison"], kind="visit", on=timezone.localdate(), minutes=120
    )
    own = api_for(people["liaison"]).get(CASELOADS).json()["results"]
    assert [(row["username"], row["schools"], row["school_count"], row["limit"]) for row in own] == [
        ("lena", [people["school"].pk], 1, 12)
    ]
    assert own[0]["month"]["minutes"] == 120 and own[0]["month"]["target_percent"] == 61
    viewer = api_for(make_member(Role.VIEWER)).get(CASELOADS).json()["results"]
    assert {row["username"] for row in viewer} == {"lena", "omar"}
    assert api_for(people["principal"]).get(CASELOADS).json()["results"] == []


def test_the_lists_cost_the_same_queries_for_one_row_as_for_twenty(
    people, api_for, make_member, django_assert_num_queries
):
    viewer_client = api_for(make_member(Role.VIEWER))
    principal_client = api_for(people["principal"])

    def add():
        liaison = make_member(Role.LIAISON)
        SchoolFactory(liaison=liaison)
        PartnershipEntry.objects.create(
            school=people["school"], liaison=people["liaison"], kind="call", on=days(-1), minutes=10
        ).focus.set([1])

    add()
    # after a first call: the token, then for caseloads the year, the count, the liaisons, their schools and the
    # policy; for entries the count, the entries with their school and liaison, and their focus tags
    viewer_client.get(CASELOADS)
    principal_client.get(ENTRIES)
    with django_assert_num_queries(6) as caseloads:
        viewer_client.get(CASELOADS)
    with django_assert_num_queries(4) as entries:
        principal_client.get(ENTRIES)
    for _ in range(19):
        add()
    with django_assert_num_queries(len(caseloads)):
        assert viewer_client.get(CASELOADS).json()["count"] == 22
    with django_assert_num_queries(len(entries)):
        assert principal_client.get(ENTRIES).json()["count"] == 20
