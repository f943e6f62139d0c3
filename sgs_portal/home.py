"""The reads behind each role's home page: what needs the person now, soonest first.

A home gathers a school's contract, calls, requests and flags, which live in apps that may not import
one another upwards (autonomy ← contracts ← accountability); the project package sits above them all, so
the one read that joins them lives here. Every list starts from the apps' own `…_visible_to(user)`
policies, so a person never sees another school's items, and costs the same queries for one item as for
twenty.
"""

import dataclasses
import datetime
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, F, Min, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accountability.models import LIVE_FLAG_STATUSES, FlagStatus, InterventionFlag
from accountability.policies import can_take_flag_action, flags_visible_to
from accountability.services import rung_has_deadline
from autonomy.models import (
    OPEN_REQUEST_STATUSES,
    Autonomy,
    CallForProposals,
    GrantStatus,
    RequestStatus,
)
from autonomy.policies import can_edit_request, can_start_request, requests_visible_to
from autonomy.selectors import DomainRow
from autonomy.selectors_grants import decision_grid_standing
from contracts.models import ContractStatus, Level
from contracts.policies import can_take_contract_action, contracts_visible_to
from schools.models import School
from schools.policies import roles_of, schools_visible_to
from support.selectors.caseloads import with_partnership_summary

# Flags a school still owes an answer on: the improvement plan is due by the flag's deadline.
AWAITING_PLAN = (FlagStatus.OPEN, FlagStatus.ACKNOWLEDGED)


def days_left_words(day: datetime.date, today: datetime.date) -> str:
    """ "12 days left", "1 day left", "due today", "3 days overdue": how far a date is, as people say it
    (in the page's language)."""
    days = (day - today).days
    if days == 0:
        return _("due today")
    if days > 0:
        return ngettext("%(days)d day left", "%(days)d days left", days) % {"days": days}
    return ngettext("%(days)d day overdue", "%(days)d days overdue", -days) % {"days": -days}


def day_words(day: datetime.date) -> str:
    """A date inside a sentence, in the reader's order: "Dec 4, 2026", "4 dic 2026"."""
    return date_format(day, _("M j, Y"))


@dataclass(frozen=True)
class Need:
    """One thing on a school's "Needs you" list: what it is, where to act, and by when.

    `can_act` is False for school staff who may see the item but whose step it is not (the team, when
    only the principal signs); the page then says who acts.
    """

    kind: str  # contract | call | request | flag
    title: str
    url: str
    link_text: str
    detail: str = ""
    remedy: str = ""
    due: datetime.date | None = None
    due_words: str = ""
    overdue: bool = False
    can_act: bool = True
    waiting_on: str = ""
    offers: frozenset[int] = frozenset()  # a call's autonomies, for the grid's "an open call offers it"


def _due(day: datetime.date | None, today: datetime.date) -> dict:
    if day is None:
        return {"due": None, "due_words": ""}
    return {"due": day, "due_words": days_left_words(day, today), "overdue": day < today}


def _contract_needs(*, user, school: School, today) -> list[Need]:
    contracts = (
        contracts_visible_to(user)
        .filter(school=school, status=ContractStatus.PROPOSED)
        .select_related("term_start", "term_end")
        .order_by("version", "pk")
    )
    needs = []
    for contract in contracts:
        words = {"start": contract.term_start.label, "end": contract.term_end.label, "version": contract.version}
        can_sign = bool(can_take_contract_action(user, contract, "sign"))
        proposed = (
            _("Proposed on %(date)s.") % {"date": day_words(timezone.localdate(contract.proposed_at))}
            if contract.proposed_at
            else ""
        )
        if can_sign:
            title = _("Performance contract %(start)s to %(end)s, version %(version)s: waiting for your signature")
        else:
            title = _(
                "Performance contract %(start)s to %(end)s, version %(version)s: waiting for the principal's signature"
            )
        needs.append(
            Need(
                kind="contract",
                title=title % words,
                url=reverse("contracts:contract_detail", args=[contract.pk]),
                link_text=_("Read and sign the contract") if can_sign else _("Read the contract"),
                detail=proposed,
                can_act=can_sign,
                waiting_on="" if can_sign else _("The principal signs it."),
            )
        )
    return needs


def _call_and_request_needs(*, user, school: School, today) -> list[Need]:
    """Open calls the school has not answered, drafts to finish before a call closes, requests returned."""
    requests = list(
        requests_visible_to(user)
        .filter(school=school, status__in=OPEN_REQUEST_STATUSES)
        .select_related("call", "school")
        .order_by("call__closes_on", "pk")
    )
    answered = {r.call_id for r in requests}
    needs = []
    for autonomy_request in requests:
        call = autonomy_request.call
        can_edit = bool(can_edit_request(user, autonomy_request))
        edit_url = reverse("autonomy:request_edit", args=[autonomy_request.pk, "autonomies"])
        detail_url = reverse("autonomy:request_detail", args=[autonomy_request.pk])
        if autonomy_request.status == RequestStatus.CHANGES_REQUESTED:
            needs.append(
                Need(
                    kind="request",
                    title=_("Your request in “%(call)s” was returned for changes") % {"call": call.title},
                    url=detail_url,
                    link_text=_("Read the district's comments and make the changes"),
                    detail=_("Make the changes the district asks for, then the principal resubmits it."),
                    can_act=can_edit,
                )
            )
        elif autonomy_request.status == RequestStatus.DRAFT and call.closes_on >= today:
            needs.append(
                Need(
                    kind="request",
                    title=_("Your draft request in “%(call)s” is not submitted yet") % {"call": call.title},
                    url=edit_url if can_edit else detail_url,
                    link_text=_("Finish the request"),
                    detail=_("The call closes on %(date)s.") % {"date": day_words(call.closes_on)},
                    **_due(call.closes_on, today),
                    can_act=can_edit,
                )
            )
    calls = (
        CallForProposals.objects.filter(opens_on__lte=today, closes_on__gte=today)
        .exclude(pk__in=answered)
        .prefetch_related(Prefetch("autonomies", queryset=Autonomy.objects.order_by("domain", "display_order")))
        .order_by("closes_on", "title")
    )
    can_start = bool(can_start_request(user, school.pk))
    for call in calls:
        offered = ", ".join(a.name for a in call.autonomies.all())
        needs.append(
            Need(
                kind="call",
                title=_("Call for proposals open: “%(call)s”") % {"call": call.title},
                url=f"{reverse('autonomy:call_list')}#open-heading",
                link_text=_("See the call and start a request") if can_start else _("See the call"),
                detail=_("It offers %(autonomies)s.") % {"autonomies": offered} if offered else "",
                **_due(call.closes_on, today),
                can_act=can_start,
                offers=frozenset(a.pk for a in call.autonomies.all()),
            )
        )
    return needs


def _flag_needs(*, user, school: School, today) -> list[Need]:
    flags = (
        flags_visible_to(user)
        .filter(school=school, status__in=AWAITING_PLAN)
        .select_related("school")
        .order_by("deadline", "pk")
    )
    needs = []
    for flag in flags:
        can_plan = bool(can_take_flag_action(user, flag, "submit_plan"))
        needs.append(
            Need(
                kind="flag",
                title=_("Flag: %(level)s") % {"level": _level_label(flag.level).lower()},
                url=reverse("accountability:flag_detail", args=[flag.pk]),
                link_text=_("Read the notice and answer with a plan") if can_plan else _("Read the notice"),
                detail=flag.deficiency,
                remedy=flag.remedy,
                **_due(flag.deadline if rung_has_deadline(flag.level) else None, today),
                can_act=can_plan,
                waiting_on="" if can_plan else _("The principal submits the plan."),
            )
        )
    return needs


def schools_worked_at(*, user: AbstractBaseUser) -> list[School]:
    """The schools where the user is principal or on the team, by name, with what the page's header shows."""
    return list(
        schools_visible_to(user)
        .filter(pk__in=roles_of(user).school_ids)
        .select_related("network", "liaison", "cohort")
        .order_by("name", "pk")
    )


def school_needs(*, user: AbstractBaseUser, school: School, today: datetime.date) -> list[Need]:
    """What needs the school's staff now: the contract to sign first, then everything with a date,
    soonest (or most overdue) first. Five queries (contracts, requests, calls and what they offer, flags).
    """
    dated = [
        *_call_and_request_needs(user=user, school=school, today=today),
        *_flag_needs(user=user, school=school, today=today),
    ]
    undated = [need for need in dated if need.due is None]
    dated = sorted((need for need in dated if need.due is not None), key=lambda need: need.due)
    return [*_contract_needs(user=user, school=school, today=today), *undated, *dated]


def school_grid_standing(*, school: School, today: datetime.date) -> list[DomainRow]:
    """Where the school stands on each decision (autonomy.selectors_grants.decision_grid_standing), the same
    for everyone on its team. An at-risk grant's cure period ends on the day kept on the grant; one put at
    risk before grants kept it runs until the deadline of the live flag whose rung put it there (one query
    more when there is such a grant: a flag's deadline and status move with "flags" and "evaluation")."""
    grid = decision_grid_standing(school=school, today=today)
    at_risk = {
        right.flag_id
        for row in grid
        for right in row.rights
        if right.grant is not None and right.grant.status == GrantStatus.AT_RISK and right.flag_id and not right.until
    }
    if not at_risk:
        return grid
    deadlines = dict(
        InterventionFlag.objects.filter(pk__in=at_risk, school=school, status__in=LIVE_FLAG_STATUSES).values_list(
            "pk", "deadline"
        )
    )
    return [
        dataclasses.replace(
            row,
            rights=[
                dataclasses.replace(right, until=deadlines.get(right.flag_id)) if right.flag_id in deadlines else right
                for right in row.rights
            ],
        )
        for row in grid
    ]


# --- The liaison's caseload -------------------------------------------------------------------------


def caseload_for_liaison(*, user: AbstractBaseUser, liaison: AbstractBaseUser | None = None) -> QuerySet[School]:
    """The schools `liaison` (by default the user) is liaison for, as far as the user may see them, with how
    many flags are live and the soonest deadline, the last contact and the next step agreed (support's
    partnership log): the schools with the nearest deadline first, those with no live flag after them by
    name. One query."""
    live = Q(flags__status__in=LIVE_FLAG_STATUSES)
    schools = (
        schools_visible_to(user)
        .filter(liaison=liaison or user)
        .annotate(live_flags=Count("flags", filter=live), next_deadline=Min("flags__deadline", filter=live))
    )
    return with_partnership_summary(schools).order_by(F("next_deadline").asc(nulls_last=True), "name", "pk")


NEXT_STEP = {
    FlagStatus.OPEN: gettext_lazy("acknowledge it and talk with the principal."),
    FlagStatus.ACKNOWLEDGED: gettext_lazy("waiting for the school's improvement plan."),
    FlagStatus.PLAN_SUBMITTED: gettext_lazy("the autonomy office decides."),
}


@dataclass(frozen=True)
class CaseFlag:
    flag: InterventionFlag
    level: str
    due_words: str
    next_step: str
    liaison_acts: bool
    overdue: bool


def caseload_flags(
    *, user: AbstractBaseUser, today: datetime.date, liaison: AbstractBaseUser | None = None
) -> list[CaseFlag]:
    """The live flags of `liaison`'s caseload (by default the user's), as far as the user may see them,
    soonest deadline first, with their school: one query."""
    flags = (
        flags_visible_to(user)
        .filter(school__liaison=liaison or user, status__in=LIVE_FLAG_STATUSES)
        .select_related("school")
        .order_by("deadline", "school__name", "pk")
    )
    return [
        CaseFlag(
            flag=flag,
            level=_level_label(flag.level),
            due_words=days_left_words(flag.deadline, today) if rung_has_deadline(flag.level) else "",
            next_step=NEXT_STEP.get(flag.status, ""),
            liaison_acts=flag.status == FlagStatus.OPEN,
            overdue=bool(rung_has_deadline(flag.level) and flag.deadline and flag.deadline < today),
        )
        for flag in flags
    ]


def _level_label(level: int) -> str:
    return str(Level(level).label) if level in Level.values else _("Level %(level)s") % {"level": level}
