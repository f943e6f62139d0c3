"""The demo's story, told through the apps' services: the flagged schools, the pilot cohort and the other
grants, and contracts in every state. Requests in every state are in `request_scenes`."""

import datetime
import random
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from autonomy.models import AccountabilityModel, Autonomy, EligibilityCriterion, compare
from autonomy.selectors_eligibility import criterion_check
from autonomy.services import grants_issue
from contracts.models import ContractStatus, PerformanceContract
from contracts.services import (
    BenchmarkInput,
    contract_amend,
    contract_benchmark_add,
    contract_benchmark_remove,
    contract_countersign,
    contract_create_from_template,
    contract_propose,
    contract_sign,
    contracts_import_signed,
)
from demo.services.builder import DistrictBuilder, by_code, contract_template_create, principals_of
from demo.services.data import DEMO_PASSWORD, ELIGIBILITY, RETENTION_BENCHMARKS, RETENTION_BENCHMARKS_DEFAULT
from metrics.models import Metric, Observation
from schools.models import School, SchoolYear
from schools.periods import previous_school_years

# The school (by position; S0009, in the pilot cohort) whose hiring autonomy the first evaluation revokes:
# it opens the latest year six teachers short, against the binding benchmark of at most three.
VACANCY_SCENE = 8
VACANCIES = 6
# S0007's family survey and growth scores for the latest year have not come in yet.
MISSING_SCENE = 6
LATE_METRICS = ("family_satisfaction", "growth_percentile")
# S0011 earned control of its budget with a finance rating of 4 the year before; this year it is rated 3,
# below the criterion its grant was earned on.
SLIPPED_SCENE = 10
SLIPPED_RATINGS = (4, 3)  # the year before, the latest year


@dataclass(frozen=True)
class FlaggedSchools:
    """The schools whose latest year the first evaluation flags, in a district large enough to hold them."""

    year: SchoolYear
    missing_data: School | None
    short_of_teachers: School | None
    finance_slipped: School | None = None

    @classmethod
    def among(cls, schools: list[School], *, year: SchoolYear) -> "FlaggedSchools":
        def at(position):
            return schools[position] if len(schools) > position else None

        return cls(
            year=year,
            missing_data=at(MISSING_SCENE),
            short_of_teachers=at(VACANCY_SCENE),
            finance_slipped=at(SLIPPED_SCENE),
        )

    def is_late(self, school: School, metric: Metric, year: SchoolYear) -> bool:
        return school is self.missing_data and metric.code in LATE_METRICS and year is self.year

    def adjust(self, school: School, metric: Metric, year: SchoolYear, value: float) -> float:
        """The value the story records instead of the generated one."""
        if school is self.short_of_teachers and metric.code == "teacher_vacancies_first_day" and year is self.year:
            return VACANCIES
        if school is self.finance_slipped and metric.code == "finance_rating":
            before, latest = SLIPPED_RATINGS
            if year is self.year:
                return latest
            if year.label == previous_school_years(self.year.label, 2)[0]:
                return before
        return value


def grants_scene(district: DistrictBuilder, *, rng: random.Random) -> None:
    """Full autonomy for the pilot cohort, earned autonomy where the finance rating earns it, and two
    programmatic autonomies approved for some of the improving schools."""
    catalog = by_code(Autonomy)
    cohort = district.cohort

    def issue(schools, code, reason, **extra):
        grants_issue(
            schools=schools,
            autonomy=catalog[code],
            actor=district.staff["admin"],
            reason=reason,
            starts_on=district.years[-1].start_date,
            **extra,
        )

    pilot = [s for s in district.schools if s.cohort_id == cohort.pk]
    for autonomy in catalog.values():
        if autonomy.model == AccountabilityModel.FULL:
            issue(
                pilot,
                autonomy.code,
                f"Granted to the {cohort.name} cohort, kept while retention benchmarks are met.",
                retention_benchmarks=RETENTION_BENCHMARKS.get(autonomy.code, RETENTION_BENCHMARKS_DEFAULT),
            )
    _earned_grants(district, issue)
    improving = [s for s in district.schools if district.trajectories[s.pk] > 0]
    chosen = rng.sample(improving, k=min(len(improving), max(1, len(district.schools) // 8)))
    chosen.sort(key=lambda s: s.pk)
    for code in ("program.curriculum", "time.learning_time"):
        issue(chosen, code, "Approved in the district's 2025-26 proposal round.")


def _earned_grants(district: DistrictBuilder, issue) -> None:
    """The school budget and the PD budget, earned by a finance rating of 4 the year before the grants
    start (the rating they were decided on), each grant with its criterion checked as a request's are.
    A school whose rating has slipped since holds a grant its criteria no longer support."""
    decided = district.years[-2] if len(district.years) > 1 else district.years[-1]
    _, metric, comparator, threshold = ELIGIBILITY[0]  # a finance rating of 4, for a school's budget
    ratings = {
        o.school_id: o
        for o in Observation.objects.filter(
            metric__code=metric, period=decided.label, school__in=district.schools
        ).select_related("metric")
    }
    earned = [s for s in district.schools if s.pk in ratings and compare(ratings[s.pk].value, comparator, threshold)]
    by_rating = defaultdict(list)
    for school in earned:
        by_rating[ratings[school.pk].value].append(school)
    codes = ("money.budget", "money.pd_budget")
    criteria = {
        c.autonomy.code: c
        for c in EligibilityCriterion.objects.filter(autonomy__code__in=codes).select_related("autonomy", "metric")
    }
    for code in codes:
        for _, schools in sorted(by_rating.items()):
            check = criterion_check(criteria[code], ratings[schools[0].pk])
            issue(
                schools,
                code,
                f"Earned: the principal's finance evaluation rating was 4 or higher in {decided.label}.",
                evidence={"criteria": [check.as_evidence()]},
            )


def contracts_scene(district: DistrictBuilder, *, benchmarks: list[tuple[str, dict]]) -> None:
    """A contract for every school from the district template: most active (signed on paper and entered
    in bulk), one proposed for the demo principal to sign, one signed awaiting countersignature, one
    draft, and one amended."""
    schools = district.schools
    term = dict(term_start=district.years[-1], term_end=district.future_years[-1])
    template = contract_template_create(benchmarks=benchmarks)
    admin = district.staff["admin"]
    principals = principals_of(schools[:5])
    signed_at = timezone.make_aware(datetime.datetime.combine(term["term_start"].start_date, datetime.time(10)))
    contracts_import_signed(actor=admin, schools=schools[3:], template=template, signed_at=signed_at, **term)
    drafts = [
        contract_create_from_template(actor=admin, school=school, template=template, **term) for school in schools[:3]
    ]
    proposed, signed = drafts[0], drafts[1]
    contract_propose(actor=admin, contract_id=proposed.pk)
    contract_propose(actor=admin, contract_id=signed.pk)
    principal = principals[schools[1].pk]
    contract_sign(actor=principal, contract_id=signed.pk, password=DEMO_PASSWORD)
    if len(schools) > 4:
        _amended_contract(schools[4], admin, principals[schools[4].pk])


def _amended_contract(school, admin, principal) -> None:
    """The school's active contract amended, its math target raised, and the amendment signed by both."""
    active = PerformanceContract.objects.get(school=school, status=ContractStatus.ACTIVE)
    amendment = contract_amend(
        actor=admin, contract_id=active.pk, reason="The school opened a dual-language program; math target raised."
    )
    math = amendment.benchmarks.get(key="math-proficiency")
    contract_benchmark_remove(actor=admin, contract_id=amendment.pk, key=math.key)
    contract_benchmark_add(
        actor=admin,
        contract_id=amendment.pk,
        benchmark=BenchmarkInput(
            key=math.key,
            metric=math.metric,
            kind=math.kind,
            comparator=math.comparator,
            target=min(math.target + 2, Decimal(100)),
            baseline=math.baseline,
            periods=math.periods,
            new_school_target=math.new_school_target,
        ),
    )
    contract_propose(actor=admin, contract_id=amendment.pk)
    contract_sign(actor=principal, contract_id=amendment.pk, password=DEMO_PASSWORD)
    contract_countersign(actor=admin, contract_id=amendment.pk, password=DEMO_PASSWORD)
