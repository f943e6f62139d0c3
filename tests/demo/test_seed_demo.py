import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import models

from autonomy.models import (
    AccountabilityModel,
    AutonomyGrant,
    AutonomyRequest,
    CallForProposals,
    ClarifiedFlexibility,
    EligibilityCriterion,
    GrantEvent,
    RequestStatus,
)
from budgeting.models import (
    AllocationSet,
    BudgetCategory,
    BudgetPlan,
    EnrollmentCategory,
    EnrollmentSnapshot,
    FormulaVersion,
    FundingSource,
    JobType,
    Scenario,
    SchoolAllocation,
)
from budgeting.services.budget_metrics import BUDGET_METRICS
from contracts.models import ContractStatus, ContractTemplate, PerformanceContract
from core.models import Notification
from demo.services import DEMO_PASSWORD
from impact.models import AutonomyDecision, PilotComparison
from metrics.models import Observation
from schools.models import Cohort, District, Membership, Network, Role, School, SchoolYear
from support.models import (
    Milestone,
    NetworkMembership,
    NetworkRequest,
    PartnershipEntry,
    ServiceOptOut,
    SupportCategory,
    SupportRequest,
    SurveyAnswer,
    SurveyCycle,
    TeamSeat,
)

pytestmark = pytest.mark.django_db


def _snapshot():
    """The district by natural keys, so that two loads can be compared row for row."""
    return {
        "years": list(SchoolYear.objects.values_list("label", "start_date", "end_date", "first_day")),
        "networks": list(Network.objects.order_by("name").values_list("name", flat=True)),
        "schools": list(
            School.objects.order_by("code").values_list(
                "code",
                "name",
                "grade_band",
                "network__name",
                "cohort__name",
                "liaison__username",
                "enrollment",
            )
        ),
        "users": list(get_user_model().objects.order_by("username").values_list("username", "first_name", "last_name")),
        "memberships": sorted(
            Membership.objects.values_list("user__username", "role", "school__code", "function"),
            key=lambda row: tuple(str(part) for part in row),
        ),
        "observations": list(
            Observation.objects.order_by("school__code", "metric__code", "period").values_list(
                "school__code", "metric__code", "period", "value"
            )
        ),
        "contracts": list(
            PerformanceContract.objects.order_by("school__code", "version").values_list(
                "school__code", "version", "status", "benchmarks__key", "benchmarks__target"
            )
        ),
        "requests": list(AutonomyRequest.objects.order_by("school__code").values_list("school__code", "status")),
        "grants": list(
            AutonomyGrant.objects.order_by("school__code", "autonomy__code").values_list(
                "school__code", "autonomy__code", "model", "status", "starts_on"
            )
        ),
        "allocations": list(
            SchoolAllocation.objects.order_by(
                "allocation_set__formula__school_year__label", "school__code"
            ).values_list("school__code", "students", "final_amount")
        ),
        "plans": list(BudgetPlan.objects.order_by("school__code").values_list("school__code", "status")),
        # Central office's side.
        "team_seats": sorted(TeamSeat.objects.values_list("network__name", "department", "user__username")),
        "support_requests": list(
            SupportRequest.objects.order_by("school__code", "subject").values_list(
                "school__code", "subject", "status", "due_on", "rating"
            )
        ),
        "partnership": list(
            PartnershipEntry.objects.order_by("school__code", "on", "kind").values_list(
                "school__code", "liaison__username", "kind", "on", "minutes"
            )
        ),
        "survey_answers": sorted(SurveyAnswer.objects.values_list("response__cycle__term", "department", "value")),
        "milestones": list(Milestone.objects.order_by("on", "title").values_list("title", "on", "ends_on")),
    }


def _wipe():
    # The evaluation team's rows first (they protect people and cohorts), then central office's side: its
    # rows protect the years, networks, schools and people below.
    PilotComparison.objects.all().delete()
    AutonomyDecision.objects.all().delete()
    SurveyCycle.objects.all().delete()
    Milestone.objects.all().delete()
    SupportRequest.objects.all().delete()
    SupportCategory.objects.all().delete()
    PartnershipEntry.objects.all().delete()
    ServiceOptOut.objects.all().delete()
    NetworkMembership.objects.all().delete()
    NetworkRequest.objects.all().delete()
    BudgetPlan.objects.all().delete()
    Scenario.objects.all().delete()
    AllocationSet.objects.all().delete()
    FormulaVersion.objects.all().delete()
    EnrollmentSnapshot.objects.all().delete()
    for model in (JobType, BudgetCategory, FundingSource, EnrollmentCategory):
        model.objects.all().delete()
    for contract in PerformanceContract.objects.order_by("-version"):
        contract.delete()
    ContractTemplate.objects.all().delete()
    ClarifiedFlexibility.objects.all().delete()
    GrantEvent.objects.all().delete()
    AutonomyGrant.objects.all().delete()
    AutonomyRequest.objects.all().delete()
    CallForProposals.objects.all().delete()
    EligibilityCriterion.objects.all().delete()
    Notification.objects.all().delete()
    AutonomyGrant.objects.all().delete()
    Observation.objects.all().delete()
    Membership.objects.all().delete()
    School.objects.all().delete()
    for model in (Network, Cohort, SchoolYear, District):
        model.objects.all().delete()
    get_user_model().objects.all().delete()


def test_same_seed_gives_the_same_district():
    call_command("seed_demo", "--schools", "15", "--years", "3", "--seed", "7", verbosity=0)
    first = _snapshot()
    _wipe()
    call_command("seed_demo", "--schools", "15", "--years", "3", "--seed", "7", verbosity=0)
    assert _snapshot() == first


def test_another_seed_gives_another_district():
    call_command("seed_demo", "--schools", "15", "--years", "3", "--seed", "7", verbosity=0)
    first = _snapshot()
    _wipe()
    call_command("seed_demo", "--schools", "15", "--years", "3", "--seed", "8", verbosity=0)
    assert _snapshot()["observations"] != first["observations"]


def test_demo_district_is_realistic(capsys):
    call_command("seed_demo", "--schools", "40", "--years", "4")
    out = capsys.readouterr().out
    assert School.objects.count() == 40
    assert Network.objects.count() == 4
    assert SchoolYear.objects.count() == 4 + 2  # and the two years a contract term runs into
    for role in Role.values:
        assert Membership.objects.filter(role=role).exists(), role
    assert Membership.objects.filter(role=Role.PRINCIPAL).count() == 40
    for username in ("admin", "reviewer-finance", "viewer", "liaison-1", "principal-s0001", "team-s0001"):
        assert username in out
    assert DEMO_PASSWORD in out
    assert get_user_model().objects.get(username="principal-s0001").check_password(DEMO_PASSWORD)
    # Several years of data, with trends in both directions and a few gaps.
    per_school = Observation.objects.filter(metric__code="ela_proficiency").values("school").distinct().count()
    assert per_school == 40
    assert Observation.objects.filter(metric__code="graduation_rate", school__grade_band="elementary").count() == 0
    for model in AccountabilityModel.values:
        assert AutonomyGrant.objects.filter(model=model).exists(), model
    assert AutonomyGrant.objects.filter(model=AccountabilityModel.FULL).exclude(retention_benchmarks="").exists()
    # An open call with requests in every state of the workflow, and a clarified barrier.
    assert set(AutonomyRequest.objects.values_list("status", flat=True)) == set(RequestStatus.values)
    assert ClarifiedFlexibility.objects.exists()
    assert not AutonomyRequest.objects.filter(school__code="S0001").exists()
    # Every school has a contract; contracts in every state, one amended.
    assert PerformanceContract.objects.values("school").distinct().count() == 40
    statuses = set(PerformanceContract.objects.values_list("status", flat=True))
    assert {
        ContractStatus.DRAFT,
        ContractStatus.PROPOSED,
        ContractStatus.SIGNED,
        ContractStatus.ACTIVE,
        ContractStatus.SUPERSEDED,
    } <= statuses
    # Two amended: one in the contracts' scene, one that wrote central office's commitments into it.
    assert PerformanceContract.objects.filter(version=2, status=ContractStatus.ACTIVE).count() == 2
    assert PerformanceContract.objects.get(school__code="S0001").status == ContractStatus.PROPOSED


def test_second_run_refuses_with_a_clear_message():
    call_command("seed_demo", "--schools", "3", "--years", "2", verbosity=0)
    with pytest.raises(CommandError, match="already holds 3 schools"):
        call_command("seed_demo", "--schools", "3", "--years", "2", verbosity=0)
    assert School.objects.count() == 3


def test_if_empty_leaves_a_seeded_district_as_it_is(capsys):
    call_command("seed_demo", "--schools", "3", "--years", "2", verbosity=0)
    call_command("seed_demo", "--schools", "5", "--if-empty")
    assert "Left as it is" in capsys.readouterr().out
    assert School.objects.count() == 3


@pytest.mark.parametrize("bad", [["--schools", "0"], ["--schools", "many"], ["--years", "-1"]])
def test_bad_arguments_are_refused_naming_the_option(bad):
    with pytest.raises(CommandError, match=bad[0]):
        call_command("seed_demo", *bad)
    assert not School.objects.exists()


def test_first_evaluation_of_the_demo_gives_a_realistic_picture():
    from django.utils import timezone

    from accountability.models import InterventionFlag
    from accountability.services import evaluation_run
    from autonomy.models import AutonomyGrant, GrantStatus

    call_command("seed_demo", "--schools", "40", verbosity=0)
    counts = evaluation_run(as_of=timezone.localdate()).counts
    assert counts["met"] > 4 * counts["not_met"] > 0
    assert 0 < counts["no_data"] < counts["not_met"]
    assert counts["grants_revoked"] >= 1  # the pilot school six teachers short on the first day
    levels = set(InterventionFlag.objects.values_list("level", flat=True))
    assert len(levels) >= 2
    assert InterventionFlag.objects.values("school").distinct().count() < 40 // 2
    # Hiring revoked for vacancies, the notice stating the value and the limit.
    revoked = AutonomyGrant.objects.get(autonomy__code="people.hiring", status=GrantStatus.REVOKED)
    assert "vacancies against a limit of" in revoked.events.latest("pk").reason
    # An earned budget whose rating slipped below its criterion: at risk, its cure period running.
    at_risk = AutonomyGrant.objects.get(autonomy__code="money.budget", status=GrantStatus.AT_RISK)
    assert counts["grants_at_risk"] >= 1 and at_risk.at_risk_until > timezone.localdate()
    assert at_risk.events.latest("pk").action == "criteria_lapse"


def test_a_large_districts_contracts_hold_twenty_benchmarks_of_every_kind():
    from django.utils import timezone

    from accountability.services import evaluation_run
    from contracts.models import Benchmark, BenchmarkKind
    from demo.services import default_benchmark_count

    assert default_benchmark_count(40) == 7 and default_benchmark_count(100) == 7  # the standard contract
    assert default_benchmark_count(101) == 20 and default_benchmark_count(10_000) == 20
    call_command("seed_demo", "--schools", "6", "--years", "8", "--benchmarks", "20", verbosity=0)
    assert SchoolYear.objects.count() == 8 + 2
    # The budget figures also cover next year, whose allocations are released in the fall.
    yearly = Observation.objects.exclude(metric__code__in=BUDGET_METRICS)
    assert yearly.values("period").distinct().count() == 8
    per_contract = Benchmark.objects.values("contract").annotate(n=models.Count("pk")).values_list("n", flat=True)
    assert set(per_contract) == {20}
    assert set(Benchmark.objects.values_list("kind", flat=True)) == set(BenchmarkKind.values)
    counts = evaluation_run(as_of=timezone.localdate()).counts
    active = PerformanceContract.objects.filter(status=ContractStatus.ACTIVE).count()
    assert counts["benchmarks"] == 20 * active
    assert counts["met"] > counts["not_met"]


@pytest.mark.parametrize("count", ["6", "21", "many"])
def test_a_number_of_benchmarks_outside_the_contracts_is_refused(count):
    with pytest.raises(CommandError, match="--benchmarks"):
        call_command("seed_demo", "--schools", "3", "--benchmarks", count)
    assert not School.objects.exists()


@pytest.mark.django_db
def test_seeding_moves_every_version_so_nothing_kept_from_an_earlier_database_is_shown(
    django_capture_on_commit_callbacks,
):
    """The demo writes much of its district in bulk, past the signals (its flags, for one): it moves every
    version itself, so a shared cache that kept pages of the database before (flushed, then seeded again)
    shows none of them."""
    from core.versions import NAMES, version_get

    before = {name: version_get(name) for name in NAMES}
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", "--schools", "12", "--years", "3", verbosity=0)
    assert [name for name in NAMES if version_get(name) <= before[name]] == []
