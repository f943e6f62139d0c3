"""Each role's home starts with what needs the person: the principal's list of things to act on, the
liaison's caseload with its flags and deadlines, the reviewer's queue."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from accountability.models import FlagStatus
from schools.models import Role
from tests.autonomy.factories import CallFactory, complete_request
from tests.factories import MembershipFactory, SchoolFactory, grant
from tests.home.builders import admin_user, open_flag, proposed_contract, returned_request

pytestmark = pytest.mark.django_db


def written(day: datetime.date) -> str:
    """A date as the pages write it: Feb 1, 2027."""
    return f"{day:%b} {day.day}, {day.year}"


def in_days(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


def needs_html(response) -> str:
    """The "Needs you" section alone, so a check cannot pass on the grid or the navigation."""
    html = response.content.decode()
    match = re.search(r'<section class="needs".*?</section>', html, re.S)
    assert match, "the home has no needs section"
    return match.group(0)


@pytest.fixture
def admin(db):
    return admin_user()


# --- The principal's home -------------------------------------------------------------------------


def test_the_principals_home_shows_the_contract_to_sign(school, make_member, client_for, admin):
    principal = make_member(Role.PRINCIPAL, school=school)
    contract = proposed_contract(school, admin=admin)

    response = client_for(principal).get(reverse("home"))

    assert response.status_code == 200
    needs = needs_html(response)
    assert "Performance contract 2026-27 to 2027-28, version 1: waiting for your signature" in needs
    assert f'href="{reverse("contracts:contract_detail", args=[contract.pk])}">Read and sign the contract</a>' in needs


def test_the_school_team_sees_the_contract_but_is_told_the_principal_signs(school, make_member, client_for, admin):
    team = make_member(Role.SCHOOL_TEAM, school=school)
    contract = proposed_contract(school, admin=admin)

    needs = needs_html(client_for(team).get(reverse("home")))

    assert f'href="{reverse("contracts:contract_detail", args=[contract.pk])}">Read the contract</a>' in needs
    assert "Read and sign" not in needs
    assert "waiting for the principal&#x27;s signature" in needs
    assert "The principal signs it." in needs


def test_open_flags_show_their_deadlines_and_days_left_soonest_first(school, make_member, client_for, admin):
    principal = make_member(Role.PRINCIPAL, school=school)
    contract = proposed_contract(school, admin=admin)
    later = open_flag(school, contract=contract, days_left=12, deficiency="Math growth is below the target.")
    sooner = open_flag(school, contract=contract, days_left=1, status=FlagStatus.ACKNOWLEDGED, level=2)
    late = open_flag(school, contract=contract, days_left=-3, deficiency="No attendance data by the due date.")
    answered = open_flag(school, contract=contract, days_left=5, status=FlagStatus.PLAN_SUBMITTED)

    needs = needs_html(client_for(principal).get(reverse("home")))

    assert f"By {written(in_days(12))}</strong> — 12 days left" in needs
    assert f"By {written(in_days(1))}</strong> — 1 day left" in needs
    assert f"By {written(in_days(-3))}</strong> — 3 days overdue" in needs
    assert "Flag: corrective action plan required" in needs
    assert "Expected remedy: Submit an improvement plan." in needs
    assert "Read the notice and answer with a plan" in needs
    order = [needs.index(reverse("accountability:flag_detail", args=[f.pk]) + '"') for f in (late, sooner, later)]
    assert order == sorted(order)
    # A flag whose plan is in waits on the district, not on the principal.
    assert reverse("accountability:flag_detail", args=[answered.pk]) + '"' not in needs


def test_an_open_call_shows_when_it_closes_and_the_days_left(school, make_member, client_for, admin):
    principal = make_member(Role.PRINCIPAL, school=school)
    call = CallFactory(created_by=admin, offers=["program.curriculum"], closes_on=in_days(12))
    CallFactory(created_by=admin, title="Last year's call", opens_on=in_days(-60), closes_on=in_days(-30))

    needs = needs_html(client_for(principal).get(reverse("home")))

    assert f"Call for proposals open: “{call.title}”" in needs
    assert f"Closes {written(in_days(12))}</strong> — 12 days left" in needs
    assert "It offers Choose curriculum." in needs
    assert "See the call and start a request" in needs
    assert "Last year&#x27;s call" not in needs


def test_a_call_the_school_has_answered_leaves_the_list(school, make_member, client_for, admin):
    principal = make_member(Role.PRINCIPAL, school=school)
    call = CallFactory(created_by=admin, offers=["program.curriculum"])
    complete_request(principal=principal, school=school, call=call, submit=True)

    needs = needs_html(client_for(principal).get(reverse("home")))

    assert call.title not in needs


def test_a_draft_request_shows_the_calls_closing_date(school, make_member, client_for, admin):
    principal = make_member(Role.PRINCIPAL, school=school)
    call = CallFactory(created_by=admin, offers=["program.curriculum"], closes_on=in_days(4))
    draft = complete_request(principal=principal, school=school, call=call)

    needs = needs_html(client_for(principal).get(reverse("home")))

    assert f"Your draft request in “{call.title}” is not submitted yet" in needs
    assert f"By {written(in_days(4))}</strong> — 4 days left" in needs
    assert reverse("autonomy:request_edit", args=[draft.pk, "autonomies"]) in needs


def test_a_request_returned_for_changes_is_on_the_list(school, make_member, client_for, admin):
    principal = make_member(Role.PRINCIPAL, school=school)
    request = returned_request(school, principal=principal, admin=admin)

    needs = needs_html(client_for(principal).get(reverse("home")))

    assert f"Your request in “{request.call.title}” was returned for changes" in needs
    assert f'href="{reverse("autonomy:request_detail", args=[request.pk])}"' in needs


def test_nothing_to_do_says_so(school, make_member, client_for):
    principal = make_member(Role.PRINCIPAL, school=school)

    needs = needs_html(client_for(principal).get(reverse("home")))

    assert "Nothing needs you today" in needs
    assert "<li" not in needs


def test_another_schools_items_never_appear(school, other_school, make_member, client_for, admin):
    principal = make_member(Role.PRINCIPAL, school=school)
    other_principal = make_member(Role.PRINCIPAL, school=other_school)
    theirs = proposed_contract(other_school, admin=admin)
    their_flag = open_flag(other_school, contract=theirs, days_left=9, deficiency="Their own deficiency.")
    their_request = returned_request(other_school, principal=other_principal, admin=admin)
    mine = proposed_contract(school, admin=admin)
    my_flag = open_flag(school, contract=mine, days_left=9)

    response = client_for(principal).get(reverse("home"))
    html = response.content.decode()

    assert response.context["school"] == school
    assert reverse("contracts:contract_detail", args=[mine.pk]) + '"' in html
    assert reverse("accountability:flag_detail", args=[my_flag.pk]) + '"' in html
    assert reverse("contracts:contract_detail", args=[theirs.pk]) + '"' not in html
    assert reverse("accountability:flag_detail", args=[their_flag.pk]) + '"' not in html
    assert reverse("autonomy:request_detail", args=[their_request.pk]) + '"' not in html
    assert "Their own deficiency." not in html
    assert other_school.name not in html


def test_the_principals_home_query_count_does_not_grow_with_items(
    make_member, client_for, django_assert_num_queries, admin
):
    school = SchoolFactory()
    principal = make_member(Role.PRINCIPAL, school=school)
    contract = proposed_contract(school, admin=admin)
    open_flag(school, contract=contract, days_left=10)
    CallFactory(created_by=admin, offers=["program.curriculum"])
    grant(school, "people.hiring")
    client = client_for(principal)
    client.get(reverse("home"))  # warm: session, roles and unread count are cached from here on
    # user, schools worked at; needs: contracts, requests, calls and what they offer, flags;
    # grid: catalog, grants and their steps, criteria, clarifications, request items
    with django_assert_num_queries(13):
        client.get(reverse("home"))
    for days in range(2, 21):
        open_flag(school, contract=contract, days_left=days)
        CallFactory(created_by=admin, offers=["program.curriculum", "money.budget"])
    returned_request(school, principal=principal, admin=admin)
    for code in ("time.schedule", "money.budget", "program.assessment"):
        grant(school, code)
    client.get(reverse("home"))  # the unread count, changed by the messages the new items sent
    with django_assert_num_queries(13):
        response = client.get(reverse("home"))
    assert len(response.context["needs"]) == 1 + 20 + 20 + 1


# --- The liaison's caseload -----------------------------------------------------------------------


def test_the_liaisons_home_shows_the_caseloads_flags_with_deadlines_soonest_first(make_member, client_for, admin):
    liaison = make_member(Role.LIAISON)
    quiet = SchoolFactory(liaison=liaison, name="Aaron")
    far, near = SchoolFactory(liaison=liaison, name="Adams"), SchoolFactory(liaison=liaison, name="Banneker")
    elsewhere = SchoolFactory(name="Carver")
    far_contract = proposed_contract(far, admin=admin)
    far_flag = open_flag(far, contract=far_contract, days_left=20)
    open_flag(far, contract=far_contract, days_left=30, status=FlagStatus.ACKNOWLEDGED)
    near_flag = open_flag(near, contract=proposed_contract(near, admin=admin), days_left=2, level=2)
    their_flag = open_flag(elsewhere, contract=proposed_contract(elsewhere, admin=admin), days_left=1)

    response = client_for(liaison).get(reverse("home"))
    html = response.content.decode()

    assert response.status_code == 200
    assert "<h1>Your caseload</h1>" in html
    assert f"By {written(in_days(2))}</strong> — 2 days left" in html
    assert f"By {written(in_days(20))}</strong> — 20 days left" in html
    assert "Adams: Notice of concern" in html and "Banneker: Corrective action plan required" in html
    near_at = html.index(reverse("accountability:flag_detail", args=[near_flag.pk]) + '"')
    far_at = html.index(reverse("accountability:flag_detail", args=[far_flag.pk]) + '"')
    assert near_at < far_at
    assert html.count("Read and acknowledge the flag") == 2
    assert html.count("Open: acknowledge it and talk with the principal.") == 2
    assert "Acknowledged by the liaison: waiting for the school&#x27;s improvement plan." in html
    assert f"By {written(in_days(30))}</strong> — 30 days left" in html
    assert reverse("accountability:flag_detail", args=[their_flag.pk]) + '"' not in html
    assert "Carver" not in html
    # The caseload's schools, the nearest deadline first, a school with no live flag last.
    assert [(s.name, s.live_flags, s.next_deadline) for s in response.context["caseload"]] == [
        ("Banneker", 1, in_days(2)),
        ("Adams", 2, in_days(20)),
        (quiet.name, 0, None),
    ]


def test_the_liaisons_home_query_count_does_not_grow_with_the_caseload(
    make_member, client_for, django_assert_num_queries, admin
):
    liaison = make_member(Role.LIAISON)
    first = SchoolFactory(liaison=liaison)
    open_flag(first, contract=proposed_contract(first, admin=admin), days_left=3)
    client = client_for(liaison)
    client.get(reverse("home"))
    # user, caseload with counts, flags
    with django_assert_num_queries(3):
        client.get(reverse("home"))
    for days in range(4, 24):
        school = SchoolFactory(liaison=liaison)
        open_flag(school, contract=proposed_contract(school, admin=admin), days_left=days)
    client.get(reverse("home"))
    with django_assert_num_queries(3):
        response = client.get(reverse("home"))
    assert len(response.context["flags"]) == 21


def test_the_liaisons_home_shows_each_schools_last_contact_and_next_step_with_a_link_to_log_one(
    make_member, client_for
):
    from support.services.partnership import Contact, partnership_entry_create

    liaison = make_member(Role.LIAISON)
    visited, quiet = SchoolFactory(liaison=liaison, name="Adams"), SchoolFactory(liaison=liaison, name="Banneker")
    for days_ago, steps in ((9, "Share two model schedules."), (2, ""), (30, "An older step.")):
        partnership_entry_create(
            actor=liaison,
            school=visited,
            contact=Contact(
                kind="visit",
                on=in_days(-days_ago),
                minutes=60,
                next_steps=steps,
                next_step_due=in_days(5) if steps else None,
            ),
        )

    response = client_for(liaison).get(reverse("home"))
    html = response.content.decode()

    rows = {school.name: school for school in response.context["caseload"]}
    # The last contact is the latest; the next step is the latest one agreed, even if a later contact agreed none.
    assert (rows["Adams"].last_contact, rows["Adams"].next_step, rows["Adams"].next_step_due) == (
        in_days(-2),
        "Share two model schedules.",
        in_days(5),
    )
    assert (rows["Banneker"].last_contact, rows["Banneker"].next_step) == (None, None)
    assert f"<td>{written(in_days(-2))}</td>" in html
    assert f'Share two model schedules. <span class="since">Due {written(in_days(5))}</span>' in html
    assert "No contact logged" in html and "None agreed" in html
    for school in (visited, quiet):
        assert reverse("support:partnership_entry_add", args=[school.code]) in html
        assert reverse("support:partnership_log", args=[school.code]) in html


# --- Central office -------------------------------------------------------------------------------


def test_a_reviewer_lands_on_the_review_queue(make_member, client_for):
    reviewer = make_member(Role.REVIEWER, function="finance")
    response = client_for(reviewer).get(reverse("home"))
    assert response.status_code == 302
    assert response.url == reverse("autonomy:review_queue")


@pytest.mark.parametrize("role", [Role.ADMIN, Role.VIEWER])
def test_the_autonomy_office_and_viewers_keep_the_district_overview(make_member, client_for, role):
    response = client_for(make_member(role)).get(reverse("home"))
    assert response.status_code == 302
    assert response.url == reverse("autonomy:district_overview")


def test_the_school_team_reads_a_flag_and_is_told_the_principal_answers(school, make_member, client_for, admin):
    team = make_member(Role.SCHOOL_TEAM, school=school)
    flag = open_flag(school, contract=proposed_contract(school, admin=admin), days_left=6)

    response = client_for(team).get(reverse("home"))
    needs = needs_html(response)

    assert '<h2 id="needs-heading">Needs your school' in needs
    assert f'href="{reverse("accountability:flag_detail", args=[flag.pk])}">Read the notice</a>' in needs
    assert "The principal submits the plan." in needs
    assert f"By {written(in_days(6))}</strong> — 6 days left" in needs


def test_staff_of_two_schools_start_on_the_first_by_name_with_the_other_a_link_away(make_member, client_for):
    first, second = SchoolFactory(name="Alpha Academy"), SchoolFactory(name="Zeta School")
    principal = make_member(Role.PRINCIPAL, school=second)
    MembershipFactory(user=principal, role=Role.SCHOOL_TEAM, school=first)

    response = client_for(principal).get(reverse("home"))
    html = response.content.decode()

    assert response.context["school"] == first
    assert "<h1>Alpha Academy</h1>" in html
    assert f'You also work at <a href="{reverse("autonomy:school_detail", args=[second.code])}">Zeta School</a>' in html
    # The principal of Zeta is on Alpha's team: Alpha's list is for the team.
    assert '<h2 id="needs-heading">Needs your school' in html


def test_a_flag_on_the_last_rung_shows_no_deadline_on_the_principals_or_the_liaisons_home(
    school, make_member, client_for, admin
):
    """Found: a revoked flag read "due today": the last rung of the ladder has no deadline."""
    principal = make_member(Role.PRINCIPAL, school=school)
    liaison = make_member(Role.LIAISON)
    school.liaison = liaison
    school.save()
    contract = proposed_contract(school, admin=admin)
    open_flag(school, contract=contract, days_left=0, level=6)
    needs = needs_html(client_for(principal).get(reverse("home")))
    assert "Flag: autonomy revoked" in needs and "due today" not in needs
    page = client_for(liaison).get(reverse("home")).content.decode()
    assert "Last step of the contract's ladder: no deadline." in page and "due today" not in page
