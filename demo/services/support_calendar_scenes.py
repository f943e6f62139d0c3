"""The demo district's planning calendar: a realistic year of milestones for the current school year and the
next, typed in through the same service the autonomy office uses.

The year follows the budget and staffing cycle of a district that budgets by student (the allocations go
out late in the winter, staffing plans follow in April, schedules in May, contracts are signed in June),
with a call for proposals over the winter, and the days the district offices close: US federal holidays,
Thanksgiving, a winter break and a spring break. Closed days matter beyond the calendar: support requests'
service deadlines skip them.

The network choice window and the central-office surveys are read by the calendar from their own rows
(OptInWindow, SurveyCycle) when the demo has them; only a year without them gets a typed milestone, so the
page never lists the same window twice. Call this scene after the networks' and the surveys' scenes.
"""

import calendar as month_calendar
import datetime
import random

from schools.models import SchoolYear
from support.models import MilestoneKind, OptInWindow, SurveyCycle
from support.services.calendar import milestone_create

K = MilestoneKind
D = datetime.date


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> datetime.date:
    """The n-th (1-based; -1 for the last) weekday (Monday 0) of a month."""
    days = [
        day
        for day in month_calendar.Calendar().itermonthdates(year, month)
        if day.month == month and day.weekday() == weekday
    ]
    return days[n - 1] if n > 0 else days[n]


def _monday_of(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def _observed(day: datetime.date) -> datetime.date:
    """A holiday on a Saturday is observed the Friday before; on a Sunday, the Monday after."""
    return day + datetime.timedelta(days={5: -1, 6: 1}.get(day.weekday(), 0))


def _weekday_near(day: datetime.date) -> datetime.date:
    """A deadline that would fall on a weekend moves to the Friday before."""
    return day - datetime.timedelta(days=max(0, day.weekday() - 4))


def _year_milestones(year: SchoolYear, *, rng: random.Random, with_network_choice: bool, with_surveys: bool):
    """(kind, title, on, ends_on, description) for one school year starting in July."""
    fall, spring = year.start_date.year, year.start_date.year + 1
    jitter = lambda: rng.randint(0, 4)  # noqa: E731 - a few days either way, so the two years differ
    winter_start = _monday_of(D(fall, 12, 21))
    spring_break = _monday_of(D(spring, 3, 15)) + datetime.timedelta(days=7 * rng.randint(0, 1))
    thanksgiving = _nth_weekday(fall, 11, 3, 4)
    rows = [
        (K.DISTRICT_CLOSED, "Independence Day", _observed(D(fall, 7, 4)), None, "District offices closed."),
        (K.DISTRICT_CLOSED, "Labor Day", _nth_weekday(fall, 9, 0, 1), None, "District offices closed."),
        (
            K.DISTRICT_CLOSED,
            "Thanksgiving break",
            thanksgiving,
            thanksgiving + datetime.timedelta(days=1),
            "District offices closed Thursday and Friday.",
        ),
        (
            K.DISTRICT_CLOSED,
            "Winter break",
            winter_start,
            D(spring, 1, 1),
            "District offices closed; support requests' deadlines resume counting on the first working day after.",
        ),
        (
            K.DISTRICT_CLOSED,
            "Martin Luther King Jr. Day",
            _nth_weekday(spring, 1, 0, 3),
            None,
            "District offices closed.",
        ),
        (K.DISTRICT_CLOSED, "Presidents' Day", _nth_weekday(spring, 2, 0, 3), None, "District offices closed."),
        (
            K.DISTRICT_CLOSED,
            "Spring break",
            spring_break,
            spring_break + datetime.timedelta(days=4),
            "District offices closed.",
        ),
        (K.DISTRICT_CLOSED, "Memorial Day", _nth_weekday(spring, 5, 0, -1), None, "District offices closed."),
        (
            K.CALL_FOR_PROPOSALS,
            f"Call for proposals for {_next_label(year)}",
            _weekday_near(D(spring, 1, 11) + datetime.timedelta(days=jitter())),
            _weekday_near(D(spring, 2, 12) + datetime.timedelta(days=jitter())),
            "Schools ask for programmatic autonomies for next year: a justification, a plan and target outcomes. "
            "The call itself is opened on the Calls page.",
        ),
        (
            K.ALLOCATIONS_RELEASED,
            f"School allocations for {_next_label(year)} released",
            _weekday_near(D(spring, 2, 26) + datetime.timedelta(days=jitter())),
            None,
            "Each school's student-based allocation and its lines, on the Budget page.",
        ),
        (
            K.OTHER,
            "Budget plans due to finance",
            _weekday_near(D(spring, 3, 31) + datetime.timedelta(days=jitter())),
            None,
            "Each school's budget plan for next year, submitted for finance's review.",
        ),
        (
            K.STAFFING_DEADLINE,
            "Staffing plans due to HR",
            _weekday_near(D(spring, 4, 14) + datetime.timedelta(days=jitter())),
            None,
            "Positions for next year, vacancies to post and intent-to-return forms.",
        ),
        (
            K.SCHEDULES_DUE,
            "School schedules due",
            _weekday_near(D(spring, 5, 14) + datetime.timedelta(days=jitter())),
            None,
            "Next year's bell schedule and calendar, including any changes under a time autonomy.",
        ),
        (
            K.CONTRACT_SIGNING,
            f"Performance contracts for {_next_label(year)} signed",
            _weekday_near(D(spring, 6, 1)),
            _weekday_near(D(spring, 6, 12)),
            "Principals sign their school's contract; the autonomy office countersigns.",
        ),
    ]
    if with_network_choice:
        rows.append(
            (
                K.NETWORK_CHOICE,
                f"Network choice for {_next_label(year)}",
                _weekday_near(D(spring, 2, 1)),
                _weekday_near(D(spring, 2, 26)),
                "Principals may ask to join a network for next year.",
            )
        )
    if with_surveys:
        rows += [
            (
                K.SURVEY_CYCLE,
                "Fall survey of central office",
                _monday_of(D(fall, 10, 19)),
                _monday_of(D(fall, 10, 19)) + datetime.timedelta(days=18),
                "Principals rate central office's departments.",
            ),
            (
                K.SURVEY_CYCLE,
                "Spring survey of central office",
                _monday_of(D(spring, 4, 20)),
                _monday_of(D(spring, 4, 20)) + datetime.timedelta(days=18),
                "Principals rate central office's departments.",
            ),
        ]
    return rows


def _next_label(year: SchoolYear) -> str:
    start = year.start_date.year + 1
    return f"{start}-{(start + 1) % 100:02d}"


def calendar_scene(district, *, rng: random.Random) -> list:
    """The current school year's milestones and the next's; returns the milestones made."""
    admin = district.staff["admin"]
    years = [district.years[-1], *district.future_years[:1]]
    windows = set(OptInWindow.objects.filter(school_year__in=years).values_list("school_year_id", flat=True))
    surveyed = set(SurveyCycle.objects.filter(school_year__in=years).values_list("school_year_id", flat=True))
    made = []
    for year in years:
        rows = _year_milestones(
            year, rng=rng, with_network_choice=year.pk not in windows, with_surveys=year.pk not in surveyed
        )
        for kind, title, on, ends_on, description in rows:
            made.append(
                milestone_create(
                    actor=admin,
                    school_year=year,
                    kind=kind,
                    title=title,
                    on=on,
                    ends_on=ends_on,
                    description=description,
                )
            )
    return made
