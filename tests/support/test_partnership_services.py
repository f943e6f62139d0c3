"""The partnership log's services: only the school's liaison (or the autonomy office standing in) logs a
contact; every bad field is refused by name and nothing is saved; the principal hears of next steps."""

import datetime

import pytest
from django.utils import timezone

from core.errors import ApplicationError, NotFound, NotPermitted
from core.limits import NOTE_TEXT
from core.models import Notification, OutboxEmail
from schools.models import Role
from support.models import FocusArea, PartnershipEntry
from support.services.partnership import (
    Contact,
    partnership_entry_create,
    partnership_entry_delete,
    partnership_entry_update,
)
from tests.factories import MembershipFactory, SchoolFactory, UserFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 16)


@pytest.fixture
def people(make_member):
    liaison = make_member(Role.LIAISON, first_name="Lena", last_name="Ortiz")
    school = SchoolFactory(liaison=liaison, name="Adams Elementary")
    other = SchoolFactory(liaison=make_member(Role.LIAISON), name="Banneker Middle")
    principal = make_member(Role.PRINCIPAL, school=school)
    admin = make_member(Role.ADMIN, is_superuser=True)
    return {"liaison": liaison, "school": school, "other": other, "principal": principal, "admin": admin}


def visit(**changes) -> Contact:
    fields = {
        "kind": "visit",
        "on": TODAY - datetime.timedelta(days=1),
        "minutes": 90,
        "focus": list(FocusArea.objects.filter(number__in=[1, 2])),
        "notes": "Walked grade 3 classrooms together.",
        "next_steps": "Principal drafts the feedback cycle; liaison shares two model schedules.",
        "next_step_due": TODAY + datetime.timedelta(days=7),
    }
    return Contact(**(fields | changes))


def test_the_focus_areas_are_the_districts_eight_tags_the_first_four_instructional():
    areas = list(FocusArea.objects.order_by("number"))
    assert [a.number for a in areas] == list(range(1, 9))
    assert [a.instructional for a in areas] == [True] * 4 + [False] * 4


def test_the_liaison_logs_a_visit_and_the_principal_is_told_of_its_next_steps(
    people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        entry = partnership_entry_create(actor=people["liaison"], school=people["school"], contact=visit(), today=TODAY)
    entry.refresh_from_db()
    assert (entry.school, entry.liaison, entry.kind, entry.minutes) == (
        people["school"],
        people["liaison"],
        "visit",
        90,
    )
    assert sorted(a.number for a in entry.focus.all()) == [1, 2]
    note = Notification.objects.get(user=people["principal"])
    assert (
        note.title == f"Next steps from your liaison's school visit by {TODAY + datetime.timedelta(days=7):%b} 23, 2026"
    )
    assert note.body.startswith("Principal drafts the feedback cycle")
    assert note.url == f"/support/schools/{people['school'].code}/log/"
    assert OutboxEmail.objects.filter(recipient=people["principal"]).count() == 1


def test_an_entry_without_next_steps_tells_nobody(people):
    partnership_entry_create(
        actor=people["liaison"], school=people["school"], contact=visit(next_steps="", next_step_due=None), today=TODAY
    )
    assert not Notification.objects.exists()


def test_a_liaison_logging_a_visit_outside_the_caseload_is_refused_naming_the_school(people):
    with pytest.raises(ApplicationError) as refused:
        partnership_entry_create(actor=people["liaison"], school=people["other"], contact=visit(), today=TODAY)
    assert refused.value.fields.keys() == {"school"}
    assert "Banneker Middle is not in your caseload." == refused.value.message
    assert not PartnershipEntry.objects.exists()


@pytest.mark.parametrize("who", ["principal", "team", "reviewer", "viewer", "nobody"])
def test_nobody_but_the_liaison_or_the_office_logs_a_contact(people, who):
    roles = {"principal": Role.PRINCIPAL, "team": Role.SCHOOL_TEAM, "reviewer": Role.REVIEWER, "viewer": Role.VIEWER}
    user = people["principal"] if who == "principal" else UserFactory()
    if who in ("team",):
        MembershipFactory(user=user, role=roles[who], school=people["school"])
    elif who in ("reviewer", "viewer"):
        MembershipFactory(user=user, role=roles[who], function="finance" if who == "reviewer" else "")
    with pytest.raises(NotPermitted):
        partnership_entry_create(actor=user, school=people["school"], contact=visit(), today=TODAY)
    assert not PartnershipEntry.objects.exists()


def test_the_autonomy_office_may_stand_in_and_the_entry_is_in_its_name(people):
    entry = partnership_entry_create(actor=people["admin"], school=people["school"], contact=visit(), today=TODAY)
    assert entry.liaison == people["admin"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"minutes": 0}, "minutes"),
        ({"minutes": 601}, "minutes"),
        ({"minutes": None}, "minutes"),
        ({"minutes": True}, "minutes"),
        ({"on": TODAY + datetime.timedelta(days=1)}, "on"),
        ({"on": None}, "on"),
        ({"kind": ""}, "kind"),
        ({"kind": "lunch"}, "kind"),
        ({"notes": "x" * (NOTE_TEXT + 1)}, "notes"),
        ({"next_steps": "x" * (NOTE_TEXT + 1)}, "next_steps"),
        ({"next_step_due": TODAY - datetime.timedelta(days=5)}, "next_step_due"),
        ({"next_steps": "", "next_step_due": TODAY}, "next_steps"),
        ({"focus": [FocusArea(number=99, name="Unsaved")]}, "focus"),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_nothing_is_saved(people, changes, field):
    with pytest.raises(ApplicationError) as refused:
        partnership_entry_create(
            actor=people["liaison"], school=people["school"], contact=visit(**changes), today=TODAY
        )
    assert field in refused.value.fields
    assert not PartnershipEntry.objects.exists()
    assert not Notification.objects.exists()


def test_next_step_due_may_be_in_the_future_and_minutes_at_the_bounds_are_taken(people):
    for minutes in (1, 600):
        entry = partnership_entry_create(
            actor=people["liaison"], school=people["school"], contact=visit(minutes=minutes, on=TODAY), today=TODAY
        )
        assert entry.minutes == minutes and entry.next_step_due > TODAY


def test_every_bad_field_is_named_at_once(people):
    with pytest.raises(ApplicationError) as refused:
        partnership_entry_create(
            actor=people["liaison"], school=people["school"], contact=visit(kind="", minutes=0, on=None), today=TODAY
        )
    assert {"kind", "minutes", "on"} <= refused.value.fields.keys()


def test_the_liaison_corrects_an_entry_and_a_changed_next_step_is_news_once(people):
    entry = partnership_entry_create(actor=people["liaison"], school=people["school"], contact=visit(), today=TODAY)
    partnership_entry_update(actor=people["liaison"], entry_id=entry.pk, contact=visit(minutes=45), today=TODAY)
    assert Notification.objects.filter(user=people["principal"]).count() == 1  # same steps: no news
    partnership_entry_update(
        actor=people["liaison"], entry_id=entry.pk, contact=visit(next_steps="Meet the grade 3 team."), today=TODAY
    )
    entry.refresh_from_db()
    assert entry.minutes == 90 and entry.next_steps == "Meet the grade 3 team."
    assert Notification.objects.filter(user=people["principal"]).count() == 2


def test_a_refused_correction_changes_nothing(people):
    entry = partnership_entry_create(actor=people["liaison"], school=people["school"], contact=visit(), today=TODAY)
    with pytest.raises(ApplicationError):
        partnership_entry_update(
            actor=people["liaison"], entry_id=entry.pk, contact=visit(minutes=45, kind=""), today=TODAY
        )
    entry.refresh_from_db()
    assert entry.minutes == 90


def test_another_liaison_and_the_principal_may_not_change_or_remove_an_entry(people, make_member):
    entry = partnership_entry_create(actor=people["liaison"], school=people["school"], contact=visit(), today=TODAY)
    for user in (people["other"].liaison, people["principal"]):
        with pytest.raises(NotPermitted):
            partnership_entry_update(actor=user, entry_id=entry.pk, contact=visit(minutes=5), today=TODAY)
        with pytest.raises(NotPermitted):
            partnership_entry_delete(actor=user, entry_id=entry.pk)
    assert PartnershipEntry.objects.get().minutes == 90


def test_a_liaison_whose_school_moved_away_no_longer_changes_its_entries(people):
    entry = partnership_entry_create(actor=people["liaison"], school=people["school"], contact=visit(), today=TODAY)
    people["school"].liaison = people["other"].liaison
    people["school"].save()
    with pytest.raises(NotPermitted):
        partnership_entry_delete(actor=people["liaison"], entry_id=entry.pk)


def test_the_liaison_removes_an_entry_and_a_missing_one_is_not_found(people):
    entry = partnership_entry_create(actor=people["liaison"], school=people["school"], contact=visit(), today=TODAY)
    partnership_entry_delete(actor=people["liaison"], entry_id=entry.pk)
    assert not PartnershipEntry.objects.exists()
    with pytest.raises(NotFound):
        partnership_entry_delete(actor=people["liaison"], entry_id=entry.pk)


def test_the_default_today_is_the_districts_today(people):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ApplicationError) as refused:
        partnership_entry_create(actor=people["liaison"], school=people["school"], contact=visit(on=tomorrow))
    assert "on" in refused.value.fields
