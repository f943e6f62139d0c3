"""What the "Support" page shows each person: the parts of central office's service that are theirs, each
with the figure that says whether it needs them (requests open or overdue, decisions waiting, a survey to
answer). A few counts, each one query, whatever the size of the district.
"""

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

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
        asks = [ngettext("%(count)s request open", "%(count)s requests open", row["open"]) % {"count": row["open"]}]
        if row["waiting"]:
            asks.append(_("%(count)s waiting on the school") % {"count": row["waiting"]})
        if row["resolved"]:
            asks.append(_("%(count)s resolved, to close and rate") % {"count": row["resolved"]})
        entries = [
            Entry(
                _("Help from central office"), reverse("support:school_requests", args=[school.code]), "; ".join(asks)
            ),
            Entry(
                _("Your network"),
                reverse("support:network_school", args=[school.code]),
                _("%(network)s: its team, and choosing next year's network") % {"network": school.network.name}
                if school.network
                else _("Not in a network: choose one when the window is open"),
            ),
            Entry(
                _("Your liaison's log"),
                reverse("support:partnership_log", args=[school.code]),
                _("Visits and next steps agreed with %(liaison)s")
                % {"liaison": school.liaison.get_full_name() or school.liaison.username}
                if school.liaison
                else _("No liaison is assigned to the school yet"),
            ),
        ]
        if school.pk in roles.principal_of:
            for cycle, answered in surveys:
                if school.pk not in answered:
                    entries.append(
                        Entry(
                            _("Rate central office: %(survey)s") % {"survey": cycle},
                            reverse("support:survey_answer", args=[cycle.pk, school.code]),
                            _("Open until %(date)s") % {"date": date_format(cycle.closes_on, _("M j, Y"))},
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
                _("%(department)s: requests") % {"department": Department(department).label},
                f"{reverse('support:request_queue')}?department={department}",
                ngettext(
                    "%(count)s request open, %(overdue)s overdue",
                    "%(count)s requests open, %(overdue)s overdue",
                    row["open"],
                )
                % {"count": row["open"], "overdue": row["overdue"]},
            )
        )
    return Section(_("Requests from schools"), entries)


def _office_section(user: AbstractBaseUser) -> Section | None:
    entries = []
    if is_liaison(user):
        entries.append(
            Entry(
                _("Your caseload"),
                reverse("liaison_caseload", args=[user.pk]),
                _("Your schools, their flags, last contacts and time with principals"),
            )
        )
    if can_decide_network_requests(user):
        pending = network_requests_pending(user=user).count()
        entries.append(
            Entry(
                _("Network requests"),
                reverse("support:network_request_queue"),
                ngettext(
                    "%(count)s request waiting for a decision", "%(count)s requests waiting for a decision", pending
                )
                % {"count": pending},
            )
        )
    if can_view_district_caseloads(user):
        entries.append(
            Entry(
                _("Caseloads"),
                reverse("support:caseload_district"),
                _("Schools per liaison against the district's limit"),
            )
        )
    if can_manage_caseloads(user):
        entries.append(
            Entry(
                _("Service settings"), reverse("support:caseload_settings"), _("Caseload limit, working week, targets")
            )
        )
    if can_manage_support_categories(user):
        entries.append(
            Entry(_("Request categories"), reverse("support:category_list"), _("What schools ask for, and by when"))
        )
    if can_manage_surveys(user):
        entries.append(Entry(_("Service surveys"), reverse("support:surveys"), _("Cycles, answers and results")))
    return Section(_("Central office"), entries) if entries else None


def _ratings_section(user: AbstractBaseUser) -> Section | None:
    if can_manage_surveys(user) or not can_view_surveys(user):
        return None
    departments = scorecard_departments_visible_to(user)
    entries = [Entry(_("Service surveys"), reverse("support:surveys"), _("Results of the closed cycles"))]
    entries += [
        Entry(
            _("%(department)s: scorecard") % {"department": Department(d).label},
            reverse("support:survey_scorecard", args=[d]),
            _("Ratings, grade and trend"),
        )
        for d in departments
    ]
    return Section(_("How schools rate central office"), entries)


def support_desk(*, user: AbstractBaseUser) -> list[Section]:
    """The person's sections, their own school's first; whoever may see them, the district's networks and
    calendar last."""
    today = timezone.localdate()
    sections = _school_sections(user, today)
    sections += [s for s in (_department_section(user, today), _office_section(user), _ratings_section(user)) if s]
    everyone = []
    if can_view_networks(user):
        everyone.append(
            Entry(_("Networks"), reverse("support:network_list"), _("What each network offers and its team"))
        )
    if can_view_calendar(user):
        everyone.append(
            Entry(_("Planning calendar"), reverse("support:calendar"), _("The district's dates for the year"))
        )
    if everyone:
        sections.append(Section(_("For everyone"), everyone))
    return sections
