"""Reads of the district planning calendar: the office's milestones, and the dates the product already holds.

The calendar shows two kinds of entry. Milestones are typed in by the autonomy office. The network opt-in
window and the survey cycles are read from their own rows each time (never copied), so the calendar cannot
disagree with the pages that open and close them. Calls for proposals and allocation releases live in apps
above support (autonomy, budgeting), which support does not read: the office types those in as milestones.

Every read here is a fixed number of queries whatever the number of entries.
"""

import datetime
import hashlib
from dataclasses import dataclass
from itertools import groupby
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from schools.models import District, SchoolYear
from support.models import CalendarFeed, Milestone, MilestoneKind, OptInWindow, SurveyCycle, SurveyStatus

OFFICE, OPT_IN, SURVEY = "office", "opt_in", "survey"
SOURCE_WORDS = {
    OFFICE: gettext_lazy("Entered by the autonomy office"),
    OPT_IN: gettext_lazy("From the network opt-in window"),
    SURVEY: gettext_lazy("From the survey cycle"),
}

# --- the district's day -----------------------------------------------------------------------------


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(settings.TIME_ZONE)


def district_name_and_zone() -> tuple[str, ZoneInfo]:
    """The district's name and time zone (schools.District, one row), else the deployment's zone."""
    row = District.objects.values_list("name", "time_zone").first()
    name, zone = row if row else ("The district", settings.TIME_ZONE)
    return name, _zone(zone or settings.TIME_ZONE)


def district_time_zone() -> ZoneInfo:
    return district_name_and_zone()[1]


def district_today(time_zone: ZoneInfo | None = None) -> datetime.date:
    """Today where the district is: “in 3 days” and “past” turn over at the district's midnight."""
    return timezone.now().astimezone(time_zone or district_time_zone()).date()


# --- school years -----------------------------------------------------------------------------------


def school_years_all() -> list[SchoolYear]:
    return list(SchoolYear.objects.order_by("start_date"))


def school_year_current(years: list[SchoolYear], today: datetime.date) -> SchoolYear | None:
    """The year today falls in; between years (or before the first) the next to start; after the last, the last."""
    for year in years:
        if year.start_date <= today <= year.end_date:
            return year
    upcoming = [year for year in years if year.start_date > today]
    return upcoming[0] if upcoming else (years[-1] if years else None)


def school_year_after(years: list[SchoolYear], year: SchoolYear | None) -> SchoolYear | None:
    later = [other for other in years if year is not None and other.start_date > year.start_date]
    return later[0] if later else None


def feed_school_years(years: list[SchoolYear], today: datetime.date) -> list[SchoolYear]:
    """What a feed holds: the current school year and the next, so a calendar app sees a year ahead."""
    current = school_year_current(years, today)
    return [year for year in (current, school_year_after(years, current)) if year is not None]


# --- entries ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CalendarEntry:
    """One date or span on the calendar, whichever row it comes from."""

    key: str  # stable per row: a feed's UID is made from it, so calendar apps update rather than duplicate
    source: str  # OFFICE, OPT_IN or SURVEY
    kind: str
    title: str
    on: datetime.date
    last_day: datetime.date
    description: str
    school_year: SchoolYear
    changed_at: datetime.datetime
    milestone: Milestone | None = None

    @property
    def kind_label(self) -> str:
        return MilestoneKind(self.kind).label

    @property
    def source_words(self) -> str:
        return SOURCE_WORDS[self.source]

    @property
    def is_span(self) -> bool:
        return self.last_day != self.on

    @property
    def dates_text(self) -> str:
        return dates_text(self.on, self.last_day)

    def timing(self, today: datetime.date) -> tuple[str, str]:
        return timing(self.on, self.last_day, today)


def _day(day: datetime.date, *, year: bool = True) -> str:
    return date_format(day, _("M j, Y") if year else _("M j"))


def dates_text(on: datetime.date, last_day: datetime.date) -> str:
    """As people write them: “Mar 1, 2027”, “Mar 1 – Mar 5, 2027”, “Dec 21, 2026 – Jan 1, 2027”."""
    if last_day == on:
        return _day(on)
    return f"{_day(on, year=on.year != last_day.year)} – {_day(last_day)}"


def timing(on: datetime.date, last_day: datetime.date, today: datetime.date) -> tuple[str, str]:
    """("past" | "now" | "upcoming", the words): “Past”, “Today”, “Now, until Mar 5”, “Tomorrow”, “In 12 days”."""
    if last_day < today:
        return "past", _("Past")
    if on <= today:
        if last_day == today:
            return "now", _("Today")
        return "now", _("Now, until %(day)s") % {"day": _day(last_day, year=False)}
    days = (on - today).days
    if days == 1:
        return "upcoming", _("Tomorrow")
    return "upcoming", ngettext("In %(days)s day", "In %(days)s days", days) % {"days": days}


def _milestone_entry(milestone: Milestone) -> CalendarEntry:
    return CalendarEntry(
        key=f"milestone-{milestone.pk}",
        source=OFFICE,
        kind=milestone.kind,
        title=milestone.title,
        on=milestone.on,
        last_day=milestone.ends_on or milestone.on,
        description=milestone.description,
        school_year=milestone.school_year,
        changed_at=milestone.updated_at,
        milestone=milestone,
    )


def _opt_in_entry(window: OptInWindow) -> CalendarEntry:
    return CalendarEntry(
        key=f"opt-in-window-{window.pk}",
        source=OPT_IN,
        kind=MilestoneKind.NETWORK_CHOICE,
        title=_("Network choice for %(year)s") % {"year": window.school_year.label},
        on=window.opens_on,
        last_day=window.closes_on,
        description=_("Principals may ask to join a network for the year; the autonomy office approves or declines."),
        school_year=window.school_year,
        changed_at=window.updated_at,
    )


def _survey_entry(cycle: SurveyCycle) -> CalendarEntry:
    state = {
        SurveyStatus.DRAFT: _("Being prepared: the dates may still change."),
        SurveyStatus.OPEN: _("Open for answers."),
        SurveyStatus.CLOSED: _("Closed."),
    }[cycle.status]
    return CalendarEntry(
        key=f"survey-cycle-{cycle.pk}",
        source=SURVEY,
        kind=MilestoneKind.SURVEY_CYCLE,
        title=_("%(term)s survey of central office") % {"term": cycle.term},
        on=cycle.opens_on,
        last_day=cycle.closes_on,
        description=_("Principals rate central office's departments. %(state)s") % {"state": state},
        school_year=cycle.school_year,
        changed_at=cycle.updated_at,
    )


def calendar_entries(*, school_years: list[SchoolYear], kind: str = "") -> list[CalendarEntry]:
    """Every entry of these years, by date: three queries however many there are."""
    year_ids = [year.pk for year in school_years]
    milestones = Milestone.objects.filter(school_year_id__in=year_ids).select_related("school_year")
    windows = OptInWindow.objects.filter(school_year_id__in=year_ids).select_related("school_year")
    cycles = SurveyCycle.objects.filter(school_year_id__in=year_ids).select_related("school_year")
    if kind:
        milestones = milestones.filter(kind=kind)
        if kind != MilestoneKind.NETWORK_CHOICE:
            windows = windows.none()
        if kind != MilestoneKind.SURVEY_CYCLE:
            cycles = cycles.none()
    entries = [_milestone_entry(m) for m in milestones]
    entries += [_opt_in_entry(w) for w in windows]
    entries += [_survey_entry(c) for c in cycles]
    return sorted(entries, key=lambda entry: (entry.on, entry.last_day, entry.title, entry.key))


def calendar_months(entries: list[CalendarEntry]) -> list[tuple[str, list[CalendarEntry]]]:
    """Entries grouped by the month they start in, as (“March 2027”, entries), in date order."""
    return [
        (date_format(datetime.date(year, month, 1), "F Y"), list(group))
        for (year, month), group in groupby(entries, key=lambda entry: (entry.on.year, entry.on.month))
    ]


# --- milestones for the API and the forms -----------------------------------------------------------


def milestones_list(*, school_year: SchoolYear | None = None, kind: str = "") -> QuerySet[Milestone]:
    milestones = Milestone.objects.select_related("school_year").order_by("on", "pk")
    if school_year is not None:
        milestones = milestones.filter(school_year=school_year)
    if kind:
        milestones = milestones.filter(kind=kind)
    return milestones


def milestone_get(*, pk: int) -> Milestone:
    milestone = Milestone.objects.select_related("school_year").filter(pk=pk).first()
    if milestone is None:
        raise Http404("No such milestone.")
    return milestone


# --- feeds ------------------------------------------------------------------------------------------


def feed_token_digest(token: str) -> str:
    """What is stored and looked up for a feed's token: its SHA-256, 64 hex digits (CalendarFeed.token)."""
    return hashlib.sha256(token.encode()).hexdigest()


def calendar_feed_of(*, user) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(user=user).first()


def calendar_feed_owner(*, token: str):
    """The person whose feed this token opens, or None (an unknown or replaced token). Whether they may
    still read the calendar is the policy's question, asked by the feed's view."""
    feed = CalendarFeed.objects.select_related("user").filter(token=feed_token_digest(token)).first()
    return feed.user if feed is not None else None
