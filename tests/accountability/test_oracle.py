"""The set-based engine against a deliberately simple oracle, on small random districts (Hypothesis):
missing years, ties, schools without data. The oracle reads the generated numbers directly; the
engine reads them back from the database, so what is checked is the whole path."""

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accountability.models import BenchmarkResult
from accountability.services import evaluation_run
from contracts.models import Benchmark, ContractTemplate, TemplateBenchmark
from contracts.services import contract_countersign, contract_create_from_template, contract_propose, contract_sign
from metrics.models import Metric, Observation
from schools.models import Role
from tests.accountability.builders import AS_OF, school_years
from tests.factories import MembershipFactory, SchoolFactory

pytestmark = pytest.mark.django_db

PERIODS = ["2025-26", "2026-27"]  # the period before the term, and the evaluated one
KINDS = {
    "value": dict(kind="value", comparator=">=", target_value=50),
    "growth": dict(kind="growth", comparator=">=", target_value=2),
    "average": dict(kind="aggregate", comparator=">=", target_value=50, periods=2),
    "trend": dict(kind="trend", comparator=">=", target_value=1, periods=2),
    "standing": dict(kind="relative", comparator=">=", target_value=50),
}
SCHOOLS = 4


@pytest.fixture
def district(make_member):
    years = school_years()
    admin = make_member(Role.ADMIN)
    metric = Metric.objects.get(code="ela_proficiency")
    template = ContractTemplate.objects.create(name="Oracle")
    for key, fields in KINDS.items():
        TemplateBenchmark.objects.create(template=template, key=key, metric=metric, target_mode="fixed", **fields)
    schools = []
    for _ in range(SCHOOLS):
        school = SchoolFactory()
        principal = MembershipFactory(role=Role.PRINCIPAL, school=school).user
        contract = contract_create_from_template(
            actor=admin, school=school, template=template, term_start=years[1], term_end=years[2]
        )
        contract_propose(actor=admin, contract_id=contract.pk)
        contract_sign(actor=principal, contract_id=contract.pk, password="correct-horse-battery")
        contract_countersign(actor=admin, contract_id=contract.pk, password="correct-horse-battery")
        schools.append(school)
    return schools, metric


def oracle(values: dict[int, list[int | None]], baselines: dict[int, int | None]) -> dict[tuple[int, str], str]:
    """Each school's status per benchmark key, computed the plainest way."""
    current = {school: series[1] for school, series in values.items()}
    present = [v for v in current.values() if v is not None]
    result = {}
    for school, (before, now) in values.items():
        base = baselines[school]

        def status(value, target):
            return "no_data" if value is None else ("met" if value >= target else "not_met")

        result[(school, "value")] = status(now, 50)
        result[(school, "growth")] = status(None if now is None or base is None else now - base, 2)
        result[(school, "average")] = status(None if None in (before, now) else Decimal(before + now) / 2, 50)
        result[(school, "trend")] = status(None if None in (before, now) else now - before, 1)
        if now is None:
            result[(school, "standing")] = "no_data"
        else:
            worse = sum(1 for v in present if v < now)
            ties = sum(1 for v in present if v == now) - 1
            result[(school, "standing")] = status(Decimal(100) * (worse + Decimal(ties) / 2) / len(present), 50)
    return result


scores = st.one_of(st.none(), st.integers(min_value=0, max_value=100))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    series=st.lists(st.tuples(scores, scores), min_size=SCHOOLS, max_size=SCHOOLS),
    baselines=st.lists(scores, min_size=SCHOOLS, max_size=SCHOOLS),
)
def test_engine_agrees_with_the_oracle(district, series, baselines):
    schools, metric = district
    Observation.objects.all().delete()
    BenchmarkResult.objects.all().delete()
    values, base_by_school = {}, {}
    for school, pair, base in zip(schools, series, baselines, strict=True):
        values[school.pk] = list(pair)
        base_by_school[school.pk] = base
        Observation.objects.bulk_create(
            Observation(school=school, metric=metric, period=period, value=value)
            for period, value in zip(PERIODS, pair, strict=True)
            if value is not None
        )
        Benchmark.objects.filter(contract__school=school, key="growth").update(baseline=base)
    evaluation_run(as_of=AS_OF, confirm=True)  # the engine, not the guardrails: random zeros would hold it
    engine = {
        (r.benchmark.contract.school_id, r.benchmark.key): r.status
        for r in BenchmarkResult.objects.filter(period="2026-27").select_related("benchmark__contract")
    }
    assert engine == oracle(values, base_by_school)
