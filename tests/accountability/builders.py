"""A district whose schools miss a benchmark, evaluated once: each school has one open flag."""

import datetime
from decimal import Decimal

from accountability.models import InterventionFlag
from accountability.services import evaluation_run
from contracts.models import ContractTemplate, TemplateBenchmark, TemplateRule
from contracts.services import contract_countersign, contract_create_from_template, contract_propose, contract_sign
from metrics.models import Metric, Observation
from schools.models import Role
from tests.factories import MembershipFactory, SchoolFactory, SchoolYearFactory

AS_OF = datetime.date(2026, 11, 1)


def school_years():
    return [
        SchoolYearFactory(
            label="2025-26",
            start_date=datetime.date(2025, 7, 1),
            end_date=datetime.date(2026, 6, 30),
            first_day=datetime.date(2025, 8, 18),
        ),
        SchoolYearFactory(label="2026-27"),
        SchoolYearFactory(
            label="2027-28",
            start_date=datetime.date(2027, 7, 1),
            end_date=datetime.date(2028, 6, 30),
            first_day=datetime.date(2027, 8, 16),
        ),
    ]


def ela_template(*, level: int = 1) -> ContractTemplate:
    template = ContractTemplate.objects.create(name=f"ELA {ContractTemplate.objects.count()}")
    TemplateBenchmark.objects.create(
        template=template,
        key="ela",
        metric=Metric.objects.get(code="ela_proficiency"),
        kind="value",
        comparator=">=",
        target_mode="fixed",
        target_value=50,
    )
    TemplateRule.objects.create(
        template=template,
        key="one-missed",
        condition="n_missed",
        count=1,
        level=level,
        deadline_days=30,
        remedy="Submit an improvement plan.",
        provision="Section 5.1",
    )
    return template


def observe(school, period, value, metric="ela_proficiency"):
    Observation.objects.update_or_create(
        school=school, metric=Metric.objects.get(code=metric), period=period, defaults={"value": Decimal(value)}
    )


def active_contract(school, *, admin, template, years):
    """An active contract for 2026-27 to 2027-28 from the template; returns the school's principal."""
    principal = MembershipFactory(role=Role.PRINCIPAL, school=school).user
    contract = contract_create_from_template(
        actor=admin, school=school, template=template, term_start=years[1], term_end=years[2]
    )
    contract_propose(actor=admin, contract_id=contract.pk)
    contract_sign(actor=principal, contract_id=contract.pk, password="correct-horse-battery")
    contract_countersign(actor=admin, contract_id=contract.pk, password="correct-horse-battery")
    return principal


def flagged_schools(count: int, *, admin, template, liaison=None, years=None) -> list:
    """`count` schools, each with a principal, an active contract and ELA of 40 in 2026-27 (a miss),
    evaluated as of AS_OF. Returns (school, principal) pairs."""
    years = years or school_years()
    made = []
    for _ in range(count):
        school = SchoolFactory(liaison=liaison)
        principal = active_contract(school, admin=admin, template=template, years=years)
        observe(school, "2025-26", 45)
        observe(school, "2026-27", 40)
        made.append((school, principal))
    evaluation_run(as_of=AS_OF)
    return made


def flag_of(school) -> InterventionFlag:
    return InterventionFlag.objects.get(school=school)
