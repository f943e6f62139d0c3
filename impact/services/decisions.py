"""The decision log's one write: a decision recorded, checked again against the policy (the view asked
first) and against the row's own rules."""

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction

from autonomy.models import Autonomy
from core.errors import ApplicationError
from core.policies import require
from impact.models import AutonomyDecision
from impact.policies import can_record_decision


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
    return row
