from accountability.services.eligibility import eligibility_findings_record, eligibility_invite
from accountability.services.evaluation import (
    SUMMARY_KEYS,
    RunInProgress,
    RunTrigger,
    bound_grants,
    evaluation_run,
    evaluation_run_confirm,
    evaluation_run_discard,
    evaluation_run_mark_requested,
    evaluation_run_request,
    notice_text,
    provision_quote,
    rung_consequence,
    rung_has_deadline,
)
from accountability.services.flags import flag_acknowledge, flag_escalate, flag_resolve, flag_submit_plan

__all__ = [
    "SUMMARY_KEYS",
    "RunInProgress",
    "RunTrigger",
    "bound_grants",
    "evaluation_run",
    "evaluation_run_confirm",
    "evaluation_run_discard",
    "eligibility_findings_record",
    "eligibility_invite",
    "evaluation_run_mark_requested",
    "evaluation_run_request",
    "flag_acknowledge",
    "flag_escalate",
    "flag_resolve",
    "flag_submit_plan",
    "notice_text",
    "provision_quote",
    "rung_consequence",
    "rung_has_deadline",
]
