"""A roster plan: what an import would write (the operations, by sourcedId and id) and the same as rows a
person reads (Change), with their counts. Made by plan.py, written by apply.py, kept by the page's record."""

import hashlib
import json
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Change:
    kind: str  # district, school, person, membership
    action: str  # create, update, close, reopen, link, deactivate, add, end
    name: str
    detail: str = ""

    def as_dict(self) -> dict:
        return {"kind": self.kind, "action": self.action, "name": self.name, "detail": self.detail}


@dataclass
class Plan:
    version: str
    district: dict | None = None  # {"pk": id or None, "name", "sourced_id"}
    schools_create: list[dict] = field(default_factory=list)
    schools_update: list[tuple[int, dict]] = field(default_factory=list)
    people_create: list[dict] = field(default_factory=list)
    people_link: list[tuple[int, str]] = field(default_factory=list)  # (user id, sourcedId)
    people_update: list[tuple[int, dict]] = field(default_factory=list)
    memberships_add: list[tuple[str, str, str]] = field(default_factory=list)  # (person, role, school) sourcedIds
    memberships_end: list[tuple[int, int]] = field(default_factory=list)  # (membership id, user id)
    changes: list[Change] = field(default_factory=list)
    people_ignored: int = 0

    @property
    def counts(self) -> dict[str, int]:
        def count(kind, *actions):
            return sum(1 for change in self.changes if change.kind == kind and change.action in actions)

        return {
            "schools_created": count("school", "create"),
            "schools_updated": count("school", "update", "reopen"),
            "schools_closed": count("school", "close"),
            "people_created": count("person", "create", "link"),
            "people_updated": count("person", "update", "reactivate"),
            "people_deactivated": count("person", "deactivate"),
            "memberships_added": len(self.memberships_add),
            "memberships_ended": len(self.memberships_end),
            "people_not_imported": self.people_ignored,
        }

    @property
    def empty(self) -> bool:
        return not self.changes

    @property
    def digest(self) -> str:
        """A fingerprint of what would be written: a plan applied later must be the plan that was checked."""
        ops = [self.district, self.schools_create, self.schools_update, self.people_create, self.people_link]
        ops += [self.people_update, sorted(self.memberships_add), sorted(self.memberships_end)]
        return hashlib.sha256(json.dumps(ops, sort_keys=True, default=str).encode()).hexdigest()
