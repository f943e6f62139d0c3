"""The calendar pages in the authorization matrix: {url name: Page} in the vocabulary of tests/matrix_kit.py.

The calendar is the district's, not a school's: everyone with a role reads it alike, so no page here is
asked about an own or other school except the office's milestone pages (the milestone belongs to no school;
own and other ask about the same one). Without a role there is no such page (404); a reader who may not
change the calendar is refused (403), as the milestones are no secret to them.
"""

import datetime

from schools.models import Role
from support.models import Milestone, MilestoneKind
from support.services.calendar import calendar_feed_replace
from tests.matrix_kit import Page, login_or, table

READERS = login_or(others=200, no_role=404)
OFFICE_FORM = login_or(others=403, no_role=404, admin=200)


def milestone_pk(world, own):
    """A milestone of the world's first school year (own and other: the same, as it is the district's)."""
    year = world["contracts"][True].term_start
    milestone, _ = Milestone.objects.get_or_create(
        school_year=year,
        title="Staffing plans due",
        defaults={"kind": MilestoneKind.STAFFING_DEADLINE, "on": datetime.date(2027, 4, 15)},
    )
    return {"pk": milestone.pk}


def feed_token(world, own):
    """A token made for the world's principal: the feed answers whoever fetches it, signed in or not."""
    return {"token": calendar_feed_replace(user=world["users"][Role.PRINCIPAL])[1]}


PAGES = {
    "support:calendar": Page(READERS),
    # Making the address answers with it (201); the page is the reader's own, so no_role is told there is none.
    "support:calendar_feed_make": Page(login_or(others=201, no_role=404), method="post"),
    "support:calendar_feed_replace": Page(login_or(others=200, no_role=404), method="post"),
    "support:calendar_feed": Page(table(others=200), kwargs=feed_token),
    "support:milestone_create": Page(OFFICE_FORM),
    "support:milestone_edit": Page(OFFICE_FORM, kwargs=milestone_pk),
    # The office (asked last) deletes it and is sent back to the calendar.
    "support:milestone_delete": Page(login_or(others=403, no_role=404, admin=302), kwargs=milestone_pk, method="post"),
}
