"""The catalog's line on the district's latest evaluation decision about an autonomy.

Why a service of this app rather than a hook in core: the decision is recorded by the evaluation
(impact), which sits above autonomy and may call autonomy's services, as every later app changes an
earlier app's data. Calling this service inside the decision's own transaction writes the log row and
the catalog's line together (both or neither), and the catalog reads the line from the Autonomy row it
already loads: no extra query, and no read of impact's table, which autonomy may not import. A hook in
core would serve an event the lower app announces upwards; here the higher app acts downwards.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from autonomy.models import Autonomy
from core.errors import ApplicationError

EVIDENCE_PREFIX = "/impact/"
FIELDS = ["evaluation_decision", "evaluation_decided_on", "evaluation_evidence_path"]


@transaction.atomic
def autonomy_evaluation_decision_set(
    *, autonomy_id: int, decision: str, decided_on: datetime.date, evidence_path: str
) -> Autonomy:
    """Record `decision` (its words, as the catalog shows them) as the autonomy's latest. A decision dated
    before the one the catalog shows does not replace it: the line is the latest, whatever the order of
    the calls. Locks the autonomy's row."""
    autonomy = Autonomy.objects.select_for_update().get(pk=autonomy_id)
    errors = {}
    if not decision.strip():
        errors["decision"] = ["Say what the district decided."]
    if evidence_path and not evidence_path.startswith(EVIDENCE_PREFIX):
        errors["evidence_path"] = ["Link to a page of Is autonomy working?"]
    if errors:
        raise ApplicationError("The catalog was not updated.", fields=errors)
    if autonomy.evaluation_decided_on and decided_on < autonomy.evaluation_decided_on:
        return autonomy
    autonomy.evaluation_decision = decision.strip()
    autonomy.evaluation_decided_on = decided_on
    autonomy.evaluation_evidence_path = evidence_path
    try:
        autonomy.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        raise ApplicationError("The catalog was not updated.", fields=error.message_dict) from error
    autonomy.save(update_fields=[*FIELDS, "updated_at"])
    return autonomy
