"""The evaluation's guardrails: an anomalous import or a mass change of grants holds the run for an admin,
who confirms it (exactly what was shown is done) or discards it (nothing is done)."""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse

from accountability.models import EvaluationRun, InterventionFlag, RunStatus
from accountability.services import evaluation_run, evaluation_run_confirm, evaluation_run_discard
from autonomy.models import AutonomyGrant, GrantEvent
from contracts.models import TemplateBenchmark
from core.errors import Conflict, NotPermitted
from core.models import Notification
from schools.models import Role
from tests.accountability.builders import AS_OF, school_years
from tests.accountability.test_engine import _active_contract, _observe, _template
from tests.factories import SchoolFactory, grant

pytestmark = pytest.mark.django_db

FINANCE = (
    "finance_rating",
    dict(key="finance", kind="value", comparator=">=", target_mode="fixed", target_value=3),
)
REVOKE_ON_BINDING = dict(key="binding", condition="binding_missed", count=1, level=6, deadline_days=0)


@pytest.fixture
def admin(make_member):
    return make_member(Role.ADMIN)


@pytest.fixture
def district(admin, make_member):
    """Six schools holding budget autonomy, bound to a finance rating of at least 3 (revoked on a miss)."""
    years = school_years()
    schools = [SchoolFactory() for _ in range(6)]
    grants = [grant(school, "money.budget") for school in schools]
    template = _template([FINANCE], [REVOKE_ON_BINDING])
    TemplateBenchmark.objects.filter(template=template).update(binding_autonomy=grants[0].autonomy)
    for school in schools:
        _active_contract(school, template, admin, make_member, start=years[1], end=years[2])
    return schools


def _state():
    return (
        list(AutonomyGrant.objects.order_by("pk").values_list("pk", "status")),
        GrantEvent.objects.count(),
        InterventionFlag.objects.count(),
        Notification.objects.count(),
    )


def _import_all_zero(schools):
    for school in schools:
        _observe(school, "finance_rating", "2026-27", 0)


def test_an_all_zero_import_holds_the_run_and_changes_nothing(district, django_capture_on_commit_callbacks):
    _import_all_zero(district)
    before = _state()
    with django_capture_on_commit_callbacks() as callbacks:
        run = evaluation_run(as_of=AS_OF, trigger="nightly")
    assert callbacks == []  # no notice, no email scheduled
    assert _state() == before
    run.refresh_from_db()
    assert run.status == RunStatus.HELD and run.attempts == 1
    assert "finance_rating" in run.held_reason and "6 of 6 values for 2026-27 are zero" in run.held_reason
    assert run.counts["grants_revoked"] == 6 and run.counts["flags_opened"] == 6
    assert not run.results.exists()


def test_confirming_applies_exactly_what_the_held_run_showed(district, admin):
    _import_all_zero(district)
    held = evaluation_run(as_of=AS_OF)
    run = evaluation_run_confirm(actor=admin, as_of=AS_OF)
    assert run.pk == held.pk and run.status == RunStatus.SUCCEEDED and run.confirmed_by == admin
    assert run.counts == held.counts and run.held_reason == ""
    assert AutonomyGrant.objects.filter(status="revoked").count() == held.counts["grants_revoked"]
    assert InterventionFlag.objects.filter(opened_run=run).count() == held.counts["flags_opened"]
    assert Notification.objects.exists()
    with pytest.raises(Conflict, match="no longer held"):
        evaluation_run_confirm(actor=admin, as_of=AS_OF)


def test_confirming_after_the_data_changed_holds_again_with_the_new_counts(district, admin):
    _import_all_zero(district)
    evaluation_run(as_of=AS_OF)
    for school in district[:2]:
        _observe(school, "finance_rating", "2026-27", 4)
    before = _state()
    with pytest.raises(Conflict, match="data changed"):
        evaluation_run_confirm(actor=admin, as_of=AS_OF)
    run = EvaluationRun.objects.get()
    assert run.status == RunStatus.HELD and run.counts["grants_revoked"] == 4 and _state() == before


def test_discarding_changes_nothing_and_a_later_run_may_hold_again(district, admin, make_member):
    _import_all_zero(district)
    evaluation_run(as_of=AS_OF)
    before = _state()
    with pytest.raises(NotPermitted):
        evaluation_run_discard(actor=make_member(Role.LIAISON), as_of=AS_OF)
    run = evaluation_run_discard(actor=admin, as_of=AS_OF)
    assert run.status == RunStatus.DISCARDED and run.discarded_by == admin and _state() == before
    with pytest.raises(Conflict):
        evaluation_run_discard(actor=admin, as_of=AS_OF)
    assert evaluation_run(as_of=AS_OF).status == RunStatus.HELD


def test_a_normal_run_revoking_one_grant_of_twenty_is_not_held(admin, make_member):
    years = school_years()
    schools = [SchoolFactory() for _ in range(20)]
    grants = [grant(school, "money.budget") for school in schools]
    template = _template([FINANCE], [REVOKE_ON_BINDING])
    TemplateBenchmark.objects.filter(template=template).update(binding_autonomy=grants[0].autonomy)
    for school in schools:
        _active_contract(school, template, admin, make_member, start=years[1], end=years[2])
        _observe(school, "finance_rating", "2026-27", 4)
    _observe(schools[0], "finance_rating", "2026-27", 2)
    run = evaluation_run(as_of=AS_OF)
    assert run.status == RunStatus.SUCCEEDED and run.held_reason == ""
    assert run.counts["grants_revoked"] == 1
    assert list(AutonomyGrant.objects.filter(status="revoked").values_list("school", flat=True)) == [schools[0].pk]


def test_revoking_more_than_the_share_of_live_grants_holds(district, settings):
    for school in district[:2]:
        _observe(school, "finance_rating", "2026-27", 2)
    for school in district[2:]:
        _observe(school, "finance_rating", "2026-27", 4)
    run = evaluation_run(as_of=AS_OF)
    assert run.status == RunStatus.HELD and "revoke 2 of 6 live grants, more than 10%" in run.held_reason
    settings.EVALUATION_MAX_GRANT_CHANGE_SHARE = 0.5
    assert evaluation_run(as_of=AS_OF).status == RunStatus.SUCCEEDED


def test_the_command_and_the_task_report_a_held_run(district, capsys):
    from accountability.tasks import evaluate_benchmarks_nightly

    _import_all_zero(district)
    call_command("evaluate_benchmarks", "--as-of", AS_OF.isoformat())
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[-2] == "status: held" and "finance_rating" in lines[-1]
    result = evaluate_benchmarks_nightly.delay(AS_OF.isoformat()).get()
    assert result["status"] == "held" and "finance_rating" in result["held_reason"]


def test_the_page_offers_confirm_and_discard_to_the_admin_alone(district, admin, make_member, client_for):
    _import_all_zero(district)
    evaluation_run(as_of=AS_OF)
    client = client_for(admin)
    page = client.get(reverse("accountability:evaluation_runs")).content.decode()
    assert "Held for review" in page and "finance_rating" in page and "Would have:" in page
    for decision in ("confirm", "discard"):
        assert reverse("accountability:evaluation_run_decide", args=[decision]) in page
    assert 'name="as_of" value="2026-11-01"' in page
    outsider = client_for(make_member(Role.LIAISON))
    for decision in ("confirm", "discard"):
        response = outsider.post(
            reverse("accountability:evaluation_run_decide", args=[decision]), {"as_of": "2026-11-01"}
        )
        assert response.status_code == 404
    assert EvaluationRun.objects.get().status == RunStatus.HELD

    response = client.post(reverse("accountability:evaluation_run_decide", args=["confirm"]), {"as_of": "2026-11-01"})
    assert response.status_code == 302
    assert EvaluationRun.objects.get().status == RunStatus.SUCCEEDED
    assert AutonomyGrant.objects.filter(status="revoked").count() == 6
    response = client.post(reverse("accountability:evaluation_run_decide", args=["discard"]), {"as_of": "2026-11-01"})
    assert response.status_code == 409 and "no longer held" in response.content.decode()
    assert (
        client.post(
            reverse("accountability:evaluation_run_decide", args=["other"]), {"as_of": "2026-11-01"}
        ).status_code
        == 404
    )
    assert datetime.date(2026, 11, 1) == EvaluationRun.objects.get().as_of


def test_the_preview_says_the_run_would_be_held_and_records_nothing(district, admin, client_for):
    _import_all_zero(district)
    response = client_for(admin).post(
        reverse("accountability:evaluation_runs"), {"as_of": "2026-11-01", "preview": "1"}
    )
    page = response.content.decode()
    assert response.status_code == 200 and "It would stop, held for review" in page and "finance_rating" in page
    assert not EvaluationRun.objects.exists()
