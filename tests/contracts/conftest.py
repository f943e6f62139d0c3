"""Shared setup for contract tests: school years, a district template using every kind of benchmark and
every target mode, baselines for two schools, an admin and a principal. Data is made through the
services, as the product makes it, except the catalog rows (template, observations) that have none."""

import datetime
from decimal import Decimal

import pytest

from autonomy.models import Autonomy
from contracts.models import (
    BenchmarkKind,
    Condition,
    ContractTemplate,
    Level,
    TargetMode,
    TemplateBenchmark,
    TemplateRule,
)
from contracts.services import (
    contract_countersign,
    contract_create_from_template,
    contract_propose,
    contract_sign,
)
from metrics.models import Metric, Observation
from tests.factories import SchoolFactory, SchoolYearFactory, grant


def _year(start: int):
    return SchoolYearFactory(
        label=f"{start}-{(start + 1) % 100:02d}",
        start_date=datetime.date(start, 7, 1),
        end_date=datetime.date(start + 1, 6, 30),
        first_day=datetime.date(start, 8, 17),
    )


@pytest.fixture
def years(db):
    return {year.label: year for year in (_year(2024), _year(2025), _year(2026), _year(2027), _year(2028))}


@pytest.fixture
def term(years):
    return years["2026-27"], years["2028-29"]


@pytest.fixture
def metrics(db):
    return {metric.code: metric for metric in Metric.objects.all()}


@pytest.fixture
def observe(metrics):
    def record(school, code: str, period: str, value) -> Observation:
        return Observation.objects.create(school=school, metric=metrics[code], period=period, value=Decimal(value))

    return record


# (key, metric, kind, comparator, target mode, target value, fallback, periods, binding autonomy)
STANDARD_BENCHMARKS = [
    ("ela-proficiency", "ela_proficiency", BenchmarkKind.VALUE, ">=", TargetMode.BASELINE_PLUS, "3", None, 1, None),
    (
        "math-proficiency",
        "math_proficiency",
        BenchmarkKind.VALUE,
        ">=",
        TargetMode.DISTRICT_MEDIAN,
        None,
        None,
        1,
        None,
    ),
    ("growth", "growth_percentile", BenchmarkKind.GROWTH, ">=", TargetMode.FIXED, "2", None, 1, None),
    ("absenteeism-trend", "chronic_absenteeism", BenchmarkKind.TREND, ">=", TargetMode.FIXED, "1", None, 3, None),
    ("retention-average", "teacher_retention", BenchmarkKind.AGGREGATE, ">=", TargetMode.FIXED, "80", None, 3, None),
    ("family-standing", "family_satisfaction", BenchmarkKind.RELATIVE, ">=", TargetMode.FIXED, "50", None, 1, None),
    (
        "first-day-vacancies",
        "teacher_vacancies_first_day",
        BenchmarkKind.VALUE,
        "<=",
        TargetMode.FIXED,
        "3",
        None,
        1,
        "people.hiring",
    ),
]

STANDARD_RULES = [
    ("binding", Condition.BINDING_MISSED, 1, Level.REVOKED, "", "Section 4.2: retention of autonomies"),
    ("three-missed", Condition.N_MISSED, 3, Level.CORRECTIVE_PLAN, "", "Section 5.1: corrective action"),
    ("ela-twice", Condition.K_IN_A_ROW, 2, Level.INTENSIFIED_SUPPORT, "ela-proficiency", "Section 5.2: support"),
    ("no-data", Condition.NO_DATA, 1, Level.NOTICE, "", "Section 6: data"),
]


@pytest.fixture
def template(metrics):
    template = ContractTemplate.objects.create(name="District standard", description="Every school starts here.")
    autonomies = {a.code: a for a in Autonomy.objects.all()}
    TemplateBenchmark.objects.bulk_create(
        TemplateBenchmark(
            template=template,
            key=key,
            metric=metrics[metric],
            kind=kind,
            comparator=comparator,
            target_mode=mode,
            target_value=Decimal(value) if value else None,
            fallback_target=Decimal(fallback) if fallback else None,
            periods=periods,
            binding_autonomy=autonomies.get(binding),
            position=position,
        )
        for position, (key, metric, kind, comparator, mode, value, fallback, periods, binding) in enumerate(
            STANDARD_BENCHMARKS
        )
    )
    TemplateRule.objects.bulk_create(
        TemplateRule(
            template=template,
            key=key,
            condition=condition,
            count=count,
            level=level,
            benchmark_key=benchmark_key,
            remedy="Meet with the liaison and agree on a plan.",
            provision=provision,
            position=position,
        )
        for position, (key, condition, count, level, benchmark_key, provision) in enumerate(STANDARD_RULES)
    )
    return template


@pytest.fixture
def third_school(db):
    return SchoolFactory()


@pytest.fixture
def baselines(school, other_school, third_school, observe, years):
    """The school's ELA baseline is 40 (its latest before the term); math medians over three schools is 60."""
    observe(school, "ela_proficiency", "2024-25", "30")
    observe(school, "ela_proficiency", "2025-26", "40")
    observe(school, "ela_proficiency", "2026-27", "99")  # in the term: never a baseline
    for each in (other_school, third_school):
        observe(each, "ela_proficiency", "2025-26", "55")
    for each, value in ((school, "50"), (other_school, "60"), (third_school, "70")):
        observe(each, "math_proficiency", "2025-26", value)
    observe(school, "math_proficiency", "2024-25", "10")  # an older period: not part of the median


@pytest.fixture
def admin(make_member):
    return make_member("admin", first_name="Ada", last_name="Office")


@pytest.fixture
def principal(make_member, school):
    return make_member("principal", school=school, first_name="Pat", last_name="Rivera")


@pytest.fixture
def other_principal(make_member, other_school):
    return make_member("principal", school=other_school, first_name="Olu", last_name="Other")


@pytest.fixture
def hiring_grant(school, admin):
    return grant(school, "people.hiring", actor=admin)


@pytest.fixture
def draft(admin, school, template, term, baselines, hiring_grant):
    return contract_create_from_template(
        actor=admin, school=school, template=template, term_start=term[0], term_end=term[1]
    )


@pytest.fixture
def proposed(admin, draft, principal):
    return contract_propose(actor=admin, contract_id=draft.pk)


@pytest.fixture
def signed(proposed, principal):
    return contract_sign(actor=principal, contract_id=proposed.pk, password="correct-horse-battery")


@pytest.fixture
def active(signed, admin):
    return contract_countersign(actor=admin, contract_id=signed.pk, password="correct-horse-battery")


@pytest.fixture
def other_draft(admin, other_school, template, term, baselines):
    return contract_create_from_template(
        actor=admin, school=other_school, template=template, term_start=term[0], term_end=term[1]
    )
