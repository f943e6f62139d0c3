"""The writes of the public reports: a new version of the suppression policy, and the record of what a
page, file or endpoint masked. Both write only reports' own tables."""

from django.db import transaction
from django.db.models import Max

from core.hooks import announce_on_commit, publication_changed
from reports.models import MaskedCellRecord, SuppressionPolicy
from reports.services.suppression import MaskedCell, PolicyRules

# Before the district sets a policy: hide fewer than 10 (California and Utah), code above 95 / below 5.
DEFAULT_RULES = PolicyRules(
    minimum_n=10,
    complementary=True,
    pair_rule=True,
    bands=SuppressionPolicy(coding_bands=[{"min_n": 0, "high": 95, "low": 5}]).bands(),
    marker="*",
    version=0,
)


def policy_in_force() -> SuppressionPolicy | None:
    """The newest version, which is the one in force; None before the district sets one."""
    return SuppressionPolicy.objects.order_by("-version").first()


def rules_in_force() -> PolicyRules:
    policy = policy_in_force()
    return policy.rules() if policy is not None else DEFAULT_RULES


def policy_publish(*, actor=None, **values) -> SuppressionPolicy:
    """A new version of the policy, in force from now: the earlier versions stay as they were."""
    with transaction.atomic():
        SuppressionPolicy.objects.select_for_update().order_by("-version").first()  # one new version at a time
        latest = SuppressionPolicy.objects.aggregate(latest=Max("version"))["latest"] or 0
        policy = SuppressionPolicy(version=latest + 1, created_by=actor, **values)
        policy.full_clean(exclude=["version"])
        policy.save()
        announce_on_commit(publication_changed, reason="suppression policy")
    return policy


def masked_cells_record(*, surface: str, masked: list[MaskedCell], rules: PolicyRules) -> None:
    """Every masked cell of one page, file or answer, in one query; a cell recorded before adds nothing."""
    if not masked:
        return
    MaskedCellRecord.objects.bulk_create(
        [
            MaskedCellRecord(
                policy_version=rules.version,
                surface=surface[:60],
                school_code=cell.school_code,
                field=cell.field[:120],
                period=cell.period[:20],
                reason=cell.reason,
            )
            for cell in masked
        ],
        ignore_conflicts=True,
    )
