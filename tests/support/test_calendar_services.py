"""The calendar's writes: milestones by the autonomy office only, each bad input refused naming its field with
nothing saved; feed addresses made once, stored only as a hash, and replaced at once."""

import datetime
import hashlib

import pytest

from core.errors import ApplicationError, NotFound, NotPermitted
from core.limits import NOTE_TEXT, SHORT_TEXT
from schools.models import Membership, Role
from support.models import CalendarFeed, Milestone, MilestoneKind
from support.services.calendar import (
    calendar_feed_for,
    calendar_feed_replace,
    milestone_create,
    milestone_delete,
    milestone_update,
)
from tests.support import calendar_world

# The shared fixtures (tests/support/calendar_world.py), by name.
people = calendar_world.people
years = calendar_world.years


D = datetime.date


def _values(year, **changes):
    return {
        "school_year": year,
        "kind": MilestoneKind.STAFFING_DEADLINE,
        "title": "Staffing plans due to HR",
        "on": D(2027, 4, 15),
        "ends_on": None,
        "description": "Each school's positions for next year.",
    } | changes


def test_the_office_adds_a_milestone(years, people):
    milestone = milestone_create(actor=people[Role.ADMIN], **_values(years["this"], ends_on=D(2027, 4, 16)))
    milestone.refresh_from_db()
    assert (milestone.school_year, milestone.kind, milestone.title) == (
        years["this"],
        "staffing",
        "Staffing plans due to HR",
    )
    assert (milestone.on, milestone.ends_on) == (D(2027, 4, 15), D(2027, 4, 16))


def test_a_span_ending_the_day_it_starts_is_one_day_and_text_is_trimmed(years, people):
    milestone = milestone_create(
        actor=people[Role.ADMIN], **_values(years["this"], ends_on=D(2027, 4, 15), title="  Due  ")
    )
    assert milestone.ends_on is None
    assert milestone.title == "Due"


BAD = {
    "ends_on before on": ({"ends_on": D(2027, 4, 14)}, "ends_on", "before the first"),
    "on before the year": ({"on": D(2026, 6, 30)}, "on", "outside the 2026-27 school year"),
    "on after the year": ({"on": D(2027, 7, 1)}, "on", "outside the 2026-27 school year"),
    "ends_on after the year": ({"ends_on": D(2027, 7, 2)}, "ends_on", "outside the 2026-27 school year"),
    "blank title": ({"title": ""}, "title", "Give the milestone a title"),
    "spaces for a title": ({"title": "   "}, "title", "Give the milestone a title"),
    "no title": ({"title": None}, "title", "Give the milestone a title"),
    "title too long": ({"title": "x" * (SHORT_TEXT + 1)}, "title", f"at most {SHORT_TEXT}"),
    "description too long": ({"description": "x" * (NOTE_TEXT + 1)}, "description", f"at most {NOTE_TEXT}"),
    "unknown kind": ({"kind": "holiday"}, "kind", "“holiday” is not one"),
    "blank kind": ({"kind": ""}, "kind", "Choose a kind"),
    "no school year": ({"school_year": None}, "school_year", "Choose the school year"),
    "on not a date": ({"on": "2027-04-15"}, "on", "Give the date"),
    "no date": ({"on": None}, "on", "Give the date"),
    "ends_on not a date": ({"ends_on": "soon"}, "ends_on", "as a date"),
}


@pytest.mark.parametrize(("change", "field", "words"), list(BAD.values()), ids=list(BAD))
def test_bad_input_is_refused_naming_the_field_and_nothing_is_saved(years, people, change, field, words):
    with pytest.raises(ApplicationError) as refused:
        milestone_create(actor=people[Role.ADMIN], **_values(years["this"], **change))
    assert list(refused.value.fields) == [field]
    assert words in " ".join(refused.value.fields[field])
    assert not Milestone.objects.exists()


def test_every_problem_is_named_at_once(years, people):
    with pytest.raises(ApplicationError) as refused:
        milestone_create(actor=people[Role.ADMIN], **_values(years["this"], title="", kind="x", on=D(2028, 1, 1)))
    assert set(refused.value.fields) == {"title", "kind", "on"}


@pytest.mark.parametrize(
    "role", [Role.PRINCIPAL, Role.SCHOOL_TEAM, Role.LIAISON, Role.REVIEWER, Role.VIEWER, "no_role"]
)
def test_only_the_autonomy_office_writes(years, people, role):
    with pytest.raises(NotPermitted):
        milestone_create(actor=people[role], **_values(years["this"]))
    assert not Milestone.objects.exists()
    milestone = milestone_create(actor=people[Role.ADMIN], **_values(years["this"]))
    with pytest.raises(NotPermitted):
        milestone_update(actor=people[role], milestone_id=milestone.pk, **_values(years["this"], title="Changed"))
    with pytest.raises(NotPermitted):
        milestone_delete(actor=people[role], milestone_id=milestone.pk)
    milestone.refresh_from_db()
    assert milestone.title == "Staffing plans due to HR"


def test_the_office_changes_and_deletes_a_milestone(years, people):
    admin = people[Role.ADMIN]
    milestone = milestone_create(actor=admin, **_values(years["this"]))
    milestone_update(
        actor=admin,
        milestone_id=milestone.pk,
        **_values(years["next"], title="Staffing plans due", on=D(2028, 4, 13), ends_on=D(2028, 4, 14)),
    )
    milestone.refresh_from_db()
    assert (milestone.school_year, milestone.title, milestone.on, milestone.ends_on) == (
        years["next"],
        "Staffing plans due",
        D(2028, 4, 13),
        D(2028, 4, 14),
    )
    deleted = milestone_delete(actor=admin, milestone_id=milestone.pk)
    assert deleted.title == "Staffing plans due"
    assert not Milestone.objects.exists()
    with pytest.raises(NotFound):
        milestone_delete(actor=admin, milestone_id=milestone.pk)
    with pytest.raises(NotFound):
        milestone_update(actor=admin, milestone_id=milestone.pk, **_values(years["this"]))


def test_a_refused_change_leaves_the_milestone_as_it_was(years, people):
    admin = people[Role.ADMIN]
    milestone = milestone_create(actor=admin, **_values(years["this"]))
    with pytest.raises(ApplicationError) as refused:
        milestone_update(
            actor=admin, milestone_id=milestone.pk, **_values(years["this"], title="New", on=D(2030, 1, 1))
        )
    assert list(refused.value.fields) == ["on"]
    milestone.refresh_from_db()
    assert (milestone.title, milestone.on) == ("Staffing plans due to HR", D(2027, 4, 15))


# --- feeds ------------------------------------------------------------------------------------------


def test_a_feed_is_made_on_first_use_and_only_its_hash_is_kept(people):
    principal = people[Role.PRINCIPAL]
    feed, token = calendar_feed_for(user=principal)
    assert token and len(token) >= 40
    assert feed.token == hashlib.sha256(token.encode()).hexdigest()
    assert token not in feed.token
    again, no_token = calendar_feed_for(user=principal)
    assert (again.pk, no_token) == (feed.pk, None)
    assert CalendarFeed.objects.count() == 1


def test_replacing_a_feed_ends_the_old_token_at_once(people):
    principal = people[Role.PRINCIPAL]
    feed, old = calendar_feed_for(user=principal)
    replaced, new = calendar_feed_replace(user=principal)
    assert replaced.pk == feed.pk and new != old
    assert not CalendarFeed.objects.filter(token=hashlib.sha256(old.encode()).hexdigest()).exists()
    assert CalendarFeed.objects.get().token == hashlib.sha256(new.encode()).hexdigest()


def test_replacing_without_a_feed_makes_one(people):
    feed, token = calendar_feed_replace(user=people[Role.VIEWER])
    assert feed.token == hashlib.sha256(token.encode()).hexdigest()


def test_tokens_differ_between_people(people):
    tokens = {calendar_feed_for(user=people[role])[1] for role in (Role.PRINCIPAL, Role.VIEWER, Role.ADMIN)}
    assert len(tokens) == 3


def test_no_feed_without_a_role_or_for_an_inactive_account(people):
    with pytest.raises(NotPermitted):
        calendar_feed_for(user=people["no_role"])
    with pytest.raises(NotPermitted):
        calendar_feed_replace(user=people["no_role"])
    principal = people[Role.PRINCIPAL]
    principal.is_active = False
    principal.save()
    with pytest.raises(NotPermitted):
        calendar_feed_for(user=principal)
    assert not CalendarFeed.objects.exists()


def test_a_removed_role_means_no_new_feed(people):
    reviewer = people[Role.REVIEWER]
    Membership.objects.filter(user=reviewer).delete()
    reviewer = type(reviewer).objects.get(pk=reviewer.pk)  # a new request: roles read afresh
    with pytest.raises(NotPermitted):
        calendar_feed_for(user=reviewer)
