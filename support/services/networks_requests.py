"""A school asks to join a network for a school year; the autonomy office approves or declines
(support.workflows.NETWORK_REQUEST_WORKFLOW, through the kernel in core.workflows).

The rules live here, once, for the pages and the API alike: only the principal asks, inside the year's
window, for a network with a place left that is not the school's own, with a reason, one pending request
a year. Approval checks the place again with the network's row locked, so that of two approvals racing
for the last place one wins and the other is told; it ends the school's membership for the year (the
history stays), records the new one and, once the year has begun, moves the school there.
"""

import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext

from core.errors import ApplicationError, Conflict
from core.limits import NOTE_TEXT
from core.notifications import notify
from core.policies import require
from core.workflows import Steps, limited_text, required_text
from schools.models import Network, School, SchoolYear
from schools.selectors import principals_of
from schools.services.networks import school_network_set
from support.models import NetworkMembership, NetworkRequest, NetworkRequestEvent, OptInWindow
from support.policies.networks import can_request_network, network_request_acts_as
from support.selectors.networks import (
    autonomy_office_users,
    network_places_taken,
    school_network_for_year,
    school_year_has_begun,
)
from support.workflows import NETWORK_REQUEST_WORKFLOW

NETWORK_REQUEST_STEPS = Steps(
    NETWORK_REQUEST_WORKFLOW, network_request_acts_as, related=("school", "school_year", "network")
)


def _refuse(field: str, message: str) -> None:
    raise ApplicationError(message, fields={field: [message]})


def _day(value: datetime.date) -> str:
    return f"{value:%B} {value.day}, {value.year}"


def _full_words(network: Network, school_year: SchoolYear, taken: int) -> str:
    return f"{network.name} is full for {school_year.label}: {taken} of {network.capacity} places are taken."


def network_request_create(
    *, actor: AbstractBaseUser, school: School, school_year: SchoolYear, network: Network, reason: str
) -> NetworkRequest:
    """The principal asks to join `network` for `school_year`; the autonomy office is told."""
    require(can_request_network(actor, school))
    reason = required_text(
        reason, field="reason", message="Say why this network suits the school.", max_length=NOTE_TEXT
    )
    if network is None:
        _refuse("network", gettext("Choose a network."))
    if school_year is None:
        _refuse("school_year", gettext("Choose the school year."))
    today = timezone.localdate()
    window = OptInWindow.objects.filter(school_year=school_year).first()
    year = school_year.label
    if window is None:
        _refuse(
            "school_year",
            gettext("Networks for %(year)s cannot be chosen: the district has set no window.") % {"year": year},
        )
    if not window.opens_on <= today <= window.closes_on:
        opens, closes = (date_format(day, gettext("F j, Y")) for day in (window.opens_on, window.closes_on))
        _refuse(
            "school_year",
            gettext("Networks for %(year)s are chosen from %(opens)s to %(closes)s.")
            % {"year": year, "opens": opens, "closes": closes},
        )
    if school_network_for_year(school=school, school_year=school_year) == network:
        _refuse(
            "network",
            gettext("%(school)s is in %(network)s for %(year)s already.")
            % {"school": school.name, "network": network.name, "year": year},
        )
    if network.capacity is not None:
        taken = network_places_taken(network=network, school_year=school_year)
        if taken >= network.capacity:
            _refuse(
                "network",
                gettext("%(network)s is full for %(year)s: %(taken)s of %(capacity)s places are taken.")
                % {"network": network.name, "year": year, "taken": taken, "capacity": network.capacity},
            )
    try:
        with transaction.atomic():
            request = NetworkRequest.objects.create(
                school=school, school_year=school_year, network=network, reason=reason, requested_by=actor
            )
            event = NETWORK_REQUEST_STEPS.created(request, actor=actor, action="request", reason=reason)
            event.save()
    except IntegrityError:
        _refuse(
            "school_year",
            gettext("%(school)s already has a request waiting for %(year)s: withdraw it to ask for another.")
            % {"school": school.name, "year": year},
        )
    notify(
        users=autonomy_office_users(),
        key=f"network-request:{request.pk}:event:{event.pk}",
        title=f"{school.name} asks to join {network.name} for {school_year.label}",
        body=reason,
        url=reverse("support:network_request_queue"),
    )
    return request


def _tell_principal(request: NetworkRequest, event: NetworkRequestEvent, title, body: str = "") -> None:
    """`title` writes the title in the active language: core.notifications calls it in each reader's."""
    notify(
        users=principals_of(school_ids=[request.school_id]).get(request.school_id, []),
        key=f"network-request:{request.pk}:event:{event.pk}",
        title=title,
        body=body,
        url=reverse("support:network_school", args=[request.school.code]),
    )


def network_request_approve(
    *, actor: AbstractBaseUser, request_id: int, note: str = "", expected_status: str | None = None
) -> NetworkRequest:
    """Approve: a place is checked again under the network's lock, the school's membership for the year
    ends (kept as history), the new one starts, and the school moves now if the year has begun."""
    note = limited_text(note, field="note", max_length=NOTE_TEXT)
    today = timezone.localdate()
    with transaction.atomic():
        request = NETWORK_REQUEST_STEPS.lock(request_id)
        NETWORK_REQUEST_STEPS.check(request, actor=actor, action="approve", expected_status=expected_status)
        network = Network.objects.select_for_update().get(pk=request.network_id)
        school, year = request.school, request.school_year
        already_there = school_network_for_year(school=school, school_year=year) == network
        taken = network_places_taken(network=network, school_year=year)
        if network.capacity is not None and not already_there and taken >= network.capacity:
            raise Conflict(f"{_full_words(network, year, taken)} Decline the request, or raise the capacity first.")
        _membership_move(request, network=network, today=today)
        request.decision_note, request.decided_at = note, timezone.now()
        event = NETWORK_REQUEST_STEPS.take(
            request,
            actor=actor,
            action="approve",
            reason=note or "Approved.",
            evidence={"places_taken": taken, "capacity": network.capacity},
            fields=["decision_note", "decided_at"],
        )
        moved_now = school_year_has_begun(year, today=today)
        if moved_now:
            school_network_set(school=school, network=network)
        when = "now" if moved_now else f"from {_day(year.start_date)}"
        _tell_principal(
            request,
            event,
            lambda: (
                gettext("%(school)s joins %(network)s for %(year)s")
                % {"school": school.name, "network": network.name, "year": year.label}
            ),
            f"The school is in it {when}. {note}",
        )
    return request


def _membership_move(request: NetworkRequest, *, network: Network, today: datetime.date) -> NetworkMembership:
    """End the school's membership for the year and start the new one. A school with none for a year under
    way was in its present network since the year began: that is recorded (ended) first, so the history
    says where it came from."""
    school, year = request.school, request.school_year
    begun = school_year_has_begun(year, today=today)
    current = (
        NetworkMembership.objects.select_for_update()
        .filter(school=school, school_year=year, ended_on__isnull=True)
        .first()
    )
    if current is not None:
        current.ended_on = max(today, current.started_on)
        current.save(update_fields=["ended_on", "updated_at"])
    elif begun and school.network_id is not None:
        NetworkMembership.objects.create(
            school=school, network_id=school.network_id, school_year=year, started_on=year.start_date, ended_on=today
        )
    started_on = max(today, year.start_date)
    return NetworkMembership.objects.create(
        school=school, network=network, school_year=year, started_on=started_on, request=request
    )


def network_request_decline(
    *, actor: AbstractBaseUser, request_id: int, note: str, expected_status: str | None = None
) -> NetworkRequest:
    """Decline, saying why: the principal reads the note."""
    note = required_text(note, field="note", message="Say why the request is declined.", max_length=NOTE_TEXT)
    with transaction.atomic():
        request = NETWORK_REQUEST_STEPS.lock(request_id)
        request.decision_note, request.decided_at = note, timezone.now()
        event = NETWORK_REQUEST_STEPS.take(
            request,
            actor=actor,
            action="decline",
            reason=note,
            expected_status=expected_status,
            fields=["decision_note", "decided_at"],
        )
        _tell_principal(
            request,
            event,
            lambda: (
                gettext("Your request to join %(network)s for %(year)s was declined")
                % {"network": request.network.name, "year": request.school_year.label}
            ),
            note,
        )
    return request


def network_request_withdraw(
    *, actor: AbstractBaseUser, request_id: int, note: str = "", expected_status: str | None = None
) -> NetworkRequest:
    """The principal takes the request back while it waits; they may then ask for another network."""
    note = limited_text(note, field="note", max_length=NOTE_TEXT)
    with transaction.atomic():
        request = NETWORK_REQUEST_STEPS.lock(request_id)
        NETWORK_REQUEST_STEPS.take(
            request, actor=actor, action="withdraw", reason=note or "Withdrawn.", expected_status=expected_status
        )
    return request
