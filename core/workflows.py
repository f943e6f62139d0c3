"""The transition kernel: every workflow (request, grant, contract, flag, …) moves through here.

A workflow is one table of `Transition` rows — (from state, action) → (to state, who may, label). A
service moves an object with `transition_apply`, which inside one transaction

1. re-reads the row with select_for_update (so of two people acting at once exactly one wins),
2. checks the status the person saw (`expected_status`; a difference is a Conflict),
3. checks that the step is open from the current state (else a Conflict: somebody moved it),
4. checks who may (the table's actor kind, answered by the app's policy; else NotPermitted, with the reason),
5. lets the caller change other fields (`change`), writes the status and one event row, and
6. lets the caller notify (`notify`), whose messages go out only after commit (core.notifications).

Actor kinds have one meaning each. `SYSTEM` is the nightly job and never a person. `RULE` is a step
that carries out something else: a contract's intervention rule (applied by the nightly job, or by the
autonomy office raising a flag by hand) or another workflow's step (countersigning an amendment
supersedes the version in force). A `RULE` step is never offered as a step of its own on a page or in
the API; the nightly job may take it, and so may a person the policy lets act as the autonomy office.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from core.errors import ApplicationError, NotFound
from core.policies import ALLOW, Decision, conflict, deny, require

# The nouns the apps' workflows speak of, so that the kernel's sentences can say them in the page's language
# ("la solicitud", "el contrato"): a workflow's noun is looked up in the catalog as it is (gettext(noun)).
WORKFLOW_NOUNS = (
    gettext_noop("request"),
    gettext_noop("grant"),
    gettext_noop("contract"),
    gettext_noop("flag"),
    gettext_noop("formula version"),
    gettext_noop("budget plan"),
    gettext_noop("network request"),
    gettext_noop("support request"),
    gettext_noop("survey cycle"),
)


class Actor(StrEnum):
    PRINCIPAL = "principal"  # the principal of the object's school
    SCHOOL_STAFF = "school_staff"  # the principal or a school-team member of the object's school
    REVIEWER = "reviewer"  # a central-office reviewer whose function the object is routed to
    LIAISON = "liaison"  # the school's liaison (the autonomy office may stand in)
    ADMIN = "admin"  # the autonomy office, acting by hand
    RULE = "rule"  # carrying out a contract's rule or another step: the nightly job or the autonomy office
    SYSTEM = "system"  # the nightly job alone


PERSON_KINDS = frozenset(Actor) - {Actor.RULE, Actor.SYSTEM}


@dataclass(frozen=True)
class Transition:
    source: str
    action: str
    target: str
    who: Actor
    label: str


# Whether a user (None: the nightly job) is the kind of actor a step names, for this object.
ActsAs = Callable[[Any, Any, Actor], Decision]


class Workflow:
    """One table of transitions over a model's `status`, with its event model and the noun it speaks of."""

    def __init__(self, *, noun: str, model: type[models.Model], event_model, transitions: Iterable[Transition]):
        self.noun = noun
        self.model = model
        self.event_model = event_model
        self.transitions = tuple(transitions)
        self._table = {(t.source, t.action): t for t in self.transitions}
        if len(self._table) != len(self.transitions):
            raise ValueError(f"The {noun} workflow names a (state, action) twice.")

    def step(self, status: str, action: str) -> Transition | None:
        return self._table.get((status, action))

    def steps_from(self, status: str) -> list[Transition]:
        return [t for t in self.transitions if t.source == status]

    def person_steps_from(self, status: str) -> list[Transition]:
        """The steps a page or the API may offer: taken by a person on their own account."""
        return [t for t in self.steps_from(status) if t.who in PERSON_KINDS]

    @property
    def actions(self) -> list[str]:
        return list(dict.fromkeys(t.action for t in self.transitions))

    @property
    def person_actions(self) -> list[str]:
        return list(dict.fromkeys(t.action for t in self.transitions if t.who in PERSON_KINDS))

    def actors_of(self, action: str) -> list[Actor]:
        return list(dict.fromkeys(t.who for t in self.transitions if t.action == action))

    def states(self) -> list[str]:
        return [value for value, _label in self.model._meta.get_field("status").choices]

    def status_words(self, obj) -> str:
        return obj.get_status_display().lower()

    def noun_words(self) -> str:
        """The noun in the page's language (WORKFLOW_NOUNS)."""
        return _(self.noun)

    def not_open(self, obj) -> Decision:
        words = {"noun": self.noun_words(), "status": self.status_words(obj)}
        return conflict(_("This %(noun)s is %(status)s: that step is not open now.") % words)


def _acts_as(user, obj, who: Actor, acts_as: ActsAs) -> Decision:
    if who == Actor.SYSTEM:
        return ALLOW if user is None else deny(_("Only the nightly evaluation does this."))
    if user is None:
        return ALLOW if who == Actor.RULE else deny(_("A person must do this."))
    return acts_as(user, obj, Actor.ADMIN if who == Actor.RULE else who)


def transition_decide(workflow: Workflow, user, obj, action: str, acts_as: ActsAs) -> Decision:
    """May this user take this step on this object now? A step not open now is a conflict, not a prohibition."""
    transition = workflow.step(obj.status, action)
    if transition is None:
        return workflow.not_open(obj)
    return _acts_as(user, obj, transition.who, acts_as)


def transition_attempt_decide(workflow: Workflow, user, obj, action: str, acts_as: ActsAs) -> Decision:
    """Whether the user is an actor the step ever needs, whatever state the object is in now.

    Views ask this before validating a form, so that a role that may never take the step is refused
    outright; whether the step is open in the current state is for the service to say under its lock.
    """
    actors = workflow.actors_of(action)
    if not actors:
        return deny(_("No such step."))
    decision = deny(_("No such step."))
    for who in actors:
        if decision := _acts_as(user, obj, who, acts_as):
            return decision
    return decision


def transition_lock(workflow: Workflow, pk, *, related: Iterable[str] = ()):
    """Re-read the row for update; an id that names nothing is NotFound."""
    queryset = workflow.model.objects.select_for_update(of=("self",)).select_related(*related)
    try:
        return queryset.get(pk=pk)
    except (workflow.model.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("No such %(noun)s.") % {"noun": workflow.noun_words()}) from None


def transition_check(
    workflow: Workflow, obj, *, action: str, user, acts_as: ActsAs, expected_status: str | None = None
) -> Transition:
    """Check what a person saw, that the step is open, and who may — on a row the caller has locked."""
    require(transition_attempt_decide(workflow, user, obj, action, acts_as))
    transition_expect(workflow, obj, expected_status)
    require(transition_decide(workflow, user, obj, action, acts_as))
    return workflow.step(obj.status, action)


def transition_expect(workflow: Workflow, obj, expected_status: str | None) -> None:
    """The person acted on the status they saw; if the row has moved on since, they are told (Conflict)."""
    if expected_status and obj.status != expected_status:
        raise_conflict(
            _("Somebody acted on this %(noun)s first: it is now %(status)s. Reload the page to see what changed.")
            % {"noun": workflow.noun_words(), "status": workflow.status_words(obj)}
        )


def transition_write(
    workflow: Workflow,
    obj,
    *,
    transition: Transition,
    user,
    reason: str = "",
    evidence: dict | None = None,
    fields: Iterable[str] = (),
):
    """Write the new status (and the fields the caller changed) and its event. The caller holds the lock."""
    previous = obj.status
    obj.status = transition.target
    update = ["status", *fields]
    if any(f.name == "updated_at" for f in obj._meta.concrete_fields):
        update.append("updated_at")
    obj.save(update_fields=list(dict.fromkeys(update)))
    return workflow.event_model.objects.create(
        **{workflow.event_model.subject_field: obj},
        actor=user,
        at=timezone.now(),
        action=transition.action,
        from_status=previous,
        to_status=obj.status,
        reason=reason,
        evidence=evidence or {},
    )


def transition_apply(
    workflow: Workflow,
    *,
    pk,
    action: str,
    user,
    acts_as: ActsAs,
    reason: str | Callable[[Any], str] = "",
    evidence: dict | None = None,
    expected_status: str | None = None,
    related: Iterable[str] = (),
    change: Callable[[Any], Iterable[str]] | None = None,
    notify: Callable[[Any, Any], None] | None = None,
):
    """Lock, check, change, write status and event, notify — in one transaction. Returns (object, event).

    `change(obj)` may alter other fields of the locked row (returning their names) or raise an
    ApplicationError to refuse; `reason` may be a function of the changed row (a rung raised names the
    new rung); `notify(obj, event)` writes the messages, sent after commit.
    """
    with transaction.atomic():
        obj = transition_lock(workflow, pk, related=related)
        transition = transition_check(
            workflow, obj, action=action, user=user, acts_as=acts_as, expected_status=expected_status
        )
        fields = list(change(obj) or ()) if change else []
        said = reason(obj) if callable(reason) else reason
        event = transition_write(
            workflow, obj, transition=transition, user=user, reason=said, evidence=evidence, fields=fields
        )
        if notify:
            notify(obj, event)
    return obj, event


@dataclass(frozen=True)
class Move:
    """One row's step in a batch (transition_apply_many): the row, the action, why, the evidence, and the
    other fields the step sets (`values`, e.g. the end of a cure period)."""

    pk: Any
    action: str
    reason: str
    evidence: dict | None = None
    values: dict[str, Any] = field(default_factory=dict)


def transition_apply_many(
    workflow: Workflow,
    *,
    moves: list[Move],
    user,
    acts_as: ActsAs,
    related: Iterable[str] = (),
    notify: Callable[[list[tuple[Any, Any]]], None] | None = None,
) -> list[tuple[Any, Any]]:
    """Many rows' steps in one transaction and a fixed number of queries, whatever their number: what the
    nightly run takes for every grant its rules act on. Returns (row, event) per move, in order.

    Each step is checked as transition_apply checks one, against the row as the steps before it in the
    batch left it (a row named twice takes both steps, in order); a refusal refuses the batch, and nothing
    is written. The rows are locked in id order, so two batches never wait on each other in a circle.
    `notify(pairs)` writes the messages of all the steps at once, sent after commit.
    """
    if not moves:
        return []
    with transaction.atomic():
        queryset = workflow.model.objects.select_for_update(of=("self",)).select_related(*related)
        rows = {obj.pk: obj for obj in queryset.filter(pk__in={move.pk for move in moves}).order_by("pk")}
        now = timezone.now()
        pairs, fields = [], {"status"}
        for move in moves:
            obj = rows.get(move.pk)
            if obj is None:
                raise NotFound(_("No such %(noun)s.") % {"noun": workflow.noun_words()})
            transition = transition_check(workflow, obj, action=move.action, user=user, acts_as=acts_as)
            previous, obj.status = obj.status, transition.target
            for name, value in move.values.items():
                setattr(obj, name, value)
            fields.update(move.values)
            event = workflow.event_model(
                **{workflow.event_model.subject_field: obj},
                actor=user,
                at=now,
                action=transition.action,
                from_status=previous,
                to_status=obj.status,
                reason=move.reason,
                evidence=move.evidence or {},
            )
            pairs.append((obj, event))
        if any(f.name == "updated_at" for f in workflow.model._meta.concrete_fields):
            for obj in rows.values():
                obj.updated_at = now
            fields.add("updated_at")
        changed = [rows[pk] for pk in dict.fromkeys(move.pk for move in moves)]
        workflow.model.objects.bulk_update(changed, sorted(fields))
        workflow.event_model.objects.bulk_create([event for _obj, event in pairs])
        if notify:
            notify(pairs)
    return pairs


@dataclass(frozen=True)
class Steps:
    """A workflow bound to the policy that says who is which kind of actor: what an app's services move
    its objects with. `related` are the relations a step's checks and notices read from the locked row."""

    workflow: Workflow
    acts_as: ActsAs
    related: tuple[str, ...] = ()

    def lock(self, pk):
        """The row, re-read for update. Call inside a transaction."""
        return transition_lock(self.workflow, pk, related=self.related)

    def check(self, obj, *, actor, action: str, expected_status: str | None = None) -> Transition:
        """Refuse now (before validating the rest) if the step is not this actor's or not open."""
        return transition_check(
            self.workflow, obj, action=action, user=actor, acts_as=self.acts_as, expected_status=expected_status
        )

    def take(self, obj, *, actor, action: str, reason: str = "", evidence=None, expected_status=None, fields=()):
        """One step on a row the caller has locked; `fields` were changed too. Returns the event."""
        transition = self.check(obj, actor=actor, action=action, expected_status=expected_status)
        return transition_write(
            self.workflow, obj, transition=transition, user=actor, reason=reason, evidence=evidence, fields=fields
        )

    def apply(self, *, pk, actor, action: str, **options):
        """Lock, check, change, write and notify in one transaction (transition_apply). Returns (row, event)."""
        return transition_apply(
            self.workflow, pk=pk, action=action, user=actor, acts_as=self.acts_as, related=self.related, **options
        )

    def apply_many(self, *, moves: list[Move], actor, notify=None):
        """Many rows' steps in one transaction (transition_apply_many). Returns (row, event) per move."""
        return transition_apply_many(
            self.workflow, moves=moves, user=actor, acts_as=self.acts_as, related=self.related, notify=notify
        )

    def created(self, obj, *, actor, action: str, reason: str = "", evidence: dict | None = None, at=None):
        """The (unsaved) event of a row just created in its first status: save it, or bulk_create many."""
        return self.workflow.event_model(
            **{self.workflow.event_model.subject_field: obj},
            actor=actor,
            at=at or timezone.now(),
            action=action,
            from_status="",
            to_status=obj.status,
            reason=reason,
            evidence=evidence or {},
        )


def raise_conflict(message: str) -> None:
    require(conflict(message))


def required_text(value: str | None, *, field: str, message: str, max_length: int) -> str:
    """A reason, note or plan a step cannot be taken without: refused naming the field when blank or longer
    than its limit (from core.limits)."""
    if not (value or "").strip():
        raise ApplicationError(message, fields={field: [_("This field is required.")]})
    return limited_text(value, field=field, max_length=max_length)


def limited_text(value: str | None, *, field: str, max_length: int) -> str:
    """Free text, stripped, refused naming the field when longer than its limit (from core.limits): the
    forms and serializers check the same limit, and this holds a script calling the service to it too."""
    value = (value or "").strip()
    if len(value) > max_length:
        raise ApplicationError(
            _("The text in %(field)s is too long.") % {"field": field},
            fields={
                field: [
                    _("Ensure this value has at most %(limit)s characters (it has %(length)s).")
                    % {"limit": max_length, "length": len(value)}
                ]
            },
        )
    return value
