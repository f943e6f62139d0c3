"""Who may see flags and results, and who may take each step of a flag. Views and services both ask here."""

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet

from accountability.models import InterventionFlag
from accountability.workflows import ADMIN, LIAISON, PRINCIPAL, flag_actor, flag_transition
from core.policies import ALLOW, Decision, deny
from schools.models import Role
from schools.policies import roles_of, schools_visible_to


def flags_visible_to(user: AbstractBaseUser) -> QuerySet[InterventionFlag]:
    """School staff see their school's flags, a liaison the caseload's, central office all."""
    return InterventionFlag.objects.filter(school__in=schools_visible_to(user))


def can_view_flags(user: AbstractBaseUser) -> Decision:
    roles = roles_of(user)
    if roles.is_central_office or Role.LIAISON in roles.district or roles.school_ids:
        return ALLOW
    return deny("Flags are for central-office staff, liaisons and school staff.")


def can_act_as(user: AbstractBaseUser, flag: InterventionFlag, who: str) -> Decision:
    """Whether the user is the kind of actor a step names, for this flag's school."""
    roles = roles_of(user)
    if who == PRINCIPAL:
        return ALLOW if flag.school_id in roles.principal_of else deny("Only the school's principal can do this.")
    if who == LIAISON:
        if roles.is_admin or (Role.LIAISON in roles.district and flag.school.liaison_id == user.pk):
            return ALLOW
        return deny("Only the school's liaison can acknowledge a flag.")
    if who == ADMIN:
        if flag.school_id in roles.school_ids:
            return deny("You work at this school, so you cannot act for the district on its flag.")
        return ALLOW if roles.is_admin else deny("Only the autonomy office resolves or raises a flag.")
    return deny("Nobody may do this by hand.")


def can_attempt_flag_action(user: AbstractBaseUser, flag: InterventionFlag, action: str) -> Decision:
    """Whether the user is the actor the step needs, whatever state the flag is in now.

    Views and services ask this first, so that a role that may never take the step is refused outright;
    whether the step is open now is for the service to say under its lock.
    """
    who = flag_actor(action)
    if who is None:
        return deny("No such step.")
    return can_act_as(user, flag, who)


def can_take_flag_action(user: AbstractBaseUser, flag: InterventionFlag, action: str) -> Decision:
    """Whether the step is open from the flag's state now and the user may take it: the page offers these."""
    transition = flag_transition(flag.status, action)
    if transition is None:
        return deny(f"This flag is {flag.get_status_display().lower()}: that step is not open now.")
    # The ladder's own rule, shared with the nightly run and the escalate service; imported here because
    # the services import this module (they check again).
    from accountability.services.evaluation.ladder import TOP_RUNG_REFUSAL, rung_is_top

    if action == "escalate" and rung_is_top(flag.level):
        return deny(TOP_RUNG_REFUSAL)
    return can_act_as(user, flag, transition.who)


def can_acknowledge_flag(user: AbstractBaseUser, flag: InterventionFlag) -> Decision:
    return can_take_flag_action(user, flag, "acknowledge")


def can_submit_plan(user: AbstractBaseUser, flag: InterventionFlag) -> Decision:
    return can_take_flag_action(user, flag, "submit_plan")


def can_resolve_flag(user: AbstractBaseUser, flag: InterventionFlag) -> Decision:
    return can_take_flag_action(user, flag, "resolve")


def can_escalate_flag(user: AbstractBaseUser, flag: InterventionFlag) -> Decision:
    return can_take_flag_action(user, flag, "escalate")


def can_run_evaluation(user: AbstractBaseUser) -> Decision:
    """Start or preview an evaluation, and see the runs: the autonomy office."""
    return ALLOW if roles_of(user).is_admin else deny("Only the autonomy office runs the evaluation.")


def can_invite_eligible_school(user: AbstractBaseUser) -> Decision:
    """Invite a school the nightly run found newly eligible to request an earned autonomy: the autonomy office."""
    if roles_of(user).is_admin:
        return ALLOW
    return deny("Only the autonomy office invites a school to request an earned autonomy.")
