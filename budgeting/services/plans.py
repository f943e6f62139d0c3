"""School budget plans: every write in one import. The work is split by concern:

- budgeting.services.plan_rows: starting a plan (with the district's mandated rows) and its positions and
  lines, each refused on a locked category or row;
- budgeting.services.plan_steps: submit, return, approve (PLAN_WORKFLOW) and true-ups;
- budgeting.services.plan_locks: the record and the notice when a Money grant locks or unlocks categories.
"""

from budgeting.services.plan_locks import plan_locks_follow_grants
from budgeting.services.plan_rows import (
    PLAN_STEPS,
    funding_split,
    line_add,
    line_change,
    line_remove,
    position_add,
    position_change,
    position_cost,
    position_remove,
)
from budgeting.services.plan_seed import plan_start
from budgeting.services.plan_steps import plan_approve, plan_balance_check, plan_return, plan_submit, plans_true_up

__all__ = [
    "PLAN_STEPS",
    "funding_split",
    "line_add",
    "line_change",
    "line_remove",
    "plan_approve",
    "plan_balance_check",
    "plan_locks_follow_grants",
    "plan_return",
    "plan_start",
    "plan_submit",
    "plans_true_up",
    "position_add",
    "position_change",
    "position_cost",
    "position_remove",
]
