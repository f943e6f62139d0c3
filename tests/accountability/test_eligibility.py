"""Earned eligibility: the nightly run lists the schools that newly meet an earned autonomy's criteria, once,
and the autonomy office invites them to request it."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accountability.models import EligibilityFinding, EvaluationRun
from accountability.services import eligibility_findings_record, eligibility_invite, evaluation_run
from autonomy.models import Autonomy, EligibilityCriterion
from autonomy.services import request_create, request_set_autonomies, request_withdraw
from core.errors import Conflict, NotPermitted
from core.models import Notification
from metrics.models import Metric
from schools.models import Role, School
from tests.accountability.builders import AS_OF, observe, school_years
from tests.autonomy.factories import CallFactory
from tests.factories import MembershipFactory, SchoolFactory, grant

pytestmark = pytest.mark.django_db

NEXT_NIGHT = AS_OF + datetime.timedelta(days=1)


@pytest.fixture
def salary():
    """`money.salary` is earned: a finance rating of at least 4 and at most one audit finding."""
    school_years()
    autonomy = Autonomy.objects.get(code="money.salary")
    for metric, comparator, threshold in (("finance_rating", ">=", 4), ("audit_findings", "<=", 1)):
        EligibilityCriterion.objects.create(
            autonomy=autonomy, metric=Metric.objects.get(code=metric), comparator=comparator, threshold=threshold
        )
    return autonomy


def a_school(*, finance="4.5", audit="0", period="2026-27"):
    """A school with a principal and the two criteria's metrics observed (None leaves one out)."""
    school = SchoolFactory()
    MembershipFactory(role=Role.PRINCIPAL, school=school)
    if finance is not None:
        observe(school, period, finance, metric="finance_rating")
    if audit is not None:
        observe(school, period, audit, metric="audit_findings")
    return school


def listed(autonomy) -> set:
    return set(EligibilityFinding.objects.filter(autonomy=autonomy).values_list("school_id", flat=True))


# --- who is listed ---------------------------------------------------------------------------------


def test_a_school_meeting_every_criterion_is_listed_once_with_the_evidence_used(salary):
    school = a_school(finance="4.5", audit="1")
    run = evaluation_run(as_of=AS_OF)
    assert run.counts["newly_eligible"] == 1
    finding = EligibilityFinding.objects.get()
    assert (finding.school, finding.autonomy, finding.run, finding.invited_at) == (school, salary, run, None)
    assert finding.evidence == {
        "as_of": "2026-11-01",
        "criteria": [
            {
                "criterion": "Finance evaluation rating at least 4",
                "metric": "finance_rating",
                "comparator": ">=",
                "threshold": "4",
                "period": "2026-27",
                "value": "4.5",
                "holds": True,
            },
            {
                "criterion": "Audit findings at most 1 finding",
                "metric": "audit_findings",
                "comparator": "<=",
                "threshold": "1",
                "period": "2026-27",
                "value": "1",
                "holds": True,
            },
        ],
    }


def test_a_second_run_of_the_same_date_and_the_next_night_list_nothing_new(salary):
    a_school()
    assert evaluation_run(as_of=AS_OF).counts["newly_eligible"] == 1
    assert evaluation_run(as_of=AS_OF).counts["newly_eligible"] == 0
    assert evaluation_run(as_of=NEXT_NIGHT).counts["newly_eligible"] == 0
    assert EligibilityFinding.objects.count() == 1
    later = a_school()
    assert evaluation_run(as_of=NEXT_NIGHT).counts["newly_eligible"] == 1
    assert later.pk in listed(salary) and EligibilityFinding.objects.count() == 2


def test_a_school_meeting_only_some_criteria_is_not_listed(salary):
    a_school(finance="4.8", audit="3")
    a_school(finance="3.9", audit="0")
    assert evaluation_run(as_of=AS_OF).counts["newly_eligible"] == 0
    assert not EligibilityFinding.objects.exists()


def test_missing_data_is_not_meeting(salary):
    a_school(finance="5", audit=None)
    a_school(finance=None, audit="0")
    assert evaluation_run(as_of=AS_OF).counts["newly_eligible"] == 0


def test_a_school_holding_the_grant_is_not_listed(salary):
    holder = a_school()
    grant(holder, "money.salary")
    eligible = a_school()
    grant(eligible, "money.budget")  # another autonomy does not count
    evaluation_run(as_of=AS_OF)
    assert listed(salary) == {eligible.pk}


def test_a_school_with_an_open_request_for_it_is_not_listed_until_the_request_is_withdrawn(salary):
    school = a_school()
    principal = school.memberships.get(role=Role.PRINCIPAL).user
    call = CallFactory(offers=["money.salary", "program.curriculum"])
    request = request_create(actor=principal, school=school, call=call)
    request_set_autonomies(actor=principal, request_id=request.pk, autonomy_ids=[salary.pk])
    other = a_school()
    other_principal = other.memberships.get(role=Role.PRINCIPAL).user
    other_request = request_create(actor=other_principal, school=other, call=call)
    curriculum = Autonomy.objects.get(code="program.curriculum")
    request_set_autonomies(actor=other_principal, request_id=other_request.pk, autonomy_ids=[curriculum.pk])
    evaluation_run(as_of=AS_OF)
    assert listed(salary) == {other.pk}  # a request for another autonomy does not count
    request_withdraw(actor=principal, request_id=request.pk)
    assert evaluation_run(as_of=NEXT_NIGHT).counts["newly_eligible"] == 1
    assert listed(salary) == {school.pk, other.pk}


def test_the_latest_period_begun_by_the_date_counts(salary):
    slipped = a_school(finance="5", period="2025-26")
    observe(slipped, "2026-27", "3", metric="finance_rating")  # the latest is below the threshold
    improved = a_school(finance="3", period="2025-26")
    observe(improved, "2026-27", "4", metric="finance_rating")
    early = a_school(finance="3")
    observe(early, "2027-28", "5", metric="finance_rating")  # a year that has not begun on the date
    evaluation_run(as_of=AS_OF)
    assert listed(salary) == {improved.pk}
    finding = EligibilityFinding.objects.get()
    assert [(c["period"], c["value"]) for c in finding.evidence["criteria"]] == [("2026-27", "4"), ("2025-26", "0")]


def test_a_school_that_stops_meeting_the_criteria_ends_its_episode_and_is_listed_anew_when_it_meets_them_again(salary):
    school = a_school()
    first_run = evaluation_run(as_of=AS_OF)
    observe(school, "2026-27", "2", metric="finance_rating")
    second = evaluation_run(as_of=NEXT_NIGHT)
    first = EligibilityFinding.objects.get()
    assert second.counts["newly_eligible"] == 0
    assert first.ended_at is not None and first.ended_run == second and first.run == first_run
    evaluation_run(as_of=NEXT_NIGHT)  # a re-run of the date ends nothing more and lists nothing
    assert EligibilityFinding.objects.count() == 1
    observe(school, "2026-27", "4", metric="finance_rating")
    assert evaluation_run(as_of=NEXT_NIGHT + datetime.timedelta(days=1)).counts["newly_eligible"] == 1
    assert EligibilityFinding.objects.filter(school=school, ended_at__isnull=True).count() == 1


def test_a_run_for_an_earlier_date_does_not_end_a_later_runs_finding(salary):
    school = a_school(finance="3", period="2025-26")
    observe(school, "2026-27", "4", metric="finance_rating")
    evaluation_run(as_of=AS_OF)
    evaluation_run(as_of=datetime.date(2026, 3, 1))  # in 2025-26, when the school did not meet them
    assert EligibilityFinding.objects.get().ended_at is None


def test_an_earned_autonomy_without_criteria_and_other_models_are_not_listed(salary):
    a_school()
    EligibilityCriterion.objects.filter(autonomy=salary).delete()
    assert evaluation_run(as_of=AS_OF).counts["newly_eligible"] == 0


def test_a_dry_run_counts_the_newly_eligible_and_keeps_nothing(salary):
    a_school()
    preview = evaluation_run(as_of=AS_OF, dry_run=True)
    assert preview.counts["newly_eligible"] == 1
    assert not EligibilityFinding.objects.exists() and not EvaluationRun.objects.exists()
    assert evaluation_run(as_of=AS_OF).counts["newly_eligible"] == 1


def _districts(count):
    for i in range(count):
        if i % 5 == 4:
            a_school(finance="2")  # a school not eligible
        else:
            a_school()


def test_the_queries_do_not_grow_with_the_schools(salary, django_assert_num_queries):
    run = EvaluationRun.objects.create(as_of=AS_OF, started_at=timezone.now())
    _districts(5)
    # The criteria, the latest observations, grants and requests, the open findings, one insert.
    with django_assert_num_queries(5):
        assert eligibility_findings_record(run=run, as_of=AS_OF) == 4
    _districts(35)
    with django_assert_num_queries(5):
        assert eligibility_findings_record(run=run, as_of=AS_OF) == 28
    for school in School.objects.filter(pk__in=sorted(listed(salary))[:20]):
        observe(school, "2026-27", "1", metric="finance_rating")
    # Nothing new to insert, and one update ends the episodes of the schools that slipped.
    with django_assert_num_queries(5):
        assert eligibility_findings_record(run=run, as_of=AS_OF) == 0
    assert EligibilityFinding.objects.filter(ended_at__isnull=False).count() == 20


# --- the invitation ----------------------------------------------------------------------------------


@pytest.fixture
def found(salary, make_member):
    school = a_school()
    evaluation_run(as_of=AS_OF)
    return {
        "finding": EligibilityFinding.objects.get(school=school),
        "school": school,
        "principal": school.memberships.get(role=Role.PRINCIPAL).user,
        "admin": make_member(Role.ADMIN, first_name="Ada", last_name="Office"),
        "call": CallFactory(offers=["money.salary"], title="Autumn requests"),  # invitations go through it
    }


def test_an_invitation_tells_the_principal_once_and_records_who_and_when(found, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        eligibility_invite(actor=found["admin"], finding_id=found["finding"].pk)
    finding = EligibilityFinding.objects.get(pk=found["finding"].pk)
    assert finding.invited_by == found["admin"] and finding.invited_at is not None
    (note,) = Notification.objects.filter(user=found["principal"])
    assert note.title == "Your school now meets the criteria for “Set the salary budget line”"
    assert "You are invited to request it in the call “Autumn requests”" in note.body
    assert "Finance evaluation rating at least 4: 5 in 2026-27 (met)." in note.body
    assert note.url == f"{reverse('autonomy:call_list')}#call-{found['call'].pk}"
    assert note.key == f"eligibility:{finding.pk}:invite"


def test_a_second_invitation_is_refused_naming_when_the_first_was_sent(found):
    eligibility_invite(actor=found["admin"], finding_id=found["finding"].pk)
    sent = timezone.localtime(EligibilityFinding.objects.get().invited_at)
    with pytest.raises(Conflict, match=f"already invited .* on {sent:%B %-d, %Y} .* by Ada Office"):
        eligibility_invite(actor=found["admin"], finding_id=found["finding"].pk)
    assert Notification.objects.filter(user=found["principal"]).count() == 1


@pytest.mark.parametrize("role", [Role.REVIEWER, Role.VIEWER, Role.LIAISON])
def test_only_the_autonomy_office_invites(found, make_member, role):
    with pytest.raises(NotPermitted):
        eligibility_invite(
            actor=make_member(role, function="finance" if role == Role.REVIEWER else ""), finding_id=found["finding"].pk
        )
    with pytest.raises(NotPermitted):
        eligibility_invite(actor=found["principal"], finding_id=found["finding"].pk)
    assert EligibilityFinding.objects.get().invited_at is None and not Notification.objects.exists()


def test_a_school_that_has_since_been_granted_it_is_not_invited(found):
    grant(found["school"], "money.salary")
    with pytest.raises(Conflict, match="already holds or has asked for"):
        eligibility_invite(actor=found["admin"], finding_id=found["finding"].pk)
    assert not Notification.objects.exists()


# --- the page ---------------------------------------------------------------------------------------


def test_the_page_lists_the_school_the_evidence_in_words_and_invites_it(found, client_for):
    client = client_for(found["admin"])
    page = client.get(reverse("accountability:eligibility_findings")).content.decode()
    for words in (
        found["school"].name,
        "Set the salary budget line",
        "Finance evaluation rating at least 4: 5 in 2026-27 (met).",  # a whole rating, as the metric is written
        "Audit findings at most 1",
        ": 0 findings in 2026-27 (met).",  # the count names what it counts
        "Nov 1, 2026",
        "csrfmiddlewaretoken",
        reverse("accountability:eligibility_invite", args=[found["finding"].pk]),
    ):
        assert words in page, words
    response = client.post(reverse("accountability:eligibility_invite", args=[found["finding"].pk]))
    assert response.status_code == 302 and response.url == reverse("accountability:eligibility_findings")
    page = client.get(reverse("accountability:eligibility_findings")).content.decode()
    assert "was invited to request" in page and "Invited" in page and "by Ada Office" in page
    assert reverse("accountability:eligibility_invite", args=[found["finding"].pk]) not in page
    again = client.post(reverse("accountability:eligibility_invite", args=[found["finding"].pk]))
    assert again.status_code == 409 and "already invited" in again.content.decode()
    assert Notification.objects.filter(user=found["principal"]).count() == 1


def test_the_page_and_the_invitation_are_the_admins_alone(found, client_for, make_member):
    url = reverse("accountability:eligibility_invite", args=[found["finding"].pk])
    for user in (found["principal"], make_member(Role.REVIEWER, function="finance"), make_member(Role.VIEWER)):
        client = client_for(user)
        assert client.get(reverse("accountability:eligibility_findings")).status_code == 404
        assert client.post(url).status_code == 404
    assert (
        client_for(found["admin"]).post(reverse("accountability:eligibility_invite", args=[999999])).status_code == 404
    )
    assert EligibilityFinding.objects.get().invited_at is None


def test_the_runs_page_counts_the_newly_eligible_and_links_the_list(found, client_for):
    page = client_for(found["admin"]).get(reverse("accountability:evaluation_runs")).content.decode()
    assert "Newly eligible for an earned autonomy: <strong>1</strong>" in page
    assert reverse("accountability:eligibility_findings") in page


def test_the_page_answers_htmx_with_the_table_only(found, client_for):
    partial = client_for(found["admin"]).get(reverse("accountability:eligibility_findings"), HTTP_HX_REQUEST="true")
    assert "<html" not in partial.content.decode() and found["school"].name in partial.content.decode()


def test_the_page_query_count_does_not_grow_with_the_findings(found, client_for, django_assert_num_queries):
    client = client_for(found["admin"])
    client.get(
        reverse("accountability:eligibility_findings")
    )  # warm: session, roles and unread count are cached from here on
    with django_assert_num_queries(PAGE_QUERIES):
        assert client.get(reverse("accountability:eligibility_findings")).status_code == 200
    _districts(25)
    evaluation_run(as_of=NEXT_NIGHT)
    eligibility_invite(actor=found["admin"], finding_id=EligibilityFinding.objects.order_by("pk").last().pk)
    assert EligibilityFinding.objects.count() == 21
    client.get(reverse("accountability:eligibility_findings"))
    with django_assert_num_queries(PAGE_QUERIES):
        page = client.get(reverse("accountability:eligibility_findings")).content.decode()
    assert page.count("<tr>") == 22 and "Invited" in page


PAGE_QUERIES = 5  # the session's user, the count, the findings, the criteria's metrics, the open calls
