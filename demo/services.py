"""A deterministic, realistic demo district, built with bulk inserts.

Same seed, same district: every random choice comes from one `random.Random(seed)`, consumed in a
fixed order, and rows are created in a fixed order. Dates count back from the current school year.
"""

import datetime
import math
import random
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from autonomy.models import AccountabilityModel, Autonomy, EligibilityCriterion
from autonomy.services import (
    ItemChoice,
    OutcomeInput,
    call_create,
    grants_issue,
    request_comment,
    request_create,
    request_decide,
    request_decline,
    request_item_clarify,
    request_return,
    request_set_autonomies,
    request_set_outcomes,
    request_submit,
    request_update_items,
    request_update_plan,
    request_withdraw,
)
from contracts.models import ContractTemplate, PerformanceContract, TemplateBenchmark, TemplateRule
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
from demo.large_district import LARGE_DISTRICT_SCHOOLS, MORE_BENCHMARKS
from metrics.models import Metric, Observation
from schools.models import (
    Cohort,
    District,
    GradeBand,
    Membership,
    Network,
    ReviewFunction,
    Role,
    School,
    SchoolYear,
)

DEMO_PASSWORD = "portal-demo-2026"

NETWORK_NAMES = ["North", "South", "East", "West", "Central", "Riverside", "Lakeside", "Hillcrest"]
SCHOOL_NAMES = [
    "Addams",
    "Baldwin",
    "Carver",
    "Chavez",
    "Douglass",
    "Earhart",
    "Franklin",
    "Garfield",
    "Hamilton",
    "Hughes",
    "Irving",
    "Jefferson",
    "Keller",
    "King",
    "Lincoln",
    "Madison",
    "Mann",
    "Marshall",
    "Morrison",
    "Nightingale",
    "Obama",
    "Parks",
    "Roosevelt",
    "Sandburg",
    "Stevenson",
    "Truth",
    "Tubman",
    "Washington",
    "Whitman",
    "Wright",
    "Young",
    "Banneker",
    "Curie",
    "Dewey",
    "Emerson",
    "Fulton",
    "Grant",
    "Holmes",
    "Jackson",
    "Kennedy",
]
FIRST_NAMES = [
    "Maria",
    "James",
    "Aisha",
    "Robert",
    "Mei",
    "David",
    "Fatima",
    "Michael",
    "Sofia",
    "William",
    "Grace",
    "Daniel",
    "Nia",
    "Carlos",
    "Hannah",
    "Omar",
    "Elena",
    "Marcus",
    "Priya",
    "Thomas",
]
LAST_NAMES = [
    "Garcia",
    "Johnson",
    "Nguyen",
    "Smith",
    "Patel",
    "Brown",
    "Williams",
    "Lopez",
    "Kim",
    "Davis",
    "Okafor",
    "Miller",
    "Hernandez",
    "Wilson",
    "Chen",
    "Moore",
    "Taylor",
    "Anderson",
    "Thomas",
    "Martinez",
]
BANDS = [
    (GradeBand.ELEMENTARY, "Elementary School", 0.55, (280, 650)),
    (GradeBand.MIDDLE, "Middle School", 0.20, (450, 900)),
    (GradeBand.HIGH, "High School", 0.20, (800, 2200)),
    (GradeBand.K8, "K-8 Academy", 0.05, (350, 800)),
]
# Where each metric starts and how fast an improving school moves per year.
METRIC_SHAPES = {
    "ela_proficiency": (42, 14, 3.0),
    "math_proficiency": (36, 14, 3.0),
    "growth_percentile": (50, 9, 2.5),
    "chronic_absenteeism": (22, 8, -2.0),
    "graduation_rate": (81, 8, 2.0),
    "teacher_vacancies_first_day": (1.5, 1, -0.3),
    "teacher_retention": (82, 7, 1.5),
    "budget_variance": (4, 2, -0.6),
    "finance_rating": (3.2, 0.9, 0.25),
    "audit_findings": (1, 1, -0.3),
    "family_satisfaction": (74, 9, 2.0),
}
RETENTION_BENCHMARKS = {
    "people.hiring": "No more than 3 teacher vacancies on the first day of school.",
    "time.schedule": "Chronic absenteeism does not rise two years in a row.",
    "time.pd_calendar": "Teacher retention of at least 80 percent.",
}
# Earned autonomies and what a school must show first: (autonomy, metric, comparator, threshold).
ELIGIBILITY = [
    ("money.budget", "finance_rating", ">=", 4),
    ("money.salary", "finance_rating", ">=", 4),
    ("money.operations", "audit_findings", "<=", 1),
    ("money.curriculum_budget", "finance_rating", ">=", 3),
    ("money.pd_budget", "finance_rating", ">=", 3),
    ("people.staffing_model", "teacher_retention", ">=", 80),
]
# The district's standard contract: a benchmark of each kind, targets fixed or from the baseline.
TEMPLATE_BENCHMARKS = [
    # ELA may not slip: a year-on-year change of at least 0 points (falling 3 points is "far below").
    (
        "ela_proficiency",
        dict(
            key="ela-growth",
            kind="growth",
            comparator=">=",
            target_mode="fixed",
            target_value=0,
            far_below_margin=3,
            exceeds_margin=3,
        ),
    ),
    (
        "math_proficiency",
        dict(
            key="math-proficiency",
            kind="value",
            comparator=">=",
            target_mode="baseline_plus",
            target_value=0,
            fallback_target=35,
            new_school_target=30,
        ),
    ),
    (
        "chronic_absenteeism",
        dict(key="absenteeism-trend", kind="trend", comparator=">=", periods=2, target_mode="fixed", target_value=-1),
    ),
    (
        "teacher_retention",
        dict(
            key="retention-average", kind="aggregate", comparator=">=", periods=3, target_mode="fixed", target_value=72
        ),
    ),
    (
        "growth_percentile",
        dict(key="growth-standing", kind="relative", comparator=">=", target_mode="fixed", target_value=5),
    ),
    (
        "family_satisfaction",
        dict(key="family-satisfaction", kind="value", comparator=">=", target_mode="fixed", target_value=60),
    ),
    (
        "teacher_vacancies_first_day",
        dict(key="vacancies", kind="value", comparator="<=", target_mode="fixed", target_value=3),
    ),
]
TEMPLATE_RULES = [
    dict(
        key="binding-missed",
        condition="binding_missed",
        count=1,
        level=6,
        deadline_days=0,
        remedy="The autonomy that depends on the missed benchmark is revoked.",
        provision="Section 4.1",
    ),
    dict(
        key="two-missed",
        condition="n_missed",
        count=2,
        level=1,
        deadline_days=60,
        remedy="Meet with your liaison and explain the results.",
        provision="Section 5.1",
    ),
    dict(
        key="three-missed",
        condition="n_missed",
        count=3,
        level=2,
        deadline_days=90,
        remedy="Submit a corrective action plan.",
        provision="Section 5.2",
    ),
    dict(
        key="ela-two-years",
        condition="k_in_a_row",
        count=2,
        level=3,
        deadline_days=90,
        remedy="Work with the network's support team on literacy.",
        provision="Section 5.3",
        benchmark_key="ela-growth",
    ),
    dict(
        key="no-data",
        condition="no_data",
        count=1,
        level=1,
        deadline_days=30,
        remedy="Submit the missing data.",
        provision="Section 6",
    ),
]
# The school (by position; S0009, in the pilot cohort) whose hiring autonomy the first evaluation revokes.
VACANCY_SCENE = 8
MISSING_SCENE = 6
INTEGER_METRICS = {"teacher_vacancies_first_day", "audit_findings", "finance_rating"}


@dataclass
class DemoLogins:
    password: str
    users: list[tuple[str, str]] = field(default_factory=list)  # (role description, username)


class DistrictAlreadySeeded(Exception):
    pass


def school_year_label(start_year: int) -> str:
    return f"{start_year}-{(start_year + 1) % 100:02d}"


def current_school_year_start(today: datetime.date) -> int:
    return today.year if today.month >= 7 else today.year - 1


# How many benchmarks a demo contract may have: the standard seven, up to all the large district's.
BENCHMARK_COUNTS = range(len(TEMPLATE_BENCHMARKS), len(TEMPLATE_BENCHMARKS) + len(MORE_BENCHMARKS) + 1)


def default_benchmark_count(schools: int) -> int:
    """The standard contract for a district of up to 100 schools; a large district's longer one above."""
    return BENCHMARK_COUNTS[0] if schools <= LARGE_DISTRICT_SCHOOLS else BENCHMARK_COUNTS[-1]


def demo_district_seed(
    *, schools: int = 40, years: int = 5, seed: int = 2026, benchmarks: int | None = None
) -> DemoLogins:
    """Create the demo district; refuses when the database already holds schools.

    `benchmarks` is how many benchmarks each contract holds (default: by the district's size)."""
    if benchmarks is None:
        benchmarks = default_benchmark_count(schools)
    if benchmarks not in BENCHMARK_COUNTS:
        raise ValueError(f"benchmarks: {benchmarks} is not between {BENCHMARK_COUNTS[0]} and {BENCHMARK_COUNTS[-1]}.")
    if School.objects.exists():
        raise DistrictAlreadySeeded(f"The database already holds {School.objects.count()} schools.")
    rng = random.Random(seed)
    with transaction.atomic():
        builder = _Builder(rng=rng, school_count=schools, year_count=years, benchmark_count=benchmarks)
        return builder.build()


def _bulk_insert(model, objs: list) -> None:
    """Insert many new rows, without reading their ids back: with COPY on PostgreSQL, else bulk_create.

    A district of 2,000 schools has 160,000 observations over eight years. bulk_create quotes every value
    in Python, since the connection binds parameters on the client: 7-9 s of CPU for them. COPY streams
    the same rows, made by the same field methods (timestamps filled, values adapted), in 1-1.5 s.
    """
    if connection.vendor != "postgresql":
        model.objects.bulk_create(objs, batch_size=5000)
        return
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    with connection.cursor() as cursor:
        with cursor.cursor.copy(
            f"COPY {connection.ops.quote_name(model._meta.db_table)} ({columns}) FROM STDIN"
        ) as copy:
            for obj in objs:
                copy.write_row([field.get_db_prep_save(field.pre_save(obj, True), connection) for field in fields])


class _Builder:
    def __init__(self, *, rng: random.Random, school_count: int, year_count: int, benchmark_count: int):
        self.rng = rng
        self.school_count = school_count
        self.year_count = year_count
        self.benchmark_count = benchmark_count
        self.password_hash = make_password(DEMO_PASSWORD, salt="sgsportaldemo")
        self.logins = DemoLogins(password=DEMO_PASSWORD)
        User = get_user_model()
        self.User = User

    def build(self) -> DemoLogins:
        District.objects.create(name="Riverbend Unified School District")
        self.years = self._school_years()
        staff = self._central_office()
        networks = self._networks()
        cohort = Cohort.objects.create(
            name="Autonomy pilot 2025", description="Schools piloting full autonomy with expectations."
        )
        liaisons = self._liaisons(len(networks))
        self.schools = self._schools(networks, cohort, liaisons)
        self._school_staff()
        trajectories = self._observations()
        self._criteria()
        self._grants(admin=staff["admin"], cohort=cohort, trajectories=trajectories)
        self._requests(staff=staff)
        _ContractScenes(
            schools=self.schools,
            staff=staff,
            term=(self.years[-1], self.future_years[-1]),
            benchmarks=(TEMPLATE_BENCHMARKS + MORE_BENCHMARKS)[: self.benchmark_count],
        ).build()
        return self.logins

    # --- organisation ---------------------------------------------------------------------------
    def _school_years(self) -> list[SchoolYear]:
        last = current_school_year_start(timezone.localdate())
        rows = []
        # The years with data, and the next two: contract terms run three years from the current one.
        for start in range(last - self.year_count + 1, last + 3):
            rows.append(
                SchoolYear(
                    label=school_year_label(start),
                    start_date=datetime.date(start, 7, 1),
                    end_date=datetime.date(start + 1, 6, 30),
                    first_day=datetime.date(start, 8, 12 + (start % 7)),
                )
            )
        years = SchoolYear.objects.bulk_create(rows)
        self.future_years = years[-2:]
        return years[:-2]

    def _user(self, username: str, first: str, last: str, **extra):
        return self.User(
            username=username,
            first_name=first,
            last_name=last,
            email=f"{username}@riverbend.example",
            password=self.password_hash,
            **extra,
        )

    def _person(self) -> tuple[str, str]:
        return self.rng.choice(FIRST_NAMES), self.rng.choice(LAST_NAMES)

    def _central_office(self) -> dict:
        specs = [("admin", Role.ADMIN, "", "Autonomy office (admin)")]
        specs += [
            (f"reviewer-{function}", Role.REVIEWER, function, f"Reviewer, {label}")
            for function, label in ReviewFunction.choices
        ]
        specs.append(("viewer", Role.VIEWER, "", "Viewer (board member)"))
        users = self.User.objects.bulk_create(
            self._user(name, *self._person(), is_staff=(role == Role.ADMIN), is_superuser=(role == Role.ADMIN))
            for name, role, _, _ in specs
        )
        Membership.objects.bulk_create(
            Membership(user=user, role=role, function=function)
            for user, (_, role, function, _) in zip(users, specs, strict=True)
        )
        self.logins.users += [(label, name) for name, _, _, label in specs]
        return {name: user for user, (name, *_) in zip(users, specs, strict=True)}

    def _networks(self) -> list[Network]:
        count = 4 if self.school_count <= 100 else math.ceil(self.school_count / 25)
        names = [f"{NETWORK_NAMES[i]} Network" if i < len(NETWORK_NAMES) else f"Network {i + 1}" for i in range(count)]
        return Network.objects.bulk_create(
            Network(name=name, description="A cross-functional support team for its schools.") for name in names
        )

    def _liaisons(self, network_count: int) -> list:
        count = max(network_count, math.ceil(self.school_count / 10))
        users = self.User.objects.bulk_create(self._user(f"liaison-{i + 1}", *self._person()) for i in range(count))
        Membership.objects.bulk_create(Membership(user=user, role=Role.LIAISON) for user in users)
        self.logins.users.append(("Liaison (Instructional Leadership Director)", users[0].username))
        return users

    def _schools(self, networks, cohort, liaisons) -> list[School]:
        rows = []
        weights = [band[2] for band in BANDS]
        for i in range(self.school_count):
            band, suffix, _, (low, high) = self.rng.choices(BANDS, weights)[0]
            base = SCHOOL_NAMES[i % len(SCHOOL_NAMES)]
            name = f"{base} {suffix}" if i < len(SCHOOL_NAMES) else f"{base} {suffix} No. {i // len(SCHOOL_NAMES) + 1}"
            rows.append(
                School(
                    code=f"S{i + 1:04d}",
                    name=name,
                    grade_band=band,
                    network=networks[i % len(networks)],
                    cohort=cohort if i % 4 == 0 else None,
                    liaison=liaisons[i % len(liaisons)],
                    enrollment=self.rng.randint(low, high),
                    opened_year=self.years[-1].start_date.year
                    - self.rng.choice([0, 1] if i % 20 == 19 else [8, 15, 30]),
                )
            )
        return School.objects.bulk_create(rows)

    def _school_staff(self) -> None:
        principals = self.User.objects.bulk_create(
            self._user(f"principal-{school.code.lower()}", *self._person()) for school in self.schools
        )
        team = self.User.objects.bulk_create(
            self._user(f"team-{school.code.lower()}", *self._person()) for school in self.schools
        )
        Membership.objects.bulk_create(
            [Membership(user=u, role=Role.PRINCIPAL, school=s) for u, s in zip(principals, self.schools, strict=True)]
            + [Membership(user=u, role=Role.SCHOOL_TEAM, school=s) for u, s in zip(team, self.schools, strict=True)]
        )
        first = self.schools[0]
        self.logins.users.append((f"Principal of {first.name}", principals[0].username))
        self.logins.users.append((f"School team of {first.name}", team[0].username))

    # --- data ----------------------------------------------------------------------------------
    def _observations(self) -> dict[int, float]:
        """Several years per school: improving, declining or flat, with a few gaps. Returns trends."""
        metrics = list(Metric.objects.order_by("code"))
        trajectories: dict[int, float] = {}
        rows = []
        for school in self.schools:
            trend = self.rng.choice([1.0, 1.0, 1.0, 0.5, 0.5, 0.0, -0.5, -1.0])
            trajectories[school.pk] = trend
            gappy = self.rng.random() < 0.08
            for metric in metrics:
                if metric.code == "graduation_rate" and school.grade_band != GradeBand.HIGH:
                    continue
                mean, spread, step = METRIC_SHAPES.get(metric.code, (50, 10, 1.0))
                level = self.rng.gauss(mean, spread)
                for year_index, year in enumerate(self.years):
                    if gappy and self.rng.random() < 0.3 or self._is_missing_scene(school, metric, year):
                        continue
                    value = level + trend * step * year_index + self.rng.gauss(0, abs(step) * 0.3)
                    if self._is_vacancy_scene(school, metric, year):
                        value = 6  # a pilot school opens the year six teachers short: the seed's example
                    rows.append(
                        Observation(
                            school=school,
                            metric=metric,
                            period=year.label,
                            value=self._clamp(metric, value),
                            source=metric.data_source or "demo",
                        )
                    )
        _bulk_insert(Observation, rows)
        self.latest = {
            (row.school_id, row.metric.code): row.value for row in rows if row.period == self.years[-1].label
        }
        return trajectories

    def _is_missing_scene(self, school, metric, year) -> bool:
        """S0007's family survey and growth scores for this year have not come in yet."""
        scene = self.schools[MISSING_SCENE] if len(self.schools) > MISSING_SCENE else None
        late = ("family_satisfaction", "growth_percentile")
        return school is scene and metric.code in late and year is self.years[-1]

    def _is_vacancy_scene(self, school, metric, year) -> bool:
        scene = self.schools[VACANCY_SCENE] if len(self.schools) > VACANCY_SCENE else None
        return school is scene and metric.code == "teacher_vacancies_first_day" and year is self.years[-1]

    @staticmethod
    def _clamp(metric: Metric, value: float) -> Decimal:
        low = float(metric.min_value) if metric.min_value is not None else value
        high = float(metric.max_value) if metric.max_value is not None else value
        value = min(max(value, low), high)
        if metric.code in INTEGER_METRICS:
            return Decimal(round(value))
        return Decimal(f"{value:.1f}")

    def _criteria(self) -> None:
        autonomies = {a.code: a for a in Autonomy.objects.all()}
        metrics = {m.code: m for m in Metric.objects.all()}
        EligibilityCriterion.objects.bulk_create(
            EligibilityCriterion(
                autonomy=autonomies[code], metric=metrics[metric], comparator=comparator, threshold=threshold
            )
            for code, metric, comparator, threshold in ELIGIBILITY
        )

    def _requests(self, *, staff) -> None:
        principals = {
            m.school_id: m.user
            for m in Membership.objects.filter(role=Role.PRINCIPAL, school__in=self.schools[:10]).select_related("user")
        }
        _RequestScenes(schools=self.schools[:10], staff=staff, principals=principals, years=self.years).build()

    def _grants(self, *, admin, cohort, trajectories) -> None:
        catalog = {a.code: a for a in Autonomy.objects.all()}
        year_start = self.years[-1].start_date
        pilot = [s for s in self.schools if s.cohort_id == cohort.pk]
        for autonomy in catalog.values():
            if autonomy.model == AccountabilityModel.FULL:
                grants_issue(
                    schools=pilot,
                    autonomy=autonomy,
                    actor=admin,
                    reason=f"Granted to the {cohort.name} cohort, kept while retention benchmarks are met.",
                    starts_on=year_start,
                    retention_benchmarks=RETENTION_BENCHMARKS.get(autonomy.code, "Meets its contract benchmarks."),
                )
        earned = [s for s in self.schools if self.latest.get((s.pk, "finance_rating"), Decimal(0)) >= Decimal(4)]
        for code in ("money.budget", "money.pd_budget"):
            grants_issue(
                schools=earned,
                autonomy=catalog[code],
                actor=admin,
                reason="Earned: the principal's finance evaluation rating is 4 or higher.",
                starts_on=year_start,
                evidence={"metric": "finance_rating", "comparator": ">=", "threshold": 4},
            )
        improving = [s for s in self.schools if trajectories[s.pk] > 0]
        chosen = self.rng.sample(improving, k=min(len(improving), max(1, len(self.schools) // 8)))
        chosen.sort(key=lambda s: s.pk)
        for code in ("program.curriculum", "time.learning_time"):
            grants_issue(
                schools=chosen,
                autonomy=catalog[code],
                actor=admin,
                reason="Approved in the district's 2025-26 proposal round.",
                starts_on=year_start,
            )


class _ContractScenes:
    """A contract for every school from the district template: most active (signed on paper and entered
    in bulk), one proposed for the demo principal to sign, one signed awaiting countersignature, one
    draft, one activated through the portal, and one amended."""

    def __init__(self, *, schools, staff, term, benchmarks):
        self.schools = schools
        self.staff = staff
        self.term_start, self.term_end = term
        self.benchmarks = benchmarks

    def build(self) -> None:
        template = self._template()
        admin = self.staff["admin"]
        principals = {
            m.school_id: m.user
            for m in Membership.objects.filter(role=Role.PRINCIPAL, school__in=self.schools[:5]).select_related("user")
        }
        signed_at = timezone.make_aware(datetime.datetime.combine(self.term_start.start_date, datetime.time(10)))
        contracts_import_signed(
            actor=admin,
            schools=self.schools[3:],
            template=template,
            term_start=self.term_start,
            term_end=self.term_end,
            signed_at=signed_at,
        )
        drafts = {
            school.code: contract_create_from_template(
                actor=admin, school=school, template=template, term_start=self.term_start, term_end=self.term_end
            )
            for school in self.schools[:3]
        }
        first, second = self.schools[0], self.schools[1]
        contract_propose(actor=admin, contract_id=drafts[first.code].pk)
        contract_propose(actor=admin, contract_id=drafts[second.code].pk)
        contract_sign(
            actor=principals[second.pk],
            contract_id=drafts[second.code].pk,
            signed_name=principals[second.pk].get_full_name(),
        )
        if len(self.schools) > 4:
            self._amend(self.schools[4], admin, principals[self.schools[4].pk])

    def _amend(self, school, admin, principal) -> None:
        active = PerformanceContract.objects.get(school=school, status="active")
        amendment = contract_amend(
            actor=admin, contract_id=active.pk, reason="The school opened a dual-language program; math target raised."
        )
        math = amendment.benchmarks.get(key="math-proficiency")
        contract_benchmark_remove(actor=admin, contract_id=amendment.pk, key="math-proficiency")
        contract_benchmark_add(
            actor=admin,
            contract_id=amendment.pk,
            benchmark=BenchmarkInput(
                key="math-proficiency",
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
        contract_sign(actor=principal, contract_id=amendment.pk, signed_name=principal.get_full_name())
        contract_countersign(actor=admin, contract_id=amendment.pk, countersigned_name=admin.get_full_name())

    def _template(self) -> ContractTemplate:
        metrics = {m.code: m for m in Metric.objects.all()}
        autonomies = {a.code: a for a in Autonomy.objects.all()}
        template = ContractTemplate.objects.create(
            name="District standard contract",
            description="The benchmarks and intervention ladder every school's contract starts from.",
        )
        TemplateBenchmark.objects.bulk_create(
            TemplateBenchmark(template=template, position=i, metric=metrics[metric], **fields)
            for i, (metric, fields) in enumerate(self.benchmarks)
        )
        TemplateBenchmark.objects.filter(template=template, key="vacancies").update(
            binding_autonomy=autonomies["people.hiring"]
        )
        TemplateRule.objects.bulk_create(
            TemplateRule(template=template, position=i, **fields) for i, fields in enumerate(TEMPLATE_RULES)
        )
        return template


class _RequestScenes:
    """Requests in every state of the workflow in an open call, made through the services."""

    def __init__(self, *, schools, staff, principals, years):
        self.schools = schools
        self.staff = staff
        self.principals = principals
        self.years = years

    def build(self) -> None:
        today = timezone.localdate()
        admin = self.staff["admin"]
        offered = list(
            Autonomy.objects.filter(
                code__in=[
                    "program.curriculum",
                    "program.assessment",
                    "program.offerings",
                    "time.learning_time",
                    "people.evaluation",
                    "money.budget",
                    "people.staffing_model",
                ]
            )
        )
        call = call_create(
            actor=admin,
            title=f"{self.years[-1].label} call for proposals",
            opens_on=today - datetime.timedelta(days=20),
            closes_on=today + datetime.timedelta(days=25),
            autonomies=offered,
            guidance="Propose the decisions your school needs to reach its goals, and the results you will be held to.",
            questions=[
                "Which students will benefit, and how will you know?",
                "How were teachers and families involved in this proposal?",
            ],
        )
        scenes = [
            "draft",
            "submitted",
            "under_review",
            "changes_requested",
            "approved",
            "declined",
            "withdrawn",
            "clarified",
        ]
        # School S0001 is left free, so the demo principal can start a request of their own.
        for school, scene in zip(self.schools[1:], scenes, strict=False):
            self._scene(call, school, scene)

    def _draft(self, call, school, codes):
        principal = self.principals[school.pk]
        request = request_create(actor=principal, school=school, call=call)
        ids = [a.pk for a in call.autonomies.all() if a.code in codes]
        request_set_autonomies(actor=principal, request_id=request.pk, autonomy_ids=ids)
        request_update_items(
            actor=principal,
            request_id=request.pk,
            items={
                item.pk: {
                    "justification": f"Our students need this: {item.autonomy.description}",
                    "barrier": "Curriculum adoption procedure AP-6161 requires the district-wide list."
                    if item.autonomy.code == "program.curriculum"
                    else "",
                }
                for item in request.items.select_related("autonomy")
            },
        )
        request_update_plan(
            actor=principal,
            request_id=request.pk,
            plan="A two-year plan: pilot in grades 3-5, extend school-wide in year two, with monthly data reviews.",
            answers={
                q.pk: "Described in the plan; reviewed with the school site council." for q in call.questions.all()
            },
        )
        request_set_outcomes(
            actor=principal,
            request_id=request.pk,
            outcomes=[
                OutcomeInput("ela_proficiency", "", "50", self._future(2)),
                OutcomeInput("chronic_absenteeism", "", "12", self._future(1)),
            ],
        )
        return request, principal

    def _future(self, years_ahead: int) -> str:
        return school_year_label(self.years[-1].start_date.year + years_ahead)

    def _scene(self, call, school, scene) -> None:
        codes = ("program.curriculum", "time.learning_time")
        request, principal = self._draft(call, school, codes)
        if scene == "draft":
            return
        if scene == "withdrawn":
            request_withdraw(actor=principal, request_id=request.pk)
            return
        request_submit(actor=principal, request_id=request.pk)
        if scene == "submitted":
            return
        request_comment(
            actor=self.staff["reviewer-academics"],
            request_id=request.pk,
            body="Which curriculum will you adopt, and how will you train teachers on it?",
            to_school=True,
            recommendation="approve" if scene in ("approved", "clarified") else "",
            function="academics",
        )
        request_comment(
            actor=self.staff["reviewer-operations"],
            request_id=request.pk,
            body="Transport can support a later dismissal if we know by March.",
            function="operations",
        )
        admin = self.staff["admin"]
        items = {item.autonomy.code: item for item in request.items.select_related("autonomy")}
        if scene == "changes_requested":
            request_return(actor=admin, request_id=request.pk, note="Name the curriculum and the training plan.")
        elif scene == "declined":
            request_decline(actor=admin, request_id=request.pk, note="The budget cannot fund a longer day this year.")
        elif scene == "approved":
            request_decide(
                actor=admin,
                request_id=request.pk,
                choices={
                    items["program.curriculum"].pk: ItemChoice("approved"),
                    items["time.learning_time"].pk: ItemChoice(
                        "declined", note="Transport contracts are fixed this year."
                    ),
                },
            )
        elif scene == "clarified":
            request_item_clarify(
                actor=self.staff["reviewer-academics"],
                item_id=items["program.curriculum"].pk,
                explanation="AP-6161 governs the core adoption only; schools may choose supplemental curriculum today.",
            )
