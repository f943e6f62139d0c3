"""The rows of a demo district: its years, people, networks and schools, several years of observations,
the eligibility rules and the contract template, made in bulk or through the apps' services.

Every random choice comes from the one `random.Random` the builder is given, consumed in a fixed order,
and rows are created in a fixed order: the caller decides the order of the steps.
"""

import datetime
import math
import random
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connection
from django.utils import timezone

from autonomy.models import Autonomy, EligibilityCriterion
from budgeting.services.budget_metrics import BUDGET_METRICS
from contracts.models import ContractTemplate, TemplateBenchmark, TemplateRule
from demo.services.data import (
    BANDS,
    BINDING_BENCHMARK,
    DEMO_PASSWORD,
    DISTRICT_NAME,
    ELIGIBILITY,
    FIRST_NAMES,
    INTEGER_METRICS,
    LAST_NAMES,
    METRIC_SHAPE_DEFAULT,
    METRIC_SHAPES,
    NETWORK_NAMES,
    SCHOOL_NAMES,
    TEMPLATE_RULES,
    TRAJECTORIES,
    YEARLY_NOISE,
)
from metrics.models import Metric, Observation
from schools.models import Cohort, District, GradeBand, Membership, Network, ReviewFunction, Role, School, SchoolYear


@dataclass
class DemoLogins:
    password: str
    users: list[tuple[str, str]] = field(default_factory=list)  # (role description, username)


def school_year_label(start_year: int) -> str:
    return f"{start_year}-{(start_year + 1) % 100:02d}"


def current_school_year_start(today: datetime.date) -> int:
    return today.year if today.month >= 7 else today.year - 1


def by_code(model) -> dict:
    """Every row of a catalog (autonomies, metrics) by its code."""
    return {row.code: row for row in model.objects.all()}


def principals_of(schools: list[School]) -> dict:
    """Each school's principal, by the school's id."""
    memberships = Membership.objects.filter(role=Role.PRINCIPAL, school__in=schools).select_related("user")
    return {m.school_id: m.user for m in memberships}


def bulk_insert(model, objs: list) -> None:
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


def contract_template_create(*, benchmarks: list[tuple[str, dict]]) -> ContractTemplate:
    """The district's standard contract: these benchmarks, one of them binding, and the intervention ladder."""
    metrics = by_code(Metric)
    autonomies = by_code(Autonomy)
    template = ContractTemplate.objects.create(
        name="District standard contract",
        description="The benchmarks and intervention ladder every school's contract starts from.",
    )
    TemplateBenchmark.objects.bulk_create(
        TemplateBenchmark(template=template, position=i, metric=metrics[metric], **fields)
        for i, (metric, fields) in enumerate(benchmarks)
    )
    key, autonomy = BINDING_BENCHMARK
    TemplateBenchmark.objects.filter(template=template, key=key).update(binding_autonomy=autonomies[autonomy])
    TemplateRule.objects.bulk_create(
        TemplateRule(template=template, position=i, **fields) for i, fields in enumerate(TEMPLATE_RULES)
    )
    return template


class DistrictBuilder:
    """Builds the district step by step; each step leaves what the later ones need on the builder."""

    def __init__(self, *, rng: random.Random, school_count: int, year_count: int):
        self.rng = rng
        self.school_count = school_count
        self.year_count = year_count
        self.password_hash = make_password(DEMO_PASSWORD, salt="sgsportaldemo")
        self.logins = DemoLogins(password=DEMO_PASSWORD)
        self.User = get_user_model()

    def organisation(self) -> None:
        """The district, its years, central office, networks, pilot cohort, liaisons, schools and their staff."""
        District.objects.create(name=DISTRICT_NAME)
        self.years, self.future_years = self._school_years()
        self.staff = self._central_office()
        networks = self._networks()
        self.cohort = Cohort.objects.create(
            name="Autonomy pilot 2025", description="Schools piloting full autonomy with expectations."
        )
        liaisons = self._liaisons(len(networks))
        self.schools = self._schools(networks, liaisons)
        self._school_staff()

    def _school_years(self) -> tuple[list[SchoolYear], list[SchoolYear]]:
        """The years with data, and the next two: contract terms run three years from the current one."""
        last = current_school_year_start(timezone.localdate())
        years = SchoolYear.objects.bulk_create(
            SchoolYear(
                label=school_year_label(start),
                start_date=datetime.date(start, 7, 1),
                end_date=datetime.date(start + 1, 6, 30),
                first_day=datetime.date(start, 8, 12 + (start % 7)),
            )
            for start in range(last - self.year_count + 1, last + 3)
        )
        return years[:-2], years[-2:]

    def _users(self, usernames, *, superusers=frozenset()) -> list:
        """Users with random names, in the order given; every one with the demo password."""
        return self.User.objects.bulk_create(
            self.User(
                username=username,
                first_name=self.rng.choice(FIRST_NAMES),
                last_name=self.rng.choice(LAST_NAMES),
                email=f"{username}@riverbend.example",
                password=self.password_hash,
                is_staff=username in superusers,
                is_superuser=username in superusers,
            )
            for username in usernames
        )

    def _central_office(self) -> dict:
        specs = [("admin", Role.ADMIN, "", "Autonomy office (admin)")]
        specs += [
            (f"reviewer-{function}", Role.REVIEWER, function, f"Reviewer, {label}")
            for function, label in ReviewFunction.choices
        ]
        specs.append(("viewer", Role.VIEWER, "", "Viewer (board member)"))
        usernames = [name for name, *_ in specs]
        users = self._users(usernames, superusers={name for name, role, *_ in specs if role == Role.ADMIN})
        Membership.objects.bulk_create(
            Membership(user=user, role=role, function=function)
            for user, (_, role, function, _) in zip(users, specs, strict=True)
        )
        self.logins.users += [(label, name) for name, _, _, label in specs]
        return dict(zip(usernames, users, strict=True))

    def _networks(self) -> list[Network]:
        count = 4 if self.school_count <= 100 else math.ceil(self.school_count / 25)
        names = [f"{NETWORK_NAMES[i]} Network" if i < len(NETWORK_NAMES) else f"Network {i + 1}" for i in range(count)]
        return Network.objects.bulk_create(
            Network(name=name, description="A cross-functional support team for its schools.") for name in names
        )

    def _liaisons(self, network_count: int) -> list:
        count = max(network_count, math.ceil(self.school_count / 10))
        users = self._users(f"liaison-{i + 1}" for i in range(count))
        Membership.objects.bulk_create(Membership(user=user, role=Role.LIAISON) for user in users)
        self.logins.users.append(("Liaison (Instructional Leadership Director)", users[0].username))
        return users

    def _schools(self, networks, liaisons) -> list[School]:
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
                    cohort=self.cohort if i % 4 == 0 else None,
                    liaison=liaisons[i % len(liaisons)],
                    enrollment=self.rng.randint(low, high),
                    opened_year=self.years[-1].start_date.year
                    - self.rng.choice([0, 1] if i % 20 == 19 else [8, 15, 30]),
                )
            )
        return School.objects.bulk_create(rows)

    def _school_staff(self) -> None:
        principals = self._users(f"principal-{school.code.lower()}" for school in self.schools)
        team = self._users(f"team-{school.code.lower()}" for school in self.schools)
        Membership.objects.bulk_create(
            [Membership(user=u, role=Role.PRINCIPAL, school=s) for u, s in zip(principals, self.schools, strict=True)]
            + [Membership(user=u, role=Role.SCHOOL_TEAM, school=s) for u, s in zip(team, self.schools, strict=True)]
        )
        first = self.schools[0]
        self.logins.users.append((f"Principal of {first.name}", principals[0].username))
        self.logins.users.append((f"School team of {first.name}", team[0].username))

    def observations(self, *, flagged) -> None:
        """Several years per school, from the year it opened: improving, declining or flat, with a few gaps
        and the flagged schools' latest year. Leaves each school's trend in `trajectories` and the latest
        values in `latest`."""
        # The budget figures come from the demo's own allocations and plans (budgeting.services.budget_metrics).
        metrics = list(Metric.objects.exclude(code__in=BUDGET_METRICS).order_by("code"))
        self.trajectories: dict[int, float] = {}
        rows = []
        for school in self.schools:
            trend = self.rng.choice(TRAJECTORIES)
            self.trajectories[school.pk] = trend
            gappy = self.rng.random() < 0.08
            for metric in metrics:
                if metric.code == "graduation_rate" and school.grade_band != GradeBand.HIGH:
                    continue
                mean, spread, step = METRIC_SHAPES.get(metric.code, METRIC_SHAPE_DEFAULT)
                level = self.rng.gauss(mean, spread)
                for year_index, year in enumerate(self.years):
                    if year.start_date.year < school.opened_year:  # no results from before it opened
                        continue
                    if gappy and self.rng.random() < 0.3 or flagged.is_late(school, metric, year):
                        continue
                    value = level + trend * step * year_index + self.rng.gauss(0, abs(step) * YEARLY_NOISE)
                    value = flagged.adjust(school, metric, year, value)
                    rows.append(
                        Observation(
                            school=school,
                            metric=metric,
                            period=year.label,
                            value=self._clamp(metric, value),
                            source=metric.data_source or "demo",
                        )
                    )
        bulk_insert(Observation, rows)
        self.latest = {
            (row.school_id, row.metric.code): row.value for row in rows if row.period == self.years[-1].label
        }

    @staticmethod
    def _clamp(metric: Metric, value: float) -> Decimal:
        low = float(metric.min_value) if metric.min_value is not None else value
        high = float(metric.max_value) if metric.max_value is not None else value
        value = min(max(value, low), high)
        if metric.code in INTEGER_METRICS:
            return Decimal(round(value))
        return Decimal(f"{value:.1f}")

    def criteria(self) -> None:
        autonomies = by_code(Autonomy)
        metrics = by_code(Metric)
        EligibilityCriterion.objects.bulk_create(
            EligibilityCriterion(
                autonomy=autonomies[code], metric=metrics[metric], comparator=comparator, threshold=threshold
            )
            for code, metric, comparator, threshold in ELIGIBILITY
        )
