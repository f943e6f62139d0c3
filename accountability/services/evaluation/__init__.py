"""The nightly evaluation, by part: runs.py the run's ledger and entry points, run_request.py how a page or
the API asks for one, lock.py what "already in progress" means, evaluate.py the measuring and results,
rules.py the flags the contracts' rules call for, ladder.py what each rung does, guardrails.py what holds
a run for review, notify.py the notices."""

from accountability.services.evaluation.evaluate import SUMMARY_KEYS
from accountability.services.evaluation.ladder import (
    TOP_RUNG_REFUSAL,
    bound_grants,
    grants_apply_rung,
    notice_text,
    provision_quote,
    rung_consequence,
    rung_deadline,
    rung_has_deadline,
    rung_is_top,
)
from accountability.services.evaluation.lock import RunInProgress
from accountability.services.evaluation.run_request import evaluation_run_mark_requested, evaluation_run_request
from accountability.services.evaluation.runs import (
    RunTrigger,
    evaluation_run,
    evaluation_run_confirm,
    evaluation_run_discard,
)

__all__ = [
    "SUMMARY_KEYS",
    "TOP_RUNG_REFUSAL",
    "bound_grants",
    "provision_quote",
    "rung_consequence",
    "rung_has_deadline",
    "RunInProgress",
    "RunTrigger",
    "rung_deadline",
    "evaluation_run",
    "evaluation_run_confirm",
    "evaluation_run_discard",
    "evaluation_run_mark_requested",
    "evaluation_run_request",
    "grants_apply_rung",
    "notice_text",
    "rung_is_top",
]
