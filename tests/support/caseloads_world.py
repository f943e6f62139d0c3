"""The caseloads' objects for the authorization matrices, added to their world on first use: a second
liaison holding the "other" school, and one partnership entry at each school (the own school's by its
liaison, the other's by the second liaison), each with next steps."""

import datetime

from django.utils import timezone

from schools.models import Role
from schools.services.liaisons import school_liaison_set
from support.services.partnership import Contact, partnership_entry_create
from tests.factories import MembershipFactory


def caseloads_world(world: dict) -> dict:
    if "caseloads" in world:
        return world["caseloads"]
    other_liaison = MembershipFactory(role=Role.LIAISON).user
    school_liaison_set(school=world["other"], liaison=other_liaison)
    world["other"].refresh_from_db()
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    contact = Contact(
        kind="visit", on=yesterday, minutes=60, notes="Walked classrooms.", next_steps="Share a schedule."
    )
    entries = {
        True: partnership_entry_create(actor=world["users"][Role.LIAISON], school=world["own"], contact=contact),
        False: partnership_entry_create(actor=other_liaison, school=world["other"], contact=contact),
    }
    world["caseloads"] = {"liaisons": {True: world["users"][Role.LIAISON], False: other_liaison}, "entries": entries}
    return world["caseloads"]
