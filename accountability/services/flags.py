"""People's steps on a flag: the liaison acknowledges it, the principal answers with an improvement plan,
the autonomy office resolves it or raises it one rung of the ladder.

Each step is a row of accountability.workflows.FLAG_WORKFLOW taken through the transition kernel
(core.workflows.transition_apply): the flag locked, who may and what the person saw checked, the flag
and its event written, the school's principal and liaison told after commit.
"""

from django.contrib.auth.models import AbstractBaseUser
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from accountability.models import FlagEvent, InterventionFlag
from accountability.policies import flag_acts_as
from accountability.services.evaluation.ladder import (
    TOP_RUNG_REFUSAL,
    grants_apply_rung,
    in_district_language,
    notice_words,
    rung_is_top,
    rung_label,
    rung_take,
)
from accountability.workflows import FLAG_WORKFLOW
from core.limits import LONG_TEXT, NOTE_TEXT
from core.notifications import notify
from core.versions import version_bump
from core.workflows import Steps, limited_text, raise_conflict, required_text
from schools.selectors import principals_of

FLAG_STEPS = Steps(FLAG_WORKFLOW, flag_acts_as, related=("school__liaison", "rule"))


def flag_acknowledge(
    *, actor: AbstractBaseUser, flag_id: int, note: str = "", expected_status: str | None = None
) -> InterventionFlag:
    """The liaison has seen the notice and taken up the case with the school."""
    note = limited_text(note, field="note", max_length=NOTE_TEXT)
    return _flag_step(actor=actor, flag_id=flag_id, action="acknowledge", reason=note, expected_status=expected_status)


def flag_submit_plan(
    *, actor: AbstractBaseUser, flag_id: int, plan: str, expected_status: str | None = None
) -> InterventionFlag:
    """The principal answers the notice with the school's improvement plan."""
    plan = required_text(
        plan,
        field="plan",
        message="Write the improvement plan: what the school will do, and by when.",
        max_length=LONG_TEXT,
    )

    def keep_plan(flag: InterventionFlag) -> list[str]:
        flag.plan = plan
        return ["plan"]

    return _flag_step(
        actor=actor,
        flag_id=flag_id,
        action="submit_plan",
        reason=plan,
        expected_status=expected_status,
        change=keep_plan,
    )


def flag_resolve(
    *, actor: AbstractBaseUser, flag_id: int, note: str, expected_status: str | None = None
) -> InterventionFlag:
    """The autonomy office closes the case; the evaluation never does (a cleared condition is only marked)."""
    note = required_text(
        note, field="note", message="Say why the case is resolved: the school reads this.", max_length=NOTE_TEXT
    )
    return _flag_step(actor=actor, flag_id=flag_id, action="resolve", reason=note, expected_status=expected_status)


def flag_escalate(
    *,
    actor: AbstractBaseUser,
    flag_id: int,
    note: str,
    expected_status: str | None = None,
    expected_level: int | None = None,
) -> InterventionFlag:
    """Raise the flag one rung by hand: it stays live, with the rung's deadline and remedy, and the rung is
    carried out on the autonomies its rule binds, as the nightly evaluation would (the ladder's rules).

    `expected_level` is the rung the person saw: raising keeps the status, so two people raising at
    once are told apart by the level.
    """
    note = required_text(
        note, field="note", message="Say why the flag is raised: the school reads this.", max_length=NOTE_TEXT
    )
    today = timezone.localdate()

    def raise_one_rung(flag: InterventionFlag) -> list[str]:
        if expected_level is not None and flag.level != expected_level:
            raise_conflict(f"Somebody else changed this flag first: it is now at {_rung(flag.level)}.")
        if rung_is_top(flag.level):
            raise_conflict(TOP_RUNG_REFUSAL)
        if flag.clock_paused_on:
            # The contract binds both sides: while central office's side is missed, nobody climbs the ladder.
            raise_conflict(f"{flag.clock_pause_reason} Raise it once central office has met it.")
        return rung_take(flag, flag.level + 1, as_of=today, rule=flag.rule)

    flag = _flag_step(
        actor=actor,
        flag_id=flag_id,
        action="escalate",
        reason=lambda flag: f"Raised to {_rung(flag.level)}. {note}",
        expected_status=expected_status,
        change=raise_one_rung,
    )
    return flag


def _rung(level: int) -> str:
    return f"level {level}, {rung_label(level)}"


@in_district_language
def _flag_step(*, actor, flag_id: int, action: str, reason: str, expected_status: str | None, change=None):
    def carry_out(flag: InterventionFlag, event: FlagEvent) -> None:
        consequences = grants_apply_rung(flag, as_of=timezone.localdate(), actor=actor) if action == "escalate" else []
        _notify_step(flag=flag, event=event, actor=actor, consequences=consequences)
        version_bump("flags")  # the flags list kept for central office (accountability.views); now and on commit

    flag, _ = FLAG_STEPS.apply(
        pk=flag_id,
        actor=actor,
        action=action,
        reason=reason,
        expected_status=expected_status,
        change=change,
        notify=carry_out,
    )
    return flag


TITLES = {
    "acknowledge": gettext_noop("the liaison acknowledged the flag"),
    "submit_plan": gettext_noop("an improvement plan was submitted"),
    "resolve": gettext_noop("the flag was resolved"),
}


def _notify_step(*, flag: InterventionFlag, event: FlagEvent, actor: AbstractBaseUser, consequences) -> None:
    """The school's principal and liaison hear of every step but their own, once per event: a raised
    flag's message is its new notice, with what the rung did to the school's autonomy."""
    school = flag.school
    users = principals_of(school_ids=[school.pk]).get(school.pk, [])
    if school.liaison_id:
        users.append(school.liaison)

    def title() -> str:  # in each reader's language (core.notifications)
        happened = rung_label(flag.level) if event.action == "escalate" else gettext(TITLES[event.action])
        return f"{school.name}: {happened}"

    def body() -> str:
        if event.action == "escalate":
            return f"{notice_words(flag, consequences)}\n\n{event.reason}"
        return event.reason

    notify(
        users=[user for user in users if user.pk != actor.pk],
        key=f"flag:{flag.pk}:event:{event.pk}",
        title=title,
        body=body,
        url=reverse("accountability:flag_detail", args=[flag.pk]),
    )
