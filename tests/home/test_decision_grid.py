"""The decision grid gives every "Not held" its reason: revoked on a day and why, suspended, at risk until
the notice's deadline, starting later, eligible now, already allowed, asked for, or not requested. Before,
revoked, never held and "no rule prevents this" all read "Not held"."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from autonomy.models import Autonomy, ClarifiedFlexibility, EligibilityCriterion
from autonomy.services import grant_change
from metrics.models import Metric, Observation
from schools.models import Role
from tests.autonomy.factories import CallFactory, complete_request
from tests.factories import grant
from tests.home.builders import admin_user, open_flag, proposed_contract

pytestmark = pytest.mark.django_db


def written(day: datetime.date) -> str:
    return f"{day:%b} {day.day}, {day.year}"


def row(html: str, name: str) -> str:
    """The grid's row for one decision, its tags stripped to the words a reader sees."""
    match = re.search(
        rf'<th scope="row">{re.escape(name)}<small class="model-under">[^<]*</small></th>(.*?)</tr>', html, re.S
    )
    assert match, f"no row for {name}"
    return " ".join(re.sub(r"<[^>]+>", " ", match.group(1)).split())


@pytest.fixture
def school_with_history(school):
    """One school with a decision in each standing the grid explains; returns what the checks need."""
    admin = admin_user()
    today = timezone.localdate()
    hiring = grant(school, "people.hiring")
    grant_change(
        actor=admin,
        grant_id=hiring.pk,
        action="revoke",
        reason="7 teacher vacancies on the first day, against a limit of 3.",
    )
    calendar = grant(school, "time.pd_calendar")
    grant_change(actor=admin, grant_id=calendar.pk, action="suspend", reason="The calendar was not published.")
    contract = proposed_contract(school, admin=admin)
    flag = open_flag(school, contract=contract, days_left=40)
    schedule = grant(school, "time.schedule")
    grant_change(
        actor=None,
        grant_id=schedule.pk,
        action="put_at_risk",
        reason="Attendance below the target: autonomy at risk.",
        evidence={"flag": flag.pk},
    )
    grant(school, "program.assessment", starts_on=today + datetime.timedelta(days=10))
    finance = Metric.objects.get(code="finance_rating")
    for code in ("money.budget", "money.salary"):
        EligibilityCriterion.objects.create(
            autonomy=Autonomy.objects.get(code=code),
            metric=finance,
            comparator=">=",
            threshold=4 if code == "money.budget" else 5,
        )
    Observation.objects.create(school=school, metric=finance, period="2026-27", value=4)
    ClarifiedFlexibility.objects.create(
        autonomy=Autonomy.objects.get(code="program.curriculum"),
        domain="program",
        barrier="We thought we needed approval to pick a phonics program.",
        explanation="No district policy requires it.",
        clarified_by=admin,
    )
    return {"admin": admin, "flag": flag, "today": today}


def test_revoked_never_held_and_already_allowed_read_differently_on_the_principals_home(
    school, school_with_history, make_member, client_for
):
    principal = make_member(Role.PRINCIPAL, school=school)
    today, flag = school_with_history["today"], school_with_history["flag"]

    html = client_for(principal).get(reverse("home")).content.decode()

    assert row(html, "Hire and dismiss staff") == (
        f"Full, with expectations Revoked Revoked on {written(today)}: "
        "7 teacher vacancies on the first day, against a limit of 3."
    )
    assert row(html, "Set the professional-development calendar").endswith(
        f"Suspended Suspended on {written(today)}: The calendar was not published."
    )
    assert f"Held, at risk At risk until {written(flag.deadline)}: Attendance below the target" in row(
        html, "Redesign the school schedule"
    )
    assert reverse("accountability:flag_detail", args=[flag.pk]) in html
    assert row(html, "Choose interim assessments").endswith(
        f"Not held yet starts {written(today + datetime.timedelta(days=10))}"
    )
    assert row(html, "Control the school budget") == (
        "Earned Not held Eligible now: Finance evaluation rating at least 4 (the school has 4 in 2026-27)."
    )
    assert row(html, "Set the salary budget line") == "Earned Not held Not requested."
    assert row(html, "Choose curriculum").startswith(
        "By request Not held Already allowed: no rule prevents "
        "“We thought we needed approval to pick a phonics program.”"
    )
    assert row(html, "Add learning time") == "By request Not held Not requested."


def test_the_school_page_gives_the_same_reasons_and_when_an_at_risk_grant_was_put_at_risk(
    school, school_with_history, make_member, client_for
):
    liaison = make_member(Role.LIAISON)
    school.liaison = liaison
    school.save()
    today = school_with_history["today"]

    html = client_for(liaison).get(reverse("autonomy:school_detail", args=[school.code])).content.decode()

    assert f"Revoked on {written(today)}: 7 teacher vacancies" in row(html, "Hire and dismiss staff")
    assert f"At risk since {written(today)}" in row(html, "Redesign the school schedule")
    assert "Eligible now" in row(html, "Control the school budget")
    assert "Already allowed" in row(html, "Choose curriculum")
    assert row(html, "Add learning time").endswith("Not requested.")


def test_a_decision_asked_for_says_so_instead_of_not_requested(school, make_member, client_for):
    principal = make_member(Role.PRINCIPAL, school=school)
    call = CallFactory(created_by=admin_user(), offers=["program.offerings"])
    request = complete_request(principal=principal, school=school, call=call, codes=("program.offerings",), submit=True)

    html = client_for(principal).get(reverse("home")).content.decode()

    assert row(html, "Design program offerings").startswith("By request Not held Asked for: the request is submitted.")
    assert reverse("autonomy:request_detail", args=[request.pk]) in html


def test_another_schools_history_does_not_explain_this_schools_grid(school, other_school, make_member, client_for):
    theirs = grant(other_school, "people.hiring")
    grant_change(actor=admin_user(), grant_id=theirs.pk, action="revoke", reason="Their vacancies.")
    principal = make_member(Role.PRINCIPAL, school=school)

    html = client_for(principal).get(reverse("home")).content.decode()

    assert row(html, "Hire and dismiss staff") == "Full, with expectations Not held Not requested."
    assert "Their vacancies." not in html


def test_a_schools_draft_shows_on_its_home_but_not_to_its_liaison(school, make_member, client_for):
    principal = make_member(Role.PRINCIPAL, school=school)
    liaison = make_member(Role.LIAISON)
    school.liaison = liaison
    school.save()
    call = CallFactory(created_by=admin_user(), offers=["program.offerings"])
    draft = complete_request(principal=principal, school=school, call=call, codes=("program.offerings",))

    home = client_for(principal).get(reverse("home")).content.decode()
    page = client_for(liaison).get(reverse("autonomy:school_detail", args=[school.code])).content.decode()

    assert "In a draft request, not submitted yet." in row(home, "Design program offerings")
    assert row(page, "Design program offerings") == "By request Not held Not requested."
    assert reverse("autonomy:request_detail", args=[draft.pk]) not in page


def test_a_decision_revoked_under_the_contract_links_to_the_notice(school, make_member, client_for):
    principal = make_member(Role.PRINCIPAL, school=school)
    flag = open_flag(school, contract=proposed_contract(school, admin=admin_user()), days_left=0)
    hiring = grant(school, "people.hiring")
    grant_change(
        actor=None,
        grant_id=hiring.pk,
        action="revoke_by_rule",
        reason="7 teacher vacancies on the first day, against a limit of 3: autonomy revoked.",
        evidence={"flag": flag.pk},
    )

    html = client_for(principal).get(reverse("home")).content.decode()

    assert row(html, "Hire and dismiss staff").startswith(
        f"Full, with expectations Revoked Revoked on {written(timezone.localdate())}: 7 teacher vacancies"
    )
    assert row(html, "Hire and dismiss staff").endswith("Read the notice about hire and dismiss staff")
    assert f'<a href="{reverse("accountability:flag_detail", args=[flag.pk])}">Read the notice' in html


def test_a_decision_an_open_call_offers_says_where_to_ask_for_it(school, make_member, client_for):
    principal = make_member(Role.PRINCIPAL, school=school)
    CallFactory(created_by=admin_user(), offers=["time.learning_time"])
    CallFactory(
        created_by=admin_user(),
        title="Closed call",
        offers=["program.offerings"],
        closes_on=timezone.localdate() - datetime.timedelta(days=1),
    )

    html = client_for(principal).get(reverse("home")).content.decode()

    assert row(html, "Add learning time") == (
        "By request Not held Not requested. An open call offers it: ask for it (add learning time) ."
    )
    assert row(html, "Design program offerings") == "By request Not held Not requested."


def test_an_at_risk_grant_reads_until_the_end_of_its_cure_period_on_the_home_and_the_school_page(
    school, make_member, client_for
):
    principal = make_member(Role.PRINCIPAL, school=school)
    cure_ends = timezone.localdate() + datetime.timedelta(days=45)
    budget = grant(school, "money.budget")
    grant_change(
        actor=None,
        grant_id=budget.pk,
        action="put_at_risk",
        reason="Finance evaluation rating 3, below the criterion of at least 4: at risk.",
        at_risk_until=cure_ends,
    )
    client = client_for(principal)

    for url in (reverse("home"), reverse("autonomy:school_detail", args=[school.code])):
        html = client.get(url).content.decode()
        assert row(html, "Control the school budget") == (
            f"Earned Held, at risk At risk until {written(cure_ends)}: "
            "Finance evaluation rating 3, below the criterion of at least 4: at risk."
        )
