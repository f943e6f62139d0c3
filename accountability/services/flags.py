"""People's steps on a flag: the liaison acknowledges it, the principal answers with an improvement plan,
the autonomy office resolves it or raises it one rung of the ladder.

Each step follows accountability.workflows.FLAG_TRANSITIONS: inside one transaction it locks the flag,
checks who may (NotPermitted) and that the step is open from the state the person saw (Conflict),
writes the flag and a FlagEvent, and notifies the school's principal and liaison.
"""

from collections.abc import Callable

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accountability.models import FlagEvent, InterventionFlag
from accountability.policies import can_attempt_flag_action
from accountability.services.evaluation.ladder import escalated_deadline, grants_apply_rung, notice_text
from accountability.workflows import flag_transition
from contracts.models import Level
from core.errors import ApplicationError, Conflict, NotPermitted
from core.notifications import notify
from schools.selectors import principals_of

# What changed on the flag besides its status, and the note its event records.
Change = Callable[[InterventionFlag], tuple[list[str], str]]


def _required(value: str, field: str, message: str) -> str:
    if not (value or "").strip():
        raise ApplicationError(message, fields={field: ["This field is required."]})
    return value.strip()


def flag_acknowledge(
    *, actor: AbstractBaseUser, flag_id: int, note: str = "", expected_status: str | None = None
) -> InterventionFlag:
    """The liaison has seen the notice and taken up the case with the school."""
    return _flag_step(
        actor=actor, flag_id=flag_id, action="acknowledge", note=(note or "").strip(), expected_status=expected_status
    )


def flag_submit_plan(
    *, actor: AbstractBaseUser, flag_id: int, plan: str, expected_status: str | None = None
) -> InterventionFlag:
    """The principal answers the notice with the school's improvement plan."""
    plan = _required(plan, "plan", "Write the improvement plan: what the school will do, and by when.")

    def keep_plan(flag: InterventionFlag) -> tuple[list[str], str]:
        flag.plan = plan
        return ["plan"], plan

    return _flag_step(
        actor=actor, flag_id=flag_id, action="submit_plan", note=plan, expected_status=expected_status, change=keep_plan
    )


def flag_resolve(
    *, actor: AbstractBaseUser, flag_id: int, note: str, expected_status: str | None = None
) -> InterventionFlag:
    """The autonomy office closes the case; the evaluation never does (a cleared condition is only marked)."""
    note = _required(note, "note", "Say why the case is resolved: the school reads this.")
    return _flag_step(actor=actor, flag_id=flag_id, action="resolve", note=note, expected_status=expected_status)


def flag_escalate(
    *,
    actor: AbstractBaseUser,
    flag_id: int,
    note: str,
    expected_status: str | None = None,
    expected_level: int | None = None,
) -> InterventionFlag:
    """Raise the flag one rung by hand: it stays live, with a new deadline, and the rung is carried out
    on the autonomy a missed binding benchmark protects, as the nightly evaluation would.

    `expected_level` is the rung the person saw: raising keeps the status, so two people raising at
    once are told apart by the level.
    """
    note = _required(note, "note", "Say why the flag is raised: the school reads this.")
    today = timezone.localdate()

    def raise_one_rung(flag: InterventionFlag) -> tuple[list[str], str]:
        if expected_level is not None and flag.level != expected_level:
            raise Conflict(f"Somebody else changed this flag first: it is now at {_rung(flag.level)}.")
        if flag.level >= Level.REVOKED:
            raise Conflict("This flag is on the last rung of the ladder already.")
        flag.level += 1
        flag.deadline = escalated_deadline(today, flag.rule.deadline_days)
        return ["level", "deadline"], f"Raised to {_rung(flag.level)}. {note}"

    flag = _flag_step(
        actor=actor,
        flag_id=flag_id,
        action="escalate",
        note=note,
        expected_status=expected_status,
        change=raise_one_rung,
    )
    return flag


def _rung(level: int) -> str:
    return f"level {level}, {Level(level).label.lower()}"


def _flag_step(
    *,
    actor: AbstractBaseUser,
    flag_id: int,
    action: str,
    note: str,
    expected_status: str | None,
    change: Change | None = None,
) -> InterventionFlag:
    with transaction.atomic():
        flag = (
            InterventionFlag.objects.select_for_update(of=("self",))
            .select_related("school__liaison", "rule")
            .get(pk=flag_id)
        )
        if not (decision := can_attempt_flag_action(actor, flag, action)):
            raise NotPermitted(decision.reason)
        if expected_status and flag.status != expected_status:
            raise Conflict(f"Somebody else changed this flag first: it is now {flag.get_status_display().lower()}.")
        transition = flag_transition(flag.status, action)
        if transition is None:
            raise Conflict(f"This flag is {flag.get_status_display().lower()}: that step is not open now.")
        previous = flag.status
        flag.status = transition.to
        fields, event_note = change(flag) if change else ([], note)
        flag.save(update_fields=["status", *fields])
        event = FlagEvent.objects.create(
            flag=flag,
            actor=actor,
            at=timezone.now(),
            action=action,
            from_status=previous,
            to_status=flag.status,
            note=event_note,
        )
        if action == "escalate":
            grants_apply_rung(flag, as_of=timezone.localdate(), actor=actor)
        _notify_step(flag=flag, event=event, actor=actor)
    return flag


TITLES = {
    "acknowledge": "the liaison acknowledged the flag",
    "submit_plan": "an improvement plan was submitted",
    "resolve": "the flag was resolved",
}


def _notify_step(*, flag: InterventionFlag, event: FlagEvent, actor: AbstractBaseUser) -> None:
    """The school's principal and liaison hear of every step but their own, once per event."""
    school = flag.school
    users = principals_of(school_ids=[school.pk]).get(school.pk, [])
    if school.liaison_id:
        users.append(school.liaison)
    if event.action == "escalate":
        title, body = f"{school.name}: {Level(flag.level).label.lower()}", f"{notice_text(flag)}\n\n{event.note}"
    else:
        title, body = f"{school.name}: {TITLES[event.action]}", event.note
    notify(
        users=[user for user in users if user.pk != actor.pk],
        key=f"flag:{flag.pk}:event:{event.pk}",
        title=title,
        body=body,
        url=reverse("flag_detail", args=[flag.pk]),
    )
