"""Who may see flags and results, and who may take each step of a flag. Views and services both ask here."""

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet

from accountability.models import InterventionFlag
from accountability.workflows import FLAG_WORKFLOW
from core.policies import ALLOW, Decision, conflict, deny
from core.workflows import Actor, transition_attempt_decide, transition_decide
from schools.models import Role
from schools.policies import acts_at_school_as, autonomy_office, roles_of, schools_visible_to


def flags_visible_to(user: AbstractBaseUser) -> QuerySet[InterventionFlag]:
    """School staff see their school's flags, a liaison the caseload's, central office all."""
    return InterventionFlag.objects.filter(school__in=schools_visible_to(user))


def can_view_flags(user: AbstractBaseUser) -> Decision:
    roles = roles_of(user)
    if roles.is_central_office or Role.LIAISON in roles.district or roles.school_ids:
        return ALLOW
    return deny("Flags are for central-office staff, liaisons and school staff.")


def flag_acts_as(user: AbstractBaseUser, flag: InterventionFlag, who: Actor) -> Decision:
    """Whether the user is the kind of actor a flag step names, for this flag's school."""
    return acts_at_school_as(
        user,
        school_id=flag.school_id,
        who=who,
        liaison_id=flag.school.liaison_id,
        admin_refusal="Only the autonomy office resolves or raises a flag.",
        separation_refusal="You work at this school, so you cannot act for the district on its flag.",
    )


def can_attempt_flag_action(user: AbstractBaseUser, flag: InterventionFlag, action: str) -> Decision:
    """Whether the user is the actor the step needs, whatever state the flag is in now."""
    return transition_attempt_decide(FLAG_WORKFLOW, user, flag, action, flag_acts_as)


def can_take_flag_action(user: AbstractBaseUser, flag: InterventionFlag, action: str) -> Decision:
    """Whether the step is open from the flag's state now and the user may take it: the page offers these."""
    # The ladder's own rule, shared with the nightly run and the escalate service; imported here because
    # the services import this module (they check again).
    from accountability.services.evaluation.ladder import TOP_RUNG_REFUSAL, rung_is_top

    if action == "escalate" and rung_is_top(flag.level) and FLAG_WORKFLOW.step(flag.status, action):
        return conflict(TOP_RUNG_REFUSAL)
    return transition_decide(FLAG_WORKFLOW, user, flag, action, flag_acts_as)


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
    return autonomy_office(user, "Only the autonomy office runs the evaluation.")


def can_invite_eligible_school(user: AbstractBaseUser) -> Decision:
    """Invite a school the nightly run found newly eligible to request an earned autonomy: the autonomy office."""
    if roles_of(user).is_admin:
        return ALLOW
    return deny("Only the autonomy office invites a school to request an earned autonomy.")
