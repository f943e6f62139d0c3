"""One intervention ladder for the nightly run and for a person raising a flag: each rung acts on the
autonomies its rule binds, gives a fresh notice (remedy and deadline of the rung), sends one message per
person per event; one live flag per school and condition; a cure period that ends in a cure or the next
rung."""

import datetime
import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from accountability.models import InterventionFlag
from accountability.services import evaluation_run, flag_escalate, flag_submit_plan
from autonomy.models import GrantStatus
from contracts.models import Level, TemplateBenchmark, TemplateRule
from core.models import Notification
from schools.models import Role
from tests.accountability.builders import AS_OF, active_contract, ela_template, flag_of, observe, school_years
from tests.factories import SchoolFactory, grant

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(make_member):
    return make_member(Role.ADMIN)


def _school_with_hiring(admin, template, *, liaison=None):
    """A school holding hiring under an active contract from the template, missing ELA (40 < 50)."""
    school = SchoolFactory(liaison=liaison)
    hiring = grant(school, "people.hiring")
    principal = active_contract(school, admin=admin, template=template, years=school_years())
    observe(school, "2025-26", 45)
    observe(school, "2026-27", 40)
    return school, hiring, principal


def _messages(user, flag):
    return Notification.objects.filter(user=user, url__contains=f"/flags/{flag.pk}/")


def test_raising_by_hand_gives_the_rung_its_deadline_remedy_and_acts_on_the_contracts_autonomy(admin, make_member):
    """Found: "Raise one level" kept the old deadline and remedy, and changed none of the school's grants
    (the rule binds no benchmark to an autonomy, so the rung acts on the autonomies the contract gives)."""
    liaison = make_member(Role.LIAISON)
    school, hiring, principal = _school_with_hiring(
        admin, ela_template(level=Level.INTENSIFIED_SUPPORT), liaison=liaison
    )
    evaluation_run(as_of=AS_OF)
    flag = flag_of(school)
    assert (flag.level, flag.remedy) == (Level.INTENSIFIED_SUPPORT, "Submit an improvement plan.")
    old_deadline = flag.deadline
    Notification.objects.all().delete()

    raised = flag_escalate(actor=admin, flag_id=flag.pk, note="No plan yet.", expected_level=3)

    today = timezone.localdate()
    assert raised.level == Level.AT_RISK
    assert raised.deadline == today + datetime.timedelta(days=settings.CURE_PERIOD_DAYS) != old_deadline
    assert "cure period" in raised.remedy and raised.remedy != "Submit an improvement plan."
    hiring.refresh_from_db()
    assert hiring.status == GrantStatus.AT_RISK
    event = hiring.events.latest("pk")
    assert event.actor == admin and event.action == "put_at_risk"
    assert f"until {raised.deadline:%B %-d, %Y}" in event.reason
    # One message per person for the event, stating what happened to the autonomy, and the new deadline.
    for person in (principal, liaison):
        (message,) = Notification.objects.filter(user=person)
        assert "“Hire and dismiss staff” is now at risk." in message.body
        assert f"Deadline: {raised.deadline:%B %-d, %Y}" in message.body
        assert "Contract provision: Section 5.1, “What happens if it does not”" in message.body


def test_raising_to_revoked_revokes_the_grant_and_the_notice_has_no_deadline_of_today(admin):
    """Found: a revocation sent two inbox messages with a "deadline" of today."""
    school, hiring, principal = _school_with_hiring(admin, ela_template(level=Level.SUSPENDED))
    evaluation_run(as_of=AS_OF)
    flag = flag_of(school)
    hiring.refresh_from_db()
    assert hiring.status == GrantStatus.SUSPENDED
    Notification.objects.all().delete()

    flag_escalate(actor=admin, flag_id=flag.pk, note="Still missed.", expected_level=Level.SUSPENDED)

    hiring.refresh_from_db()
    assert hiring.status == GrantStatus.REVOKED
    (message,) = Notification.objects.filter(user=principal)
    assert "is now revoked" in message.body
    assert "Deadline: none" in message.body and f"Deadline: {timezone.localdate():%B %-d, %Y}" not in message.body


def test_the_nightly_run_sends_one_message_per_person_for_a_revocation(admin):
    school, hiring, principal = _school_with_hiring(admin, ela_template(level=Level.REVOKED))
    Notification.objects.all().delete()
    evaluation_run(as_of=AS_OF)
    hiring.refresh_from_db()
    assert hiring.status == GrantStatus.REVOKED
    (message,) = Notification.objects.filter(user=principal)
    assert "“Hire and dismiss staff” is now revoked." in message.body and "Deadline: none" in message.body


def _two_rung_template():
    """Two rules of one condition: one benchmark missed is a notice, two are a corrective plan."""
    template = ela_template(level=Level.NOTICE)
    TemplateBenchmark.objects.create(
        template=template,
        key="ela-2",
        metric=TemplateBenchmark.objects.get(template=template).metric,
        kind="value",
        comparator=">=",
        target_mode="fixed",
        target_value=35,
    )
    TemplateRule.objects.create(
        template=template,
        key="two-missed",
        condition="n_missed",
        count=2,
        level=Level.CORRECTIVE_PLAN,
        deadline_days=90,
        remedy="Submit a corrective action plan.",
        provision="Section 5.2",
    )
    return template


def test_rules_of_one_condition_open_one_flag_at_the_highest_rung_that_holds(admin):
    """Found: the same misses opened a level-1 and a level-2 flag at once, with different deadlines."""
    school, _, _ = _school_with_hiring(admin, _two_rung_template())
    observe(school, "2026-27", 30)  # both benchmarks missed: both rules hold
    evaluation_run(as_of=AS_OF)
    (flag,) = InterventionFlag.objects.filter(school=school)
    assert (flag.level, flag.rule_key, flag.remedy) == (
        Level.CORRECTIVE_PLAN,
        "two-missed",
        "Submit a corrective action plan.",
    )
    assert flag.deadline == AS_OF + datetime.timedelta(days=90)


def test_a_higher_rule_of_the_same_condition_supersedes_the_live_lower_flag(admin):
    school, _, principal = _school_with_hiring(admin, _two_rung_template())
    evaluation_run(as_of=AS_OF)  # 40: only the first benchmark missed
    first = flag_of(school)
    assert (first.level, first.rule_key) == (Level.NOTICE, "one-missed")
    observe(school, "2026-27", 30)
    later = AS_OF + datetime.timedelta(days=3)
    run = evaluation_run(as_of=later)
    (flag,) = InterventionFlag.objects.filter(school=school)
    assert flag.pk == first.pk and (flag.level, flag.rule_key) == (Level.CORRECTIVE_PLAN, "two-missed")
    assert flag.deadline == later + datetime.timedelta(days=90) and flag.provision == "Section 5.2"
    assert run.counts["flags_raised"] == 1 and run.counts["flags_opened"] == 0
    assert flag.events.latest("pk").action == "escalate"
    assert _messages(principal, flag).count() == 2  # opened, then raised: one message each
    # The same date again changes nothing and sends nothing.
    again = evaluation_run(as_of=later)
    assert again.counts["flags_raised"] == 0 and _messages(principal, flag).count() == 2


def _at_risk_school(admin):
    """Hiring bound to the ELA benchmark by a rule that puts it at risk, evaluated as of AS_OF."""
    template = ela_template(level=Level.AT_RISK)
    template.rules.update(condition="binding_missed", deadline_days=20)
    school = SchoolFactory()
    hiring = grant(school, "people.hiring")
    TemplateBenchmark.objects.filter(template=template).update(binding_autonomy=hiring.autonomy)
    principal = active_contract(school, admin=admin, template=template, years=school_years())
    observe(school, "2026-27", 40)
    evaluation_run(as_of=AS_OF)
    return school, hiring, principal


def test_the_nightly_run_puts_autonomy_at_risk_for_a_cure_period_that_ends_on_a_date(admin):
    """Found: the nightly job never produced a cure period."""
    school, hiring, _ = _at_risk_school(admin)
    flag = flag_of(school)
    hiring.refresh_from_db()
    assert hiring.status == GrantStatus.AT_RISK
    assert flag.deadline == AS_OF + datetime.timedelta(days=20)
    assert f"until {flag.deadline:%B %-d, %Y}" in hiring.events.latest("pk").reason


def test_a_condition_cleared_within_the_cure_period_cures_the_grant_with_the_evidence(admin):
    school, hiring, principal = _at_risk_school(admin)
    flag = flag_of(school)
    observe(school, "2026-27", 55)  # met again
    later = AS_OF + datetime.timedelta(days=10)
    run = evaluation_run(as_of=later)
    hiring.refresh_from_db()
    assert hiring.status == GrantStatus.ACTIVE and run.counts["grants_cured"] == 1
    event = hiring.events.latest("pk")
    assert event.action == "cure_by_rule" and event.reason.startswith("Cured")
    assert event.evidence["flag"] == flag.pk and event.evidence["results"]["ela"]["status"] == "met"
    assert flag.events.latest("pk").action == "cure"
    assert _messages(principal, flag).filter(title__endswith="autonomy cured").count() == 1
    # A second run of the date cures nothing again.
    assert evaluation_run(as_of=later).counts["grants_cured"] == 0


def test_a_cure_period_ended_uncured_takes_the_next_rung_even_with_a_plan_submitted(admin):
    school, hiring, principal = _at_risk_school(admin)
    flag = flag_of(school)
    flag_submit_plan(actor=principal, flag_id=flag.pk, plan="Reading coaches from January.")
    after = flag.deadline + datetime.timedelta(days=1)
    run = evaluation_run(as_of=after)
    flag.refresh_from_db()
    hiring.refresh_from_db()
    assert flag.level == Level.SUSPENDED and hiring.status == GrantStatus.SUSPENDED
    assert run.counts["grants_suspended"] == 1 and run.counts["flags_raised"] == 1


def test_the_flag_page_says_what_raising_does_and_gives_the_last_rung_no_deadline(admin, client):
    """Found: the page promised "a new notice and deadline" and raising changed neither, nor any grant."""
    school, _, _ = _school_with_hiring(admin, ela_template(level=Level.INTENSIFIED_SUPPORT))
    evaluation_run(as_of=AS_OF)
    flag = flag_of(school)
    client.force_login(admin)
    page = client.get(reverse("accountability:flag_detail", args=[flag.pk])).content.decode()
    days = settings.CURE_PERIOD_DAYS
    assert f"“Hire and dismiss staff” will be at risk for a cure period of {days} days." in page
    assert "Section 5.1, “What happens if it does not”: If 1 or more benchmarks are missed" in page
    InterventionFlag.objects.filter(pk=flag.pk).update(level=Level.REVOKED)
    page = client.get(reverse("accountability:flag_detail", args=[flag.pk])).content.decode()
    assert "No deadline: this is the last step of the contract" in page and "Raise one level" not in page


def test_a_notice_names_the_measure_with_its_value_and_limit_not_the_benchmarks_slug(admin):
    """Found: notices showed metric slugs ("ela-growth") and a revocation did not say the value."""
    school, hiring, principal = _school_with_hiring(admin, ela_template(level=Level.REVOKED))
    Notification.objects.all().delete()
    evaluation_run(as_of=AS_OF)
    flag = flag_of(school)
    assert flag.deficiency == ("Benchmarks missed in 2026-27: Proficiency in ELA: 40% against a target of 50%.")
    (message,) = Notification.objects.filter(user=principal)
    assert message.body.startswith(flag.deficiency)
    assert not re.search(r"\bela\b", message.body)  # the benchmark's key
