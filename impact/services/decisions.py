"""The decision log's one write: a decision recorded, checked again against the policy (the page or the
API asked first) and against the row's own rules, and stated on the autonomy's catalog entry as its
latest evaluation decision (autonomy.services.evaluation), in the same transaction."""

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from autonomy.models import Autonomy
from autonomy.services.evaluation import autonomy_evaluation_decision_set
from core.errors import ApplicationError
from core.policies import require
from impact.models import AutonomyDecision
from impact.policies import can_record_decision

DECISION_LOG = "/impact/decisions/"  # the evidence the catalog links to when a decision names no page


def decision_record(
    *, actor: AbstractBaseUser, autonomy: Autonomy, decision: str, rationale: str, evidence_path: str = ""
) -> AutonomyDecision:
    require(can_record_decision(actor))
    row = AutonomyDecision(
        autonomy=autonomy,
        decision=decision,
        rationale=rationale.strip(),
        evidence_path=evidence_path.strip(),
        decided_by=actor,
    )
    try:
        row.full_clean()
    except ValidationError as error:
        raise ApplicationError("The decision was not recorded.", fields=error.message_dict) from error
    with transaction.atomic():
        row.save()
        autonomy_evaluation_decision_set(
            autonomy_id=autonomy.pk,
            decision=row.get_decision_display(),
            decided_on=timezone.localdate(row.decided_at),
            evidence_path=row.evidence_path or DECISION_LOG,
        )
    return row
