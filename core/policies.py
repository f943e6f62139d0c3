"""The decision type every app's policies return."""

from dataclasses import dataclass

from core.errors import NotPermitted


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str = ""

    def __bool__(self) -> bool:
        return self.allowed


ALLOW = Decision(True)


def deny(reason: str) -> Decision:
    return Decision(False, reason)


def require(decision: Decision) -> None:
    """Services ask again what the view asked: a refusal becomes NotPermitted, carrying its reason."""
    if not decision:
        raise NotPermitted(decision.reason)
