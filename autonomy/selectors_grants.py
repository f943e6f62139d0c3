"""Reads of the grants ledger: a school's history, the district matrix and its export, clarifications.

Every list here costs a fixed number of queries however many schools or grants there are.
"""

import datetime
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from autonomy.evidence_words import EvidenceLine, evidence_attach
from autonomy.models import (
    HELD_STATUSES,
    LIVE_STATUSES,
    OPEN_REQUEST_STATUSES,
    AccountabilityModel,
    Autonomy,
    AutonomyGrant,
    ClarifiedFlexibility,
    Domain,
    GrantEvent,
    GrantStatus,
    ItemDecision,
    RequestItem,
)
from autonomy.policies import grants_visible_to, requests_visible_to
from autonomy.selectors import DecisionRight, DomainRow
from autonomy.selectors_eligibility import eligibility_for
from schools.models import Cohort, School
from schools.policies import schools_visible_to

# --- One school's history -------------------------------------------------------------------------


@dataclass(frozen=True)
class GrantRecord:
    """A grant with its evidence in plain words; its events are prefetched on `grant.events`, each with
    its own `evidence_lines`."""

    grant: AutonomyGrant
    evidence: list[EvidenceLine]

    @property
    def is_live(self) -> bool:
        return self.grant.status in LIVE_STATUSES


def _events_with_actors() -> Prefetch:
    return Prefetch("events", queryset=GrantEvent.objects.select_related("actor").order_by("at", "id"))


def grant_history_for_school(*, school: School) -> list[GrantRecord]:
    """Every grant the school has had, live first, with its timeline and evidence: two queries, and one
    for the metrics its criteria name."""
    grants = (
        AutonomyGrant.objects.filter(school=school)
        .select_related("autonomy", "granted_by")
        .prefetch_related(_events_with_actors())
        .order_by("autonomy__domain", "autonomy__display_order", "autonomy__name", "-starts_on", "-pk")
    )
    grants = list(grants)
    evidence_attach(grants)
    records = [GrantRecord(grant, grant.evidence_lines) for grant in grants]
    return sorted(records, key=lambda record: not record.is_live)  # stable: keeps the catalog order


def grant_get_for_change(*, user: AbstractBaseUser, pk: int) -> AutonomyGrant:
    """A grant the user may see, with school, autonomy and timeline; 404 otherwise."""
    grant = (
        grants_visible_to(user)
        .select_related("school", "autonomy", "granted_by")
        .prefetch_related(_events_with_actors())
        .filter(pk=pk)
        .first()
    )
    if grant is None:
        raise Http404("No such grant.")
    evidence_attach([grant])
    return grant


# --- The district matrix --------------------------------------------------------------------------

CELL_TEXT = {
    # status → (short text shown in the cell, the same in full words, what it means for the school)
    GrantStatus.ACTIVE: (_("Held"), _("Held"), _("The school makes this decision.")),
    GrantStatus.AT_RISK: (
        _("At risk"),
        _("Held, at risk"),
        _("The school still makes it, but a notice is out and the cure period is running."),
    ),
    GrantStatus.SUSPENDED: (
        _("Susp."),
        _("Suspended"),
        _("The central office makes it until the grant is restored."),
    ),
    None: ("—", _("Not held"), _("The central office makes this decision.")),
}


@dataclass(frozen=True)
class MatrixCell(DecisionRight):
    """A school's decision right as the district matrix draws it."""

    @property
    def status(self) -> str:
        return self.grant.status if self.grant else "none"

    @property
    def short(self) -> str:
        return CELL_TEXT[self.grant.status if self.grant else None][0]

    @property
    def words(self) -> str:
        return CELL_TEXT[self.grant.status if self.grant else None][1]


@dataclass(frozen=True)
class MatrixRow:
    school: School
    cells: list[MatrixCell]


DOMAIN_ORDER = {domain.value: position for position, domain in enumerate(Domain)}


def matrix_autonomies(*, domain: str = "", model: str = "") -> list[Autonomy]:
    """The matrix's columns grouped by domain in the strategy's order (people, time, money, program),
    not the alphabetical order the database would give: one query."""
    autonomies = Autonomy.objects.all()
    if domain:
        autonomies = autonomies.filter(domain=domain)
    if model:
        autonomies = autonomies.filter(model=model)
    return sorted(autonomies, key=lambda a: (DOMAIN_ORDER.get(a.domain, len(DOMAIN_ORDER)), a.display_order, a.name))


def matrix_schools(
    *,
    user: AbstractBaseUser,
    autonomies: list[Autonomy],
    network_id: int | None = None,
    status: str = "",
    search: str = "",
) -> QuerySet[School]:
    """The schools the user may see, filtered; `status` keeps schools with a grant in that status
    among the matrix's columns."""
    schools = schools_visible_to(user).select_related("network").order_by("name", "pk")
    if network_id:
        schools = schools.filter(network_id=network_id)
    if search:
        schools = schools.filter(Q(name__icontains=search) | Q(code__icontains=search))
    if status:
        in_status = AutonomyGrant.objects.filter(
            school=OuterRef("pk"), status=status, autonomy__in=[a.pk for a in autonomies]
        )
        schools = schools.filter(Exists(in_status))
    return schools


def matrix_rows(*, schools: list[School], autonomies: list[Autonomy]) -> list[MatrixRow]:
    """One row per school, one cell per autonomy, from the schools' live grants: one query."""
    grants = AutonomyGrant.objects.filter(
        school__in=[s.pk for s in schools],
        autonomy__in=[a.pk for a in autonomies],
        status__in=LIVE_STATUSES,
    ).only("pk", "school_id", "autonomy_id", "status")
    live = {(g.school_id, g.autonomy_id): g for g in grants}
    return [MatrixRow(school, [MatrixCell(a, live.get((school.pk, a.pk))) for a in autonomies]) for school in schools]


def matrix_rows_in_batches(
    *, schools: QuerySet[School], autonomies: list[Autonomy], batch_size: int = 500
) -> Iterator[MatrixRow]:
    """Every matching school's row, read a batch at a time so an export of any size uses little memory.

    Two queries per batch (the schools, their grants) after one for the ids.
    """
    ids = list(schools.values_list("pk", flat=True))
    for start in range(0, len(ids), batch_size):
        batch = ids[start : start + batch_size]
        page = list(School.objects.filter(pk__in=batch).select_related("network").order_by("name", "pk"))
        yield from matrix_rows(schools=page, autonomies=autonomies)


# --- Issuing to a scope ---------------------------------------------------------------------------


def cohorts_with_sizes() -> list[tuple[Cohort, int]]:
    """Cohorts and how many schools each has, plus the district size under None: two queries."""
    cohorts = [(c, c.school_count) for c in Cohort.objects.annotate(school_count=Count("schools")).order_by("name")]
    return [(None, School.objects.count()), *cohorts]


# --- Clarified flexibilities ----------------------------------------------------------------------


def clarified_flexibilities(*, search: str = "", domain: str = "") -> QuerySet[ClarifiedFlexibility]:
    """Barriers that turned out not to be rules, newest first, with their autonomy."""
    flexibilities = ClarifiedFlexibility.objects.select_related("autonomy").order_by("-created_at", "-pk")
    if domain:
        flexibilities = flexibilities.filter(domain=domain)
    if search:
        flexibilities = flexibilities.filter(
            Q(barrier__icontains=search) | Q(explanation__icontains=search) | Q(autonomy__name__icontains=search)
        )
    return flexibilities


# --- One school's decision grid, with the reason for every status ----------------------------------


class Standing:
    """Where a school stands on one decision, in the order the grid explains it."""

    HELD = "held"
    AT_RISK = "at_risk"
    UPCOMING = "upcoming"
    SUSPENDED = "suspended"
    REVOKED = "revoked"
    EXPIRED = "expired"
    NOT_HELD = "not_held"


@dataclass(frozen=True)
class GridRight:
    """One decision for one school and why it stands where it does.

    `grant` is the live grant or, when none is live, the school's latest ended one; `event` its last
    recorded step (who, when, why). `eligible` lists the criteria of an earned autonomy the school
    meets today (empty when it does not meet them all); `clarifications` what the district found no
    rule prevents; `asked` the school's latest request item for it (open, or declined).
    """

    autonomy: Autonomy
    standing: str
    grant: AutonomyGrant | None
    event: GrantEvent | None
    eligible: list = field(default_factory=list)
    clarifications: list = field(default_factory=list)
    asked: RequestItem | None = None
    until: datetime.date | None = None  # at risk: the last day of the cure period, if known

    @property
    def held(self) -> bool:
        return self.standing in (Standing.HELD, Standing.AT_RISK)

    @property
    def flag_id(self) -> int | None:
        """The flag whose rung put the grant at risk, suspended or revoked, if a rule did."""
        if self.event is None:
            return None
        flag = (self.event.evidence or {}).get("flag")
        return flag if isinstance(flag, int) else None

    @property
    def since(self):
        """The day of the step that brought the grant to where it is."""
        return timezone.localtime(self.event.at).date() if self.event else None


def _standing(grant: AutonomyGrant | None, today) -> str:
    if grant is None:
        return Standing.NOT_HELD
    if grant.status in HELD_STATUSES and grant.starts_on > today:
        return Standing.UPCOMING
    return {
        GrantStatus.ACTIVE: Standing.HELD,
        GrantStatus.AT_RISK: Standing.AT_RISK,
        GrantStatus.SUSPENDED: Standing.SUSPENDED,
        GrantStatus.REVOKED: Standing.REVOKED,
        GrantStatus.EXPIRED: Standing.EXPIRED,
    }[grant.status]


def decision_grid_for_school(*, school: School, viewer: AbstractBaseUser, today=None) -> list[DomainRow]:
    """Every decision of the catalog for one school, by domain, each with why it is held or not:
    revoked on a day and why, suspended, at risk, starting later, eligible now (an earned autonomy whose
    criteria the school meets), already allowed (no rule prevents it), asked for, or not requested.

    Seven queries whatever the school's history: the standing (decision_grid_standing), then why each
    decision not held is not (decision_grid_reasons).
    """
    rows = decision_grid_standing(school=school, today=today or timezone.localdate())
    unheld = [right.autonomy for row in rows for right in row.rights if not right.held]
    reasons = decision_grid_reasons(school=school, viewer=viewer, unheld=unheld)
    return [
        DomainRow(
            row.domain,
            row.label,
            [replace(right, **reasons[right.autonomy.pk]) if not right.held else right for right in row.rights],
        )
        for row in rows
    ]


def decision_grid_standing(*, school: School, today: datetime.date) -> list[DomainRow]:
    """Where the school stands on every decision of the catalog, by domain: held, at risk, starting later,
    suspended, revoked, expired or not held, with the grant and its last step. The same for everyone who
    may see the school, so a page may keep it (it reads only the catalog and the school's grants).

    Three queries: the catalog, the school's grants and their steps.
    """
    catalog = sorted(
        Autonomy.objects.all(), key=lambda a: (DOMAIN_ORDER.get(a.domain, len(DOMAIN_ORDER)), a.display_order, a.name)
    )
    grants = (
        AutonomyGrant.objects.filter(school=school)
        .prefetch_related(Prefetch("events", queryset=GrantEvent.objects.order_by("at", "id")))
        .order_by("starts_on", "pk")
    )
    chosen: dict[int, AutonomyGrant] = {}
    for grant in grants:  # a live grant wins; otherwise the latest ended one
        current = chosen.get(grant.autonomy_id)
        if current is None or current.status not in LIVE_STATUSES:
            chosen[grant.autonomy_id] = grant
    rights = {}
    for autonomy in catalog:
        grant = chosen.get(autonomy.pk)
        events = list(grant.events.all()) if grant else []
        rights[autonomy.pk] = GridRight(
            autonomy=autonomy,
            standing=_standing(grant, today),
            grant=grant,
            event=events[-1] if events else None,
            until=grant.at_risk_until if grant is not None and grant.status == GrantStatus.AT_RISK else None,
        )
    return [
        DomainRow(domain.value, domain.label, [rights[a.pk] for a in catalog if a.domain == domain])
        for domain in Domain
    ]


def decision_grid_reasons(
    *, school: School, viewer: AbstractBaseUser, unheld: list[Autonomy]
) -> dict[int, dict[str, object]]:
    """Why each decision the school does not hold stands open, as GridRight's `eligible`, `clarifications`
    and `asked`, per autonomy. Drawn for each page: the school's observations change with an import that
    moves no version, and the request items are only those of requests the viewer may see (a school's drafts
    are its own).

    Four queries (none without a decision not held): the criteria and the school's observations, the
    clarifications, the school's request items.
    """
    if not unheld:
        return {}
    earned = [a for a in unheld if a.model == AccountabilityModel.EARNED]
    checks = eligibility_for(school=school, autonomies=earned) if earned else {}
    clarified: dict[int, list[ClarifiedFlexibility]] = {}
    for clarification in ClarifiedFlexibility.objects.filter(autonomy__in=[a.pk for a in unheld]).order_by(
        "-created_at", "-pk"
    ):
        clarified.setdefault(clarification.autonomy_id, []).append(clarification)
    asked: dict[int, RequestItem] = {}
    items = (
        RequestItem.objects.filter(
            request__in=requests_visible_to(viewer).filter(school=school), autonomy__in=[a.pk for a in unheld]
        )
        .filter(Q(request__status__in=OPEN_REQUEST_STATUSES) | Q(decision=ItemDecision.DECLINED))
        .select_related("request")
        .order_by("request__updated_at", "pk")
    )
    for item in items:
        asked[item.autonomy_id] = item  # the latest wins
    reasons = {}
    for autonomy in unheld:
        its_checks = checks.get(autonomy.pk) or []
        reasons[autonomy.pk] = {
            "eligible": its_checks if its_checks and all(check.holds for check in its_checks) else [],
            "clarifications": clarified.get(autonomy.pk, []),
            "asked": asked.get(autonomy.pk),
        }
    return reasons
