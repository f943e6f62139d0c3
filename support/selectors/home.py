"""What the "Support" page shows each person: the parts of central office's service that are theirs, each
with the figure that says whether it needs them (requests open or overdue, decisions waiting, a survey to
answer). A few counts, each one query, whatever the size of the district.
"""

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from schools.models import School
from schools.policies import roles_of
from support.models import Department, SupportRequest, SupportStatus
from support.policies.calendar import can_view_calendar
from support.policies.caseloads import can_manage_caseloads, can_view_district_caseloads, is_liaison
from support.policies.networks import can_decide_network_requests, can_view_networks
from support.policies.requests import can_manage_support_categories, queue_departments
from support.policies.surveys import can_manage_surveys, can_view_surveys, scorecard_departments_visible_to
from support.selectors.networks import network_requests_pending
from support.selectors.requests import overdue_q
from support.selectors.surveys import survey_cycles_open_for

OPEN_STATUSES = (SupportStatus.OPEN, SupportStatus.WAITING, SupportStatus.REOPENED)


@dataclass(frozen=True)
class Entry:
    title: str
    url: str
    says: str  # what the person finds there, or the figure that asks for them


@dataclass(frozen=True)
class Section:
    heading: str
    entries: list[Entry]


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _school_sections(user: AbstractBaseUser, today) -> list[Section]:
    roles = roles_of(user)
    if not roles.school_ids:
        return []
    schools = list(School.objects.filter(pk__in=roles.school_ids).select_related("network", "liaison").order_by("name"))
    counts = {
        row["school"]: row
        for row in SupportRequest.objects.filter(school__in=schools)
        .values("school")
        .annotate(
            open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
            waiting=Count("pk", filter=Q(status=SupportStatus.WAITING)),
            resolved=Count("pk", filter=Q(status=SupportStatus.RESOLVED)),
        )
    }
    surveys = survey_cycles_open_for(school_ids=sorted(roles.principal_of)) if roles.principal_of else []
    sections = []
    for school in schools:
        row = counts.get(school.pk, {"open": 0, "waiting": 0, "resolved": 0})
        asks = [_plural(row["open"], "request") + " open"]
        if row["waiting"]:
            asks.append(f"{row['waiting']} waiting on the school")
        if row["resolved"]:
            asks.append(f"{row['resolved']} resolved, to close and rate")
        entries = [
            Entry("Help from central office", reverse("support:school_requests", args=[school.code]), "; ".join(asks)),
            Entry(
                "Your network",
                reverse("support:network_school", args=[school.code]),
                f"{school.network.name}: its team, and choosing next year's network"
                if school.network
                else "Not in a network: choose one when the window is open",
            ),
            Entry(
                "Your liaison's log",
                reverse("support:partnership_log", args=[school.code]),
                f"Visits and next steps agreed with {school.liaison.get_full_name() or school.liaison.username}"
                if school.liaison
                else "No liaison is assigned to the school yet",
            ),
        ]
        if school.pk in roles.principal_of:
            for cycle, answered in surveys:
                if school.pk not in answered:
                    entries.append(
                        Entry(
                            f"Rate central office: {cycle}",
                            reverse("support:survey_answer", args=[cycle.pk, school.code]),
                            f"Open until {cycle.closes_on:%b %-d, %Y}",
                        )
                    )
        sections.append(Section(school.name, entries))
    return sections


def _department_section(user: AbstractBaseUser, today) -> Section | None:
    departments = queue_departments(user)
    if not departments:
        return None
    rows = (
        SupportRequest.objects.filter(department__in=departments)
        .values("department")
        .annotate(
            open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
            overdue=Count("pk", filter=overdue_q(today)),
        )
    )
    figures = {row["department"]: row for row in rows}
    entries = []
    for department in departments:
        row = figures.get(department, {"open": 0, "overdue": 0})
        entries.append(
            Entry(
                f"{Department(department).label}: requests",
                f"{reverse('support:request_queue')}?department={department}",
                f"{_plural(row['open'], 'request')} open, {row['overdue']} overdue",
            )
        )
    return Section("Requests from schools", entries)


def _office_section(user: AbstractBaseUser) -> Section | None:
    entries = []
    if is_liaison(user):
        entries.append(
            Entry(
                "Your caseload",
                reverse("liaison_caseload", args=[user.pk]),
                "Your schools, their flags, last contacts and time with principals",
            )
        )
    if can_decide_network_requests(user):
        pending = network_requests_pending(user=user).count()
        entries.append(
            Entry(
                "Network requests",
                reverse("support:network_request_queue"),
                f"{_plural(pending, 'request')} waiting for a decision",
            )
        )
    if can_view_district_caseloads(user):
        entries.append(
            Entry("Caseloads", reverse("support:caseload_district"), "Schools per liaison against the district's limit")
        )
    if can_manage_caseloads(user):
        entries.append(
            Entry("Service settings", reverse("support:caseload_settings"), "Caseload limit, working week, targets")
        )
    if can_manage_support_categories(user):
        entries.append(
            Entry("Request categories", reverse("support:category_list"), "What schools ask for, and by when")
        )
    if can_manage_surveys(user):
        entries.append(Entry("Service surveys", reverse("support:surveys"), "Cycles, answers and results"))
    return Section("Central office", entries) if entries else None


def _ratings_section(user: AbstractBaseUser) -> Section | None:
    if can_manage_surveys(user) or not can_view_surveys(user):
        return None
    departments = scorecard_departments_visible_to(user)
    entries = [Entry("Service surveys", reverse("support:surveys"), "Results of the closed cycles")]
    entries += [
        Entry(
            f"{Department(d).label}: scorecard",
            reverse("support:survey_scorecard", args=[d]),
            "Ratings, grade and trend",
        )
        for d in departments
    ]
    return Section("How schools rate central office", entries)


def support_desk(*, user: AbstractBaseUser) -> list[Section]:
    """The person's sections, their own school's first; whoever may see them, the district's networks and
    calendar last."""
    today = timezone.localdate()
    sections = _school_sections(user, today)
    sections += [s for s in (_department_section(user, today), _office_section(user), _ratings_section(user)) if s]
    everyone = []
    if can_view_networks(user):
        everyone.append(Entry("Networks", reverse("support:network_list"), "What each network offers and its team"))
    if can_view_calendar(user):
        everyone.append(Entry("Planning calendar", reverse("support:calendar"), "The district's dates for the year"))
    if everyone:
        sections.append(Section("For everyone", everyone))
    return sections
