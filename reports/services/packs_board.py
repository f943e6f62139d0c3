"""The board decision pack: what the district decided and what changed between two dates, read from the
other apps' records when asked for. It writes nothing and keeps nothing: the same dates give the same pack
until somebody acts again.

The pack costs the same queries for one event as for a thousand: each section is one query with what it
shows selected alongside (and the requests' items one prefetch), and the register's totals are counted from
the grant changes already read.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q
from django.utils import timezone

from accountability.models import FlagEvent, InterventionFlag
from autonomy.models import AutonomyRequest, GrantEvent, GrantStatus, RequestItem, RequestStatus
from contracts.models import Level, PerformanceContract
from schools.models import District

DECIDED_STATUSES = (RequestStatus.APPROVED, RequestStatus.DECLINED)
NOBODY = "the system"  # an event without a person: the nightly job, or a grant made by an import

# The register's changes, counted from the grant changes: a grant issued, and each step to a status.
REGISTER_KINDS = (
    ("issued", "Granted"),
    ("at_risk", "Put at risk"),
    ("suspended", "Suspended"),
    ("revoked", "Revoked"),
    ("restored", "Restored"),
    ("expired", "Ended with their term"),
)
KIND_WORDS = dict(REGISTER_KINDS)


@dataclass(frozen=True)
class ItemLine:
    autonomy: str
    decision: str
    note: str


@dataclass(frozen=True)
class DecidedRequest:
    school: str
    school_code: str
    call: str
    outcome: str
    decided_at: datetime.datetime
    decided_by: str
    note: str
    items: list[ItemLine]


@dataclass(frozen=True)
class GrantChangeLine:
    at: datetime.datetime
    school: str
    school_code: str
    autonomy: str
    change: str
    from_status: str
    to_status: str
    reason: str
    by: str
    kind: str  # one of REGISTER_KINDS' keys, or "" for a step that changes nothing on the register


@dataclass(frozen=True)
class ContractLine:
    at: datetime.datetime
    school: str
    school_code: str
    term: str
    version: int
    what: str
    reason: str
    status: str


@dataclass(frozen=True)
class FlagLine:
    at: datetime.datetime
    school: str
    school_code: str
    rung: str
    provision: str
    what: str
    status: str


@dataclass(frozen=True)
class BoardPack:
    district: str
    since: datetime.date
    until: datetime.date
    made_at: datetime.datetime
    requests: list[DecidedRequest]
    grant_changes: list[GrantChangeLine]
    contracts_in_force: list[ContractLine]
    amendments_started: list[ContractLine]
    flags_opened: list[FlagLine]
    flags_raised: list[FlagLine]
    register: list[tuple[str, int]] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not any(
            (
                self.requests,
                self.grant_changes,
                self.contracts_in_force,
                self.amendments_started,
                self.flags_opened,
                self.flags_raised,
            )
        )


def day_words(day: datetime.date | datetime.datetime) -> str:
    """As people write a date: December 4, 2026."""
    if isinstance(day, datetime.datetime):
        day = timezone.localtime(day).date()
    return f"{day:%B %-d, %Y}"


def district_name() -> str:
    return District.objects.values_list("name", flat=True).first() or "The district"


def day_bounds(since: datetime.date, until: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """From the start of `since` to the end of `until`, in the district's time zone (the end excluded)."""
    start = timezone.make_aware(datetime.datetime.combine(since, datetime.time.min))
    end = timezone.make_aware(datetime.datetime.combine(until + datetime.timedelta(days=1), datetime.time.min))
    return start, end


def person(user) -> str:
    if user is None:
        return NOBODY
    return user.get_full_name() or user.get_username()


def board_pack_build(*, since: datetime.date, until: datetime.date) -> BoardPack:
    """The pack for the days from `since` to `until`, both included. The caller has checked the dates
    (since ≤ until) and that the person is the autonomy office."""
    start, end = day_bounds(since, until)
    grant_changes = _grant_changes(start, end)
    contracts_in_force, amendments_started = _contracts(start, end)
    return BoardPack(
        district=district_name(),
        since=since,
        until=until,
        made_at=timezone.now(),
        requests=_requests_decided(start, end),
        grant_changes=grant_changes,
        contracts_in_force=contracts_in_force,
        amendments_started=amendments_started,
        flags_opened=_flags_opened(start, end),
        flags_raised=_flags_raised(start, end),
        register=_register_totals(grant_changes),
    )


def _requests_decided(start, end) -> list[DecidedRequest]:
    requests = (
        AutonomyRequest.objects.filter(status__in=DECIDED_STATUSES, decided_at__gte=start, decided_at__lt=end)
        .select_related("school", "call", "decided_by")
        .prefetch_related(Prefetch("items", queryset=RequestItem.objects.select_related("autonomy")))
        .order_by("decided_at", "pk")
    )
    return [
        DecidedRequest(
            school=request.school.name,
            school_code=request.school.code,
            call=request.call.title,
            outcome=request.get_status_display(),
            decided_at=request.decided_at,
            decided_by=person(request.decided_by),
            note=request.decision_note,
            items=[
                ItemLine(item.autonomy.name, item.get_decision_display(), item.decision_note)
                for item in request.items.all()
            ],
        )
        for request in requests
    ]


def _register_kind(from_status: str, to_status: str) -> str:
    if not from_status:
        return "issued"
    if to_status == GrantStatus.ACTIVE:
        return "restored"
    return {
        GrantStatus.AT_RISK: "at_risk",
        GrantStatus.SUSPENDED: "suspended",
        GrantStatus.REVOKED: "revoked",
        GrantStatus.EXPIRED: "expired",
    }.get(to_status, "")


def _grant_changes(start, end) -> list[GrantChangeLine]:
    events = (
        GrantEvent.objects.filter(at__gte=start, at__lt=end)
        .select_related("grant__school", "grant__autonomy", "actor")
        .order_by("at", "pk")
    )
    return [
        GrantChangeLine(
            at=event.at,
            school=event.grant.school.name,
            school_code=event.grant.school.code,
            autonomy=event.grant.autonomy.name,
            change=KIND_WORDS.get(_register_kind(event.from_status, event.to_status), event.action),
            from_status=event.get_from_status_display() or "—",
            to_status=event.get_to_status_display(),
            reason=event.reason,
            by=person(event.actor),
            kind=_register_kind(event.from_status, event.to_status),
        )
        for event in events
    ]


def _register_totals(changes: list[GrantChangeLine]) -> list[tuple[str, int]]:
    counts = {key: 0 for key, _ in REGISTER_KINDS}
    for change in changes:
        if change.kind:
            counts[change.kind] += 1
    return [(label, counts[key]) for key, label in REGISTER_KINDS]


def _contracts(start, end) -> tuple[list[ContractLine], list[ContractLine]]:
    """Versions countersigned in the range (in force from then: a first contract or an amendment), and
    amendments opened in the range, whatever became of them: one query for both."""
    in_range_signed = Q(countersigned_at__gte=start, countersigned_at__lt=end)
    in_range_amended = Q(previous__isnull=False, created_at__gte=start, created_at__lt=end)
    contracts = (
        PerformanceContract.objects.filter(in_range_signed | in_range_amended)
        .select_related("school", "term_start", "term_end")
        .order_by("created_at", "pk")
    )
    in_force, amendments = [], []
    for contract in contracts:
        term = f"{contract.term_start} to {contract.term_end}"
        base = {
            "school": contract.school.name,
            "school_code": contract.school.code,
            "term": term,
            "version": contract.version,
            "reason": contract.amendment_reason,
            "status": contract.get_status_display(),
        }
        if contract.countersigned_at and start <= contract.countersigned_at < end:
            what = f"Amendment in force (version {contract.version})" if contract.previous_id else "New contract"
            in_force.append(ContractLine(at=contract.countersigned_at, what=what, **base))
        if contract.previous_id and start <= contract.created_at < end:
            amendments.append(ContractLine(at=contract.created_at, what=f"Version {contract.version} opened", **base))
    in_force.sort(key=lambda line: line.at)
    return in_force, amendments


def _rung(level: int) -> str:
    try:
        return f"Level {level}: {Level(level).label}"
    except ValueError:
        return f"Level {level}"


def _flag_line(flag: InterventionFlag, *, at, what: str) -> FlagLine:
    """A flag as the pack lists it, at the moment and with the words of what happened to it; its level and
    status as they are now."""
    return FlagLine(
        at=at,
        school=flag.school.name,
        school_code=flag.school.code,
        rung=_rung(flag.level),
        provision=flag.provision,
        what=what,
        status=flag.get_status_display(),
    )


def _flags_opened(start, end) -> list[FlagLine]:
    flags = (
        InterventionFlag.objects.filter(opened_at__gte=start, opened_at__lt=end)
        .select_related("school")
        .order_by("opened_at", "pk")
    )
    return [_flag_line(flag, at=flag.opened_at, what=flag.deficiency) for flag in flags]


def _flags_raised(start, end) -> list[FlagLine]:
    """Each step up the ladder, by a person or by the nightly job (the event's reason names the rung)."""
    events = (
        FlagEvent.objects.filter(action="escalate", at__gte=start, at__lt=end)
        .select_related("flag__school")
        .order_by("at", "pk")
    )
    return [_flag_line(event.flag, at=event.at, what=event.reason) for event in events]
