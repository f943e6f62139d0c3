"""The nightly evaluation end to end on the database: results, rules, flags, grant actions, idempotency."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accountability.models import BenchmarkResult, EvaluationRun, FlagEvent, InterventionFlag
from accountability.services import evaluation_run
from autonomy.models import Autonomy, AutonomyGrant, GrantEvent
from autonomy.services import grants_issue
from contracts.models import ContractTemplate, TemplateBenchmark, TemplateRule
from contracts.services import (
    contract_countersign,
    contract_create_from_template,
    contract_propose,
    contract_sign,
    contracts_import_signed,
)
from core.models import Notification
from metrics.models import Metric, Observation
from schools.models import Membership, Role
from tests.factories import NetworkFactory, SchoolFactory, SchoolYearFactory, UserFactory, grant

pytestmark = pytest.mark.django_db

AS_OF = datetime.date(2026, 11, 1)


@pytest.fixture
def years():
    return {
        "2025-26": SchoolYearFactory(
            label="2025-26",
            start_date=datetime.date(2025, 7, 1),
            end_date=datetime.date(2026, 6, 30),
            first_day=datetime.date(2025, 8, 18),
        ),
        "2026-27": SchoolYearFactory(label="2026-27"),
        "2027-28": SchoolYearFactory(
            label="2027-28",
            start_date=datetime.date(2027, 7, 1),
            end_date=datetime.date(2028, 6, 30),
            first_day=datetime.date(2027, 8, 16),
        ),
    }


@pytest.fixture
def admin(make_member):
    return make_member(Role.ADMIN)


def _template(benchmarks, rules):
    template = ContractTemplate.objects.create(name=f"T{ContractTemplate.objects.count()}")
    for i, (metric, fields) in enumerate(benchmarks):
        TemplateBenchmark.objects.create(
            template=template, position=i, metric=Metric.objects.get(code=metric), **fields
        )
    for i, fields in enumerate(rules):
        TemplateRule.objects.create(template=template, position=i, remedy="Do better.", provision=f"S{i}", **fields)
    return template


def _active_contract(school, template, admin, make_member, *, start, end):
    principal = make_member(Role.PRINCIPAL, school=school)
    contract = contract_create_from_template(
        actor=admin, school=school, template=template, term_start=start, term_end=end
    )
    contract_propose(actor=admin, contract_id=contract.pk)
    contract_sign(actor=principal, contract_id=contract.pk, password="correct-horse-battery")
    return contract_countersign(actor=admin, contract_id=contract.pk, password="correct-horse-battery"), principal


def _observe(school, metric, period, value):
    Observation.objects.update_or_create(
        school=school, metric=Metric.objects.get(code=metric), period=period, defaults={"value": Decimal(value)}
    )


VACANCIES = (
    "teacher_vacancies_first_day",
    dict(key="vacancies", kind="value", comparator="<=", target_mode="fixed", target_value=3),
)
REVOKE_ON_BINDING = dict(key="binding", condition="binding_missed", count=1, level=6, deadline_days=0)


def _snapshot():
    return (
        list(BenchmarkResult.objects.values_list("benchmark_id", "period", "status", "value", "evaluated_at")),
        list(InterventionFlag.objects.values_list("pk", "level", "status", "deadline", "condition_cleared_at")),
        FlagEvent.objects.count(),
        list(AutonomyGrant.objects.values_list("pk", "status")),
        GrantEvent.objects.count(),
        Notification.objects.count(),
    )


def test_the_seeds_example_vacancies_revoke_hiring_once(years, admin, make_member, make_member_liaison=None):
    liaison = make_member(Role.LIAISON)
    school = SchoolFactory(liaison=liaison)
    hiring = grant(school, "people.hiring")
    template = _template([VACANCIES], [REVOKE_ON_BINDING])
    TemplateBenchmark.objects.filter(template=template).update(binding_autonomy=hiring.autonomy)
    _, principal = _active_contract(school, template, admin, make_member, start=years["2026-27"], end=years["2027-28"])
    _observe(school, "teacher_vacancies_first_day", "2026-27", 5)

    first = evaluation_run(as_of=AS_OF)
    hiring.refresh_from_db()
    assert hiring.status == "revoked"
    event = hiring.events.latest("at")
    assert event.actor is None and event.evidence["as_of"] == "2026-11-01"
    flag = InterventionFlag.objects.get()
    assert flag.level == 6 and flag.school == school and "vacancies" in flag.deficiency
    assert flag.evidence["results"]["vacancies"]["value"] == "5"
    assert Notification.objects.filter(user=principal).exists() and Notification.objects.filter(user=liaison).exists()
    assert first.counts["grants_revoked"] == 1 and first.counts["flags_opened"] == 1
    assert first.counts["not_met"] == 1

    before = _snapshot()
    second = evaluation_run(as_of=AS_OF)
    assert _snapshot() == before
    assert second.counts["flags_opened"] == 0 and second.counts["grants_revoked"] == 0
    assert second.pk == first.pk and second.attempts == 2
    assert EvaluationRun.objects.count() == 1


def test_n_missed_opens_a_notice_and_clears_when_data_improve(years, admin, make_member):
    school = SchoolFactory()
    template = _template(
        [
            ("ela_proficiency", dict(key="ela", kind="value", comparator=">=", target_mode="fixed", target_value=50)),
            ("math_proficiency", dict(key="math", kind="value", comparator=">=", target_mode="fixed", target_value=50)),
        ],
        [dict(key="two-missed", condition="n_missed", count=2, level=1, deadline_days=60)],
    )
    _active_contract(school, template, admin, make_member, start=years["2026-27"], end=years["2027-28"])
    _observe(school, "ela_proficiency", "2026-27", 40)
    _observe(school, "math_proficiency", "2026-27", 45)
    run = evaluation_run(as_of=AS_OF)
    flag = InterventionFlag.objects.get()
    assert flag.level == 1 and flag.deadline == AS_OF + datetime.timedelta(days=60)
    assert run.counts["not_met"] == 2

    _observe(school, "math_proficiency", "2026-27", 55)
    run = evaluation_run(as_of=AS_OF + datetime.timedelta(days=1))
    flag.refresh_from_db()
    assert run.counts["flags_cleared"] == 1 and flag.condition_cleared_at is not None
    assert flag.status == "open"  # closing the case stays a human decision


def test_k_in_a_row_needs_every_period_missed(years, admin, make_member):
    school = SchoolFactory()
    template = _template(
        [("ela_proficiency", dict(key="ela", kind="value", comparator=">=", target_mode="fixed", target_value=50))],
        [dict(key="ela-twice", condition="k_in_a_row", count=2, level=3, deadline_days=90, benchmark_key="ela")],
    )
    _active_contract(school, template, admin, make_member, start=years["2025-26"], end=years["2027-28"])
    _observe(school, "ela_proficiency", "2025-26", 60)
    _observe(school, "ela_proficiency", "2026-27", 40)
    evaluation_run(as_of=AS_OF)
    assert not InterventionFlag.objects.exists()
    _observe(school, "ela_proficiency", "2025-26", 45)
    evaluation_run(as_of=AS_OF + datetime.timedelta(days=1))
    assert InterventionFlag.objects.get().level == 3


def test_no_data_fires_only_once_the_year_is_over(years, admin, make_member):
    school = SchoolFactory()
    template = _template(
        [("ela_proficiency", dict(key="ela", kind="value", comparator=">=", target_mode="fixed", target_value=50))],
        [dict(key="no-data", condition="no_data", count=1, level=1, deadline_days=30)],
    )
    _active_contract(school, template, admin, make_member, start=years["2025-26"], end=years["2027-28"])
    run = evaluation_run(as_of=datetime.date(2026, 3, 1))
    assert run.counts["no_data"] == 1 and not InterventionFlag.objects.exists()
    # 2026-06-30 is the last day of 2025-26; the 2025-26 period is still the one as of that date.
    evaluation_run(as_of=datetime.date(2026, 6, 30))
    assert not InterventionFlag.objects.exists()


def test_binding_benchmark_at_risk_then_escalates_to_suspension_after_the_deadline(years, admin, make_member):
    school = SchoolFactory()
    hiring = grant(school, "people.hiring")
    template = _template(
        [VACANCIES], [dict(key="binding", condition="binding_missed", count=1, level=4, deadline_days=30)]
    )
    TemplateBenchmark.objects.filter(template=template).update(binding_autonomy=hiring.autonomy)
    _active_contract(school, template, admin, make_member, start=years["2026-27"], end=years["2027-28"])
    _observe(school, "teacher_vacancies_first_day", "2026-27", 6)
    evaluation_run(as_of=AS_OF)
    hiring.refresh_from_db()
    assert hiring.status == "at_risk"
    run = evaluation_run(as_of=AS_OF + datetime.timedelta(days=31))
    hiring.refresh_from_db()
    flag = InterventionFlag.objects.get()
    assert flag.level == 5 and hiring.status == "suspended" and run.counts["grants_suspended"] == 1
    assert flag.events.filter(action="escalate").count() == 1


def test_kinds_growth_aggregate_trend_relative_and_new_school_exception(years, admin, make_member):
    school = SchoolFactory(opened_year=2025)
    peers = SchoolFactory.create_batch(3)
    template = _template(
        [
            (
                "ela_proficiency",
                dict(key="growth", kind="growth", comparator=">=", target_mode="fixed", target_value=3),
            ),
            (
                "teacher_retention",
                dict(key="avg", kind="aggregate", comparator=">=", periods=2, target_mode="fixed", target_value=80),
            ),
            (
                "chronic_absenteeism",
                dict(key="trend", kind="trend", comparator=">=", periods=2, target_mode="fixed", target_value=1),
            ),
            (
                "growth_percentile",
                dict(key="standing", kind="relative", comparator=">=", target_mode="fixed", target_value=50),
            ),
            (
                "math_proficiency",
                dict(
                    key="math",
                    kind="value",
                    comparator=">=",
                    target_mode="fixed",
                    target_value=60,
                    new_school_target=40,
                ),
            ),
        ],
        [],
    )
    _observe(school, "ela_proficiency", "2025-26", 40)  # the baseline
    _active_contract(school, template, admin, make_member, start=years["2026-27"], end=years["2027-28"])
    _observe(school, "ela_proficiency", "2026-27", 44)  # +4 ≥ 3: met
    _observe(school, "teacher_retention", "2025-26", 70)
    _observe(school, "teacher_retention", "2026-27", 86)  # average 78 < 80: not met
    _observe(school, "chronic_absenteeism", "2025-26", 20)
    _observe(school, "chronic_absenteeism", "2026-27", 18)  # improved by 2 ≥ 1: met
    for peer, value in zip(peers, (30, 40, 70), strict=True):
        _observe(peer, "growth_percentile", "2026-27", value)
    _observe(school, "growth_percentile", "2026-27", 60)  # better than 2 of 4: 50th percentile, met
    _observe(school, "math_proficiency", "2026-27", 45)  # a new school is held to 40: met
    evaluation_run(as_of=AS_OF)
    results = {r.benchmark.key: r for r in BenchmarkResult.objects.select_related("benchmark")}
    assert {key: r.status for key, r in results.items()} == {
        "growth": "met",
        "avg": "not_met",
        "trend": "met",
        "standing": "met",
        "math": "met",
    }
    assert results["growth"].value == Decimal(4)
    assert results["standing"].value == Decimal(50)
    assert results["math"].target == Decimal(40) and "exception" in results["math"].inputs


def test_dry_run_changes_nothing(years, admin, make_member):
    school = SchoolFactory()
    hiring = grant(school, "people.hiring")
    template = _template([VACANCIES], [REVOKE_ON_BINDING])
    TemplateBenchmark.objects.filter(template=template).update(binding_autonomy=hiring.autonomy)
    _active_contract(school, template, admin, make_member, start=years["2026-27"], end=years["2027-28"])
    _observe(school, "teacher_vacancies_first_day", "2026-27", 5)
    before = _snapshot()
    preview = evaluation_run(as_of=AS_OF, dry_run=True)
    assert preview.counts["grants_revoked"] == 1 and preview.counts["flags_opened"] == 1
    assert _snapshot() == before and not EvaluationRun.objects.exists()


def _district(count, admin, years, template, *, observed=("ela_proficiency", 40), holding=None):
    """`count` more schools, each with a principal, an active contract from the template and one value of a
    metric (an ELA score of 40 unless `observed` says otherwise), in bulk (the contracts entered as signed
    on paper), so that hundreds are quick to set up. `holding`: an autonomy each school holds first, so
    that the contracts cover it."""
    schools = SchoolFactory.create_batch(count, network=NetworkFactory())
    principals = UserFactory.create_batch(count)
    Membership.objects.bulk_create(
        Membership(user=user, role=Role.PRINCIPAL, school=school)
        for user, school in zip(principals, schools, strict=True)
    )
    if holding:
        grants_issue(
            schools=schools, autonomy=holding, actor=admin, reason="Pilot.", starts_on=datetime.date(2026, 7, 1)
        )
    contracts_import_signed(
        actor=admin,
        schools=schools,
        template=template,
        term_start=years["2026-27"],
        term_end=years["2027-28"],
        signed_at=timezone.now(),
    )
    metric, value = Metric.objects.get(code=observed[0]), Decimal(observed[1])
    Observation.objects.bulk_create(
        Observation(school=school, metric=metric, period="2026-27", value=value) for school in schools
    )


def test_query_count_does_not_grow_with_schools(years, admin, django_assert_num_queries):
    template = _template(
        [
            ("ela_proficiency", dict(key="ela", kind="value", comparator=">=", target_mode="fixed", target_value=50)),
            (
                "growth_percentile",
                dict(key="standing", kind="relative", comparator=">=", target_mode="fixed", target_value=5),
            ),
        ],
        [dict(key="one-missed", condition="n_missed", count=1, level=1, deadline_days=30)],
    )
    _district(10, admin, years, template)
    # On PostgreSQL one more: the advisory lock that makes a duplicate run a no-op. The guardrails add
    # four: the live grants, the period's values, and the savepoint a held run rolls back to (and its release).
    # Earned eligibility adds two: the criteria (none here) and the open findings. Recording the attempt
    # before the work adds four (the row read and updated in a transaction of its own: a savepoint here),
    # the email outbox one insert, and on PostgreSQL the lock is released at the end: one more. On
    # PostgreSQL a period's first results are copied straight in, in a savepoint: two more than one bulk
    # insert (the savepoint and its release); so are the notifications and their emails, two more each, and the
    # flags are copied in with ids taken from their sequence first, one more (core.bulk). The notices quote
    # the rules of the flags they are about: one more. Each attempt keeps its own record: four more (lost
    # attempts marked so, the attempt created, and at the end written with what it changed, whose schools'
    # names are read in one query). Earned grants are re-checked against their criteria: one query finds
    # there are none here. The notices name the measures: one query for them. Central office's
    # commitments of the contracts are read in one query (none here, so no evidence is read). The notices
    # are written in each reader's language: one query for who reads which.
    with django_assert_num_queries(44 + 9 * (connection.vendor == "postgresql")) as small:
        evaluation_run(as_of=AS_OF)
    # SQLite binds at most 999 parameters in a statement, so Django splits a bulk insert there into
    # batches of about a hundred rows: its count stays the same only up to that many new rows.
    schools = 300 if connection.vendor == "postgresql" else 40
    _district(schools - 10, admin, years, template)
    with django_assert_num_queries(len(small.captured_queries)):
        run = evaluation_run(as_of=AS_OF + datetime.timedelta(days=1))
    assert run.counts["schools"] == schools and run.counts["flags_opened"] == schools - 10
    assert BenchmarkResult.objects.filter(period="2026-27").count() == 2 * schools


def test_results_written_as_new_that_another_run_wrote_meanwhile_are_updated_not_refused(years, admin):
    """A period's first run copies its results straight in (results_upsert(new=True)); a run for another
    date of the period, under its own lock, may have written some of them after this one looked. Those are
    updated as the upsert would, the rest inserted, and the run does not fail."""
    from accountability.services.results import results_upsert

    template = _template(
        [("ela_proficiency", dict(key="ela", kind="value", comparator=">=", target_mode="fixed", target_value=50))], []
    )
    _district(3, admin, years, template)
    run = evaluation_run(as_of=AS_OF)
    stored = list(BenchmarkResult.objects.order_by("benchmark_id"))
    assert [r.status for r in stored] == ["not_met"] * 3
    stored[0].delete()
    now = timezone.now()
    rows = [
        (r.benchmark_id, r.period, "met", "meets", Decimal("60"), Decimal("50"), {"value": "60"}, run.pk, now)
        for r in stored
    ]
    results_upsert(rows=rows, new=True)
    assert list(BenchmarkResult.objects.order_by("benchmark_id").values_list("benchmark_id", "status", "value")) == [
        (r.benchmark_id, "met", Decimal("60")) for r in stored
    ]
    assert BenchmarkResult.objects.get(benchmark_id=stored[0].benchmark_id).inputs == {"value": "60"}


def test_two_flags_acting_on_one_grant_in_a_run_take_their_steps_one_after_the_other(years, admin, make_member):
    """Two conditions of one contract hold and both bind the hiring autonomy (one puts it at risk, one
    revokes it): the grant ends revoked, each step recorded from where the one before left it."""
    school = SchoolFactory()
    hiring = grant(school, "people.hiring")
    at_risk = dict(key="at-risk", condition="n_missed", count=1, level=4, deadline_days=30)
    template = _template([VACANCIES], [at_risk, REVOKE_ON_BINDING])
    TemplateBenchmark.objects.filter(template=template).update(binding_autonomy=hiring.autonomy)
    _active_contract(school, template, admin, make_member, start=years["2026-27"], end=years["2027-28"])
    _observe(school, "teacher_vacancies_first_day", "2026-27", 5)
    run = evaluation_run(as_of=AS_OF)
    hiring.refresh_from_db()
    assert hiring.status == "revoked" and run.counts["flags_opened"] == 2
    steps = list(hiring.events.order_by("pk").values_list("from_status", "to_status"))
    assert steps[-1][1] == "revoked"
    assert all(later[0] == earlier[1] for earlier, later in zip(steps, steps[1:], strict=False))
    assert run.counts["grants_revoked"] + run.counts["grants_at_risk"] == len(steps) - 1
    evaluation_run(as_of=AS_OF)
    assert hiring.events.count() == len(steps)


def test_query_count_does_not_grow_with_the_grants_a_rule_revokes(years, admin, settings, django_assert_num_queries):
    """The grants a run's rules act on change in one batch (autonomy.services.grants_change), with their
    events and the announcement to the apps that follow grants, whatever their number. (A district that
    lets a run revoke every grant without holding it for confirmation.)"""
    settings.EVALUATION_MAX_GRANT_CHANGE_SHARE = 1
    hiring = Autonomy.objects.get(code="people.hiring")
    template = _template([VACANCIES], [REVOKE_ON_BINDING])
    TemplateBenchmark.objects.filter(template=template).update(binding_autonomy=hiring)
    # Five vacancies at every school: the binding benchmark is missed and the rule revokes each grant.
    revoking = dict(observed=("teacher_vacancies_first_day", 5), holding=hiring)
    _district(10, admin, years, template, **revoking)
    with CaptureQueriesContext(connection) as small:
        assert evaluation_run(as_of=AS_OF).counts["grants_revoked"] == 10
    schools = 300 if connection.vendor == "postgresql" else 40
    _district(schools - 10, admin, years, template, **revoking)
    with django_assert_num_queries(len(small.captured_queries)):
        run = evaluation_run(as_of=AS_OF + datetime.timedelta(days=1))
    assert run.counts["grants_revoked"] == schools - 10
    assert AutonomyGrant.objects.filter(status="revoked").count() == schools
    assert GrantEvent.objects.filter(action="revoke_by_rule").count() == schools


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="advisory locks need PostgreSQL")
def test_two_runs_for_the_same_date_at_once_one_works_the_other_is_a_no_op(years, admin, make_member):
    import threading

    from accountability.services import RunInProgress

    school = SchoolFactory()
    template = _template(
        [("ela_proficiency", dict(key="ela", kind="value", comparator=">=", target_mode="fixed", target_value=50))],
        [dict(key="one", condition="n_missed", count=1, level=1, deadline_days=30)],
    )
    _active_contract(school, template, admin, make_member, start=years["2026-27"], end=years["2027-28"])
    _observe(school, "ela_proficiency", "2026-27", 40)
    barrier, outcomes = threading.Barrier(2), []

    def run():
        try:
            barrier.wait(timeout=10)
            with connection.cursor() as cursor:  # hold the lock a moment, as a long run would
                cursor.execute("SELECT pg_sleep(0.2)")
            evaluation_run(as_of=AS_OF)
            outcomes.append("ran")
        except RunInProgress:
            outcomes.append("skipped")
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert "ran" in outcomes
    assert InterventionFlag.objects.count() == 1 and EvaluationRun.objects.get().attempts == outcomes.count("ran")
