"""The reads behind the caseload pages and the partnership log, each scoped by support.policies.caseloads
and costing the same queries for one liaison, school or entry as for twenty.

The share of a liaison's working time spent with principals is the minutes logged "with the principal"
divided by the working minutes of the weeks elapsed in the period: weeks × the district's working week
(ServicePolicy.liaison_hours_per_week) × 60. Weeks elapsed count calendar days from the period's first
day to today, inclusive, divided by 7.
"""

import datetime
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, IntegerField, OuterRef, Prefetch, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from core.errors import NotFound
from schools.models import School
from schools.selectors import school_year_of
from support.models import FocusArea, PartnershipEntry, ServicePolicy
from support.policies.caseloads import liaisons_visible_to, partnership_entries_visible_to
from support.selectors.service_policy import service_policy_current

# --- periods and the share of time with principals -------------------------------------------------


@dataclass(frozen=True)
class Period:
    """The month or the school year so far, up to and including today."""

    name: str  # "this month", "this school year"
    start: datetime.date
    end: datetime.date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def weeks(self) -> float:
        return self.days / 7


def periods_to(today: datetime.date) -> tuple[Period, Period]:
    """This month and this school year, to today. The school year is the one today belongs to
    (schools.selectors.school_year_of); before the district records any, the year that began on the latest
    July 1 (one query)."""
    year = school_year_of(today)
    year_start = year.start_date if year else datetime.date(today.year if today.month >= 7 else today.year - 1, 7, 1)
    return Period("this month", today.replace(day=1), today), Period("this school year", year_start, today)


@dataclass(frozen=True)
class TimeShare:
    """Minutes logged with principals in a period, against the working time of the weeks elapsed."""

    minutes: int
    period: Period
    hours_per_week: int
    target_percent: int

    @property
    def working_minutes(self) -> float:
        return self.period.weeks * self.hours_per_week * 60

    @property
    def percent(self) -> int:
        """Whole percent, as people write it."""
        return round(100 * self.minutes / self.working_minutes) if self.working_minutes else 0

    @property
    def meets_target(self) -> bool:
        return self.percent >= self.target_percent

    @property
    def hours_words(self) -> str:
        """The minutes as people say them: "45 minutes", "2 hours 15 minutes", and whole hours from ten on."""
        hours, minutes = divmod(self.minutes, 60)
        if hours >= 10:
            return f"{round(self.minutes / 60):,} hours"
        parts = [f"{hours} hour{'' if hours == 1 else 's'}"] if hours else []
        if minutes or not hours:
            parts.append(f"{minutes} minute{'' if minutes == 1 else 's'}")
        return " ".join(parts)

    @property
    def weeks_words(self) -> str:
        return f"{self.period.weeks:.1f} weeks"


def _minutes_with_principals(period: Period) -> Coalesce:
    minutes = (
        PartnershipEntry.objects.filter(
            liaison=OuterRef("pk"), with_principal=True, on__gte=period.start, on__lte=period.end
        )
        .order_by()
        .values("liaison")
        .annotate(total=Sum("minutes"))
        .values("total")
    )
    return Coalesce(Subquery(minutes, output_field=IntegerField()), Value(0))


def _schools_held() -> Coalesce:
    held = (
        School.objects.filter(liaison=OuterRef("pk")).order_by().values("liaison").annotate(n=Count("pk")).values("n")
    )
    return Coalesce(Subquery(held, output_field=IntegerField()), Value(0))


# --- the district's caseloads ---------------------------------------------------------------------


@dataclass(frozen=True)
class LiaisonLoad:
    liaison: AbstractBaseUser
    schools: int
    limit: int
    month: TimeShare
    year: TimeShare

    @property
    def over_limit(self) -> bool:
        return self.schools > self.limit

    @property
    def at_limit(self) -> bool:
        return self.schools == self.limit

    @property
    def limit_words(self) -> str:
        """Said in words, never only by a colour."""
        if self.over_limit:
            return f"Over the limit by {self.schools - self.limit}"
        if self.at_limit:
            return "At the limit"
        return f"{self.limit - self.schools} under the limit"

    @property
    def name(self) -> str:
        return self.liaison.get_full_name() or self.liaison.get_username()


@dataclass(frozen=True)
class DistrictCaseloads:
    policy: ServicePolicy
    loads: list[LiaisonLoad]
    unassigned: list[School]
    month: Period
    year: Period

    @property
    def over_limit(self) -> list[LiaisonLoad]:
        return [load for load in self.loads if load.over_limit]


def liaisons_with_load(user: AbstractBaseUser, *, month: Period, year: Period) -> QuerySet:
    """The liaisons the user may see, each with `schools_held`, `minutes_month` and `minutes_year` (minutes
    logged with principals): one query however many liaisons."""
    return _with_load(liaisons_visible_to(user), month=month, year=year)


def _with_load(liaisons: QuerySet, *, month: Period, year: Period) -> QuerySet:
    return liaisons.annotate(
        schools_held=_schools_held(),
        minutes_month=_minutes_with_principals(month),
        minutes_year=_minutes_with_principals(year),
    )


def _loads(rows, *, policy: ServicePolicy, month: Period, year: Period) -> list[LiaisonLoad]:
    hours, target = policy.liaison_hours_per_week, policy.principal_time_target_percent
    return [
        LiaisonLoad(
            liaison=row,
            schools=row.schools_held,
            limit=policy.caseload_limit,
            month=TimeShare(row.minutes_month, month, hours, target),
            year=TimeShare(row.minutes_year, year, hours, target),
        )
        for row in rows
    ]


def district_caseloads(*, user: AbstractBaseUser, today: datetime.date) -> DistrictCaseloads:
    """Every liaison the user may see with schools held against the limit (most schools first) and time with
    principals, and the schools without a liaison, by name. Four queries whatever the district's size."""
    policy = service_policy_current()
    month, year = periods_to(today)
    liaisons = liaisons_with_load(user, month=month, year=year).order_by("last_name", "first_name", "username")
    loads = sorted(_loads(liaisons, policy=policy, month=month, year=year), key=lambda load: -load.schools)
    unassigned = list(School.objects.filter(liaison__isnull=True).order_by("name", "pk"))
    return DistrictCaseloads(policy=policy, loads=loads, unassigned=unassigned, month=month, year=year)


def liaison_get_for_user(*, user: AbstractBaseUser, pk: int) -> AbstractBaseUser:
    """A liaison whose caseload the user may see; anyone else (or nobody) is NotFound."""
    liaison = liaisons_visible_to(user).filter(pk=pk).first()
    if liaison is None:
        raise NotFound("No such liaison.")
    return liaison


def liaison_load(*, liaison: AbstractBaseUser, today: datetime.date) -> LiaisonLoad:
    """One liaison's schools against the limit and time with principals (three queries)."""
    policy = service_policy_current()
    month, year = periods_to(today)
    rows = _with_load(type(liaison).objects.filter(pk=liaison.pk), month=month, year=year)
    (load,) = _loads(rows, policy=policy, month=month, year=year)
    return load


def liaison_choices(*, user: AbstractBaseUser) -> list[tuple[AbstractBaseUser, int]]:
    """Every liaison the user may see with the schools they hold now, by name, for the assignment form
    (one query)."""
    liaisons = liaisons_visible_to(user).annotate(schools_held=_schools_held())
    return [(liaison, liaison.schools_held) for liaison in liaisons.order_by("last_name", "first_name", "username")]


# --- a caseload's schools and the log ------------------------------------------------------------


def with_partnership_summary(schools: QuerySet[School]) -> QuerySet[School]:
    """Each school's last contact, and the next step agreed at the latest contact that agreed one, with its
    due date: subqueries, so the caller's own annotations and ordering are untouched."""
    latest_step = PartnershipEntry.objects.filter(school=OuterRef("pk")).exclude(next_steps="").order_by("-on", "-pk")
    last = PartnershipEntry.objects.filter(school=OuterRef("pk")).order_by("-on", "-pk").values("on")[:1]
    return schools.annotate(
        last_contact=Subquery(last),
        next_step=Subquery(latest_step.values("next_steps")[:1]),
        next_step_due=Subquery(latest_step.values("next_step_due")[:1]),
    )


def partnership_log(*, user: AbstractBaseUser, school: School) -> QuerySet[PartnershipEntry]:
    """The school's entries the user may read, newest first, with their school, liaison and focus tags: two
    queries for a page of any length."""
    return (
        partnership_entries_visible_to(user)
        .filter(school=school)
        .select_related("liaison", "school")
        .prefetch_related(Prefetch("focus", queryset=FocusArea.objects.order_by("number")))
        .order_by("-on", "-pk")
    )


def partnership_entry_get(*, user: AbstractBaseUser, school: School, pk: int) -> PartnershipEntry:
    entry = partnership_log(user=user, school=school).filter(pk=pk).first()
    if entry is None:
        raise NotFound("No such entry in the partnership log.")
    return entry


def focus_areas() -> QuerySet[FocusArea]:
    return FocusArea.objects.order_by("number")
