"""The calendar's pages: what a principal and the office see on it, the private address shown once, and the
office's forms (each refusal next to its field, nothing saved)."""

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse

from schools.models import Role
from support.models import CalendarFeed, Milestone, MilestoneKind, OptInWindow
from tests.support import calendar_world

# The shared fixtures (tests/support/calendar_world.py), by name.
people = calendar_world.people
today = calendar_world.today
years = calendar_world.years


D = datetime.date
PAGE = reverse("support:calendar")


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _text(response) -> str:
    """The page's words, without tags or runs of spaces."""
    html = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+([,.])", r"\1", re.sub(r"\s+", " ", html))


@pytest.fixture
def milestones(years):
    this = years["this"]
    return {
        "winter": Milestone.objects.create(
            school_year=this,
            kind=MilestoneKind.DISTRICT_CLOSED,
            title="Winter break",
            on=D(2026, 12, 21),
            ends_on=D(2027, 1, 1),
            description="District offices are closed.",
        ),
        "fall": Milestone.objects.create(
            school_year=this, kind=MilestoneKind.CONTRACT_SIGNING, title="Contracts signed", on=D(2026, 9, 30)
        ),
        "staffing": Milestone.objects.create(
            school_year=this, kind=MilestoneKind.STAFFING_DEADLINE, title="Staffing plans due", on=D(2027, 4, 15)
        ),
        "today": Milestone.objects.create(
            school_year=this, kind=MilestoneKind.OTHER, title="Board meeting", on=D(2026, 12, 4)
        ),
        "next": Milestone.objects.create(
            school_year=years["next"],
            kind=MilestoneKind.ALLOCATIONS_RELEASED,
            title="Allocations out",
            on=D(2028, 3, 1),
        ),
        "window": OptInWindow.objects.create(school_year=this, opens_on=D(2027, 2, 1), closes_on=D(2027, 2, 26)),
    }


def test_a_principal_reads_the_current_year_by_month(people, milestones, today):
    response = _client(people[Role.PRINCIPAL]).get(PAGE)
    assert response.status_code == 200
    text = _text(response)
    assert "5 dates in 2026-27" in text and "Allocations out" not in text
    months = re.findall(r'<h2 id="month-[a-z0-9-]+">([^<]+)</h2>', response.content.decode())
    assert months == ["September 2026", "December 2026", "February 2027", "April 2027"]
    # Today's board meeting is under way, and links to its month.
    assert "Under way: Board meeting, Dec 4, 2026." in text
    assert '<a href="#month-december-2026">Board meeting</a>' in response.content.decode()
    assert 'id="month-december-2026"' in response.content.decode()
    assert "Sep 30, 2026 Past Contracts signed" in text
    assert "Dec 4, 2026 Today Board meeting" in text
    assert "Dec 21, 2026 – Jan 1, 2027 In 17 days Winter break District offices are closed." in text
    assert "Feb 1 – Feb 26, 2027 In 59 days Network choice for 2026-27" in text
    assert "From the network opt-in window" in text
    assert "Apr 15, 2027 In 132 days Staffing plans due" in text
    assert text.count("Entered by the autonomy office") == 4
    assert "District offices closed" in text and "Performance contracts signed" in text  # each entry's kind
    # The office's links are not offered to a principal.
    assert "Add a milestone" not in text and "/edit/" not in response.content.decode()
    assert 'class="calendar-past"' in response.content.decode()


def test_filters_by_year_and_kind(people, milestones, today):
    client = _client(people[Role.VIEWER])
    text = _text(client.get(PAGE, {"year": "2027-28"}))
    assert "1 date in 2027-28" in text and "Allocations out" in text and "Winter break" not in text
    text = _text(client.get(PAGE, {"kind": "networks"}))
    assert "1 date in 2026-27 of this kind" in text and "Network choice for 2026-27" in text
    assert "Winter break" not in text
    response = client.get(PAGE, {"year": "2030-31", "kind": "nonsense"})
    text = _text(response)
    assert "5 dates in 2026-27" in text  # a filter that is not one of the choices is not applied
    assert "Select a valid choice. nonsense is not one of the available choices." in text  # the kind says so
    # The year's box shows the year listed, whether none was asked for or an unknown one.
    for query in ({"year": "2030-31"}, {"kind": "closed"}, {}):
        body = client.get(PAGE, query).content.decode()
        assert re.search(r'<option value="2026-27" selected>', body), query
        assert len(re.findall(r"<option [^>]*selected", body)) == 2, query  # the year, and the kind (or every kind)
    assert _text(client.get(PAGE, {"kind": "call"})).count("Nothing is on the calendar for 2026-27 of this kind") == 1


def test_an_htmx_filter_answers_only_the_results(people, milestones, today):
    response = _client(people[Role.PRINCIPAL]).get(PAGE, {"kind": "closed"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="calendar-results"')
    assert "Winter break" in body and "Subscribe in your calendar app" not in body


def test_without_a_role_there_is_no_page(people):
    assert _client(people["no_role"]).get(PAGE).status_code == 404
    assert Client().get(PAGE).status_code == 302


def test_the_office_sees_its_links(people, milestones, today):
    response = _client(people[Role.ADMIN]).get(PAGE)
    body = response.content.decode()
    assert "Add a milestone" in body
    assert reverse("support:milestone_edit", args=[milestones["winter"].pk]) in body
    assert body.count("/edit/") == 4  # the four typed milestones of the year; the window is changed on its page


def test_the_private_address_is_shown_once(people, years, today):
    principal = people[Role.PRINCIPAL]
    client = _client(principal)
    page = _text(client.get(PAGE))
    assert "Whoever has the address sees the calendar, without signing in." in page
    assert "Make my private address" in page
    made = client.post(reverse("support:calendar_feed_make"))
    assert made.status_code == 201
    address = re.search(r'value="(http://testserver/support/calendar/feed/[A-Za-z0-9_-]+\.ics)"', made.content.decode())
    assert address and "webcal://testserver/support/calendar/feed/" in made.content.decode()
    assert Client().get(address.group(1)).status_code == 200
    later = client.get(PAGE).content.decode()
    assert "/support/calendar/feed/" not in later and "Replace my private address" in later
    again = client.post(reverse("support:calendar_feed_make"))
    assert again.status_code == 409 and "You already have a private address" in _text(again)
    assert "/support/calendar/feed/" not in again.content.decode()
    replaced = client.post(reverse("support:calendar_feed_replace"))
    assert replaced.status_code == 200
    new = re.search(r'value="(http://testserver/support/calendar/feed/[A-Za-z0-9_-]+\.ics)"', replaced.content.decode())
    assert new.group(1) != address.group(1)
    assert Client().get(address.group(1)).status_code == 404
    assert Client().get(new.group(1)).status_code == 200
    assert CalendarFeed.objects.count() == 1


def test_no_address_without_a_role(people):
    client = _client(people["no_role"])
    assert client.post(reverse("support:calendar_feed_make")).status_code == 404
    assert client.post(reverse("support:calendar_feed_replace")).status_code == 404
    assert not CalendarFeed.objects.exists()


def _form(year="2026-27", **changes):
    return {
        "school_year": year,
        "kind": "schedules",
        "title": "School schedules due",
        "on": "2027-05-14",
        "ends_on": "",
        "description": "Next year's bell schedule.",
    } | changes


def test_the_office_adds_changes_and_deletes_a_milestone(people, years, today):
    client = _client(people[Role.ADMIN])
    assert client.get(reverse("support:milestone_create")).status_code == 200
    response = client.post(reverse("support:milestone_create"), _form())
    assert response.status_code == 302 and response.url == f"{PAGE}?year=2026-27"
    milestone = Milestone.objects.get()
    assert (milestone.title, milestone.on, milestone.ends_on) == ("School schedules due", D(2027, 5, 14), None)
    page = _text(client.get(response.url))
    assert "“School schedules due” is on the calendar, May 14, 2027." in page
    edit = reverse("support:milestone_edit", args=[milestone.pk])
    assert 'value="School schedules due"' in client.get(edit).content.decode()
    response = client.post(edit, _form(title="Schedules due", ends_on="2027-05-21"))
    assert response.status_code == 302
    milestone.refresh_from_db()
    assert (milestone.title, milestone.ends_on) == ("Schedules due", D(2027, 5, 21))
    response = client.post(reverse("support:milestone_delete", args=[milestone.pk]))
    assert response.status_code == 302
    assert "“Schedules due” (May 14 – May 21, 2027) is off the calendar." in _text(client.get(response.url))
    assert not Milestone.objects.exists()
    assert client.post(reverse("support:milestone_delete", args=[milestone.pk])).status_code == 404
    assert client.get(edit).status_code == 404


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"ends_on": "2027-05-01"}, "ends_on", "The last day comes before the first"),
        ({"on": "2027-08-01"}, "on", "outside the 2026-27 school year"),
        ({"title": "   "}, "title", "Give the milestone a title"),
        ({"title": "x" * 201}, "title", "at most 200 characters"),
        ({"kind": "holiday"}, "kind", "Select a valid choice"),
        ({"on": "May 14"}, "on", "Enter a valid date"),
        ({"school_year": "1999-00"}, "school_year", "Select a valid choice"),
        ({"description": "x" * 4001}, "description", "at most 4000 characters"),
    ],
)
def test_a_bad_milestone_is_refused_next_to_its_field(people, years, today, changes, field, words):
    response = _client(people[Role.ADMIN]).post(reverse("support:milestone_create"), _form(**changes))
    assert response.status_code == 400
    assert words in response.content.decode()
    assert f'href="#id_{field}"' in response.content.decode()  # the summary links to the field
    assert not Milestone.objects.exists()


@pytest.mark.parametrize("role", [Role.PRINCIPAL, Role.LIAISON, Role.REVIEWER, Role.VIEWER])
def test_others_with_a_role_are_refused_and_change_nothing(people, milestones, role):
    client = _client(people[role])
    pk = milestones["winter"].pk
    for response in (
        client.get(reverse("support:milestone_create")),
        client.post(reverse("support:milestone_create"), _form()),
        client.post(reverse("support:milestone_edit", args=[pk]), _form()),
        client.post(reverse("support:milestone_delete", args=[pk])),
    ):
        assert response.status_code == 403
        assert "Only the autonomy office changes the planning calendar." in _text(response)
    assert Milestone.objects.count() == 5 and Milestone.objects.get(pk=pk).title == "Winter break"


def test_a_second_post_of_the_same_form_adds_nothing_more(people, years, today):
    client = _client(people[Role.ADMIN])
    form = client.get(reverse("support:milestone_create")).content.decode()
    key = re.search(r'name="form_key" value="([^"]+)"', form)
    data = _form() | ({"form_key": key.group(1)} if key else {})
    assert key, "the form is drawn with a key"
    first = client.post(reverse("support:milestone_create"), data)
    second = client.post(reverse("support:milestone_create"), data)
    assert first.status_code == second.status_code == 302
    assert Milestone.objects.count() == 1


HOSTILE = ["²", "٣", "３２", "-1", "0", "\x00", "x" * 1_000_000, "9" * 30, "2027-02-30", "<script>", ""]


@pytest.mark.parametrize("field", ["school_year", "kind", "title", "on", "ends_on", "description", "form_key"])
def test_hostile_values_are_refused_never_a_500(people, milestones, field):
    client = _client(people[Role.ADMIN])
    before = list(Milestone.objects.order_by("pk").values_list("pk", "title", "on", "ends_on"))
    for url in (reverse("support:milestone_create"), reverse("support:milestone_edit", args=[milestones["fall"].pk])):
        for value in HOSTILE:
            response = client.post(url, _form(**{field: value}))
            assert response.status_code in (302, 400), (url, field, value[:20], response.status_code)
            if response.status_code == 302:  # a value the form may take (a blank last day, a harmless title)
                assert field in ("ends_on", "description", "form_key", "title"), (field, value[:20])
            Milestone.objects.exclude(pk__in=[pk for pk, *_ in before]).delete()
    for query in ({"year": "\x00"}, {"kind": "x" * 10_000}, {"year": ["a", "b"]}):
        assert client.get(PAGE, query).status_code == 200


def test_what_the_page_says_of_closed_days_holds_for_support_deadlines(people, years, today):
    """The page says closed days do not count toward a support request's deadline: a closure the office
    enters here moves a deadline counted by the support requests' business days."""
    from support.services.business_days import due_date
    from support.services.calendar import milestone_create

    assert "do not count toward a support request's service deadline" in _text(_client(people[Role.VIEWER]).get(PAGE))
    friday = D(2026, 12, 4)
    assert due_date(friday, 5) == D(2026, 12, 11)
    milestone_create(
        actor=people[Role.ADMIN],
        school_year=years["this"],
        kind=MilestoneKind.DISTRICT_CLOSED,
        title="Offices closed",
        on=D(2026, 12, 7),
        ends_on=D(2026, 12, 8),
    )
    assert due_date(friday, 5) == D(2026, 12, 15)


def test_next_names_the_first_date_to_come(people, milestones, monkeypatch):
    client = _client(people[Role.PRINCIPAL])
    calendar_world.on_day(monkeypatch, D(2026, 12, 5))
    text = _text(client.get(PAGE))
    assert "Next: Winter break, Dec 21, 2026 – Jan 1, 2027, in 16 days." in text
    calendar_world.on_day(monkeypatch, D(2026, 12, 22))
    assert "Under way: Winter break, Dec 21, 2026 – Jan 1, 2027." in _text(client.get(PAGE))
    calendar_world.on_day(monkeypatch, D(2026, 12, 22))
    assert "Next:" not in _text(client.get(PAGE, {"year": "2025-26"}))  # a year that is over
    assert "Next: Allocations out, Mar 1, 2028, in 435 days." in _text(client.get(PAGE, {"year": "2027-28"}))
