"""The decision type every app's policies return."""

from dataclasses import dataclass

from core.errors import Conflict, NotPermitted


@dataclass(frozen=True)
class Decision:
    """Whether an actor may act, and if not, why — and whether the refusal is a conflict.

    A conflict means the step is not open in the object's state now (somebody moved it, or it is
    finished): the person should reload and decide again (409). Any other refusal is a prohibition:
    this person may not do it (403).
    """

    allowed: bool
    reason: str = ""
    conflict: bool = False

    def __bool__(self) -> bool:
        return self.allowed

    @property
    def http_status(self) -> int:
        return 200 if self.allowed else 409 if self.conflict else 403


ALLOW = Decision(True)


def deny(reason: str) -> Decision:
    return Decision(False, reason)


def conflict(reason: str) -> Decision:
    return Decision(False, reason, conflict=True)


def require(decision: Decision) -> None:
    """Services ask again what the view asked: a refusal becomes Conflict or NotPermitted, with its reason."""
    if not decision:
        raise (Conflict if decision.conflict else NotPermitted)(decision.reason)
