"""Hooks by which a lower app tells a higher one of an event without importing it (the layering runs one
way: core ← schools ← metrics ← autonomy ← budgeting ← …). A hook is sent only after the transaction that
made the change commits, so a receiver never hears of a change that was rolled back.

- `grants_changed`: grants moved to another status or were issued. Sent with `changes`, a list of
  `GrantChange` (one per grant). budgeting relocks or unlocks the budget categories the grant's autonomy
  covers (budgeting.receivers).
- `evaluation_finished`: an evaluation run succeeded (its results, ratings and flags are new). Sent with
  `run_id` and `as_of`. The public reports drop their cached pages (reports.receivers).
- `publication_changed`: something the public pages publish changed outside a grant or a run (a new
  suppression policy version). Sent with `reason`.
"""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.dispatch import Signal

grants_changed = Signal()
evaluation_finished = Signal()
publication_changed = Signal()


@dataclass(frozen=True)
class GrantChange:
    grant_id: int
    school_id: int
    autonomy_id: int
    from_status: str  # "" for a grant just issued
    to_status: str
    on: datetime.date
    reason: str
    at: datetime.datetime | None = None  # when the change was written: what was made later already reflects it


def announce_on_commit(signal: Signal, **kwargs) -> None:
    """Send the signal once the current transaction commits (at once when there is none)."""
    transaction.on_commit(lambda: signal.send(sender=None, **kwargs))
