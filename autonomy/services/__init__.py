from autonomy.services.calls import call_create
from autonomy.services.catalog import autonomy_catalog_update
from autonomy.services.grants import grant_change, grants_expire_ended, grants_issue, grants_issue_to_scope
from autonomy.services.request_drafting import (
    ItemText,
    OutcomeInput,
    fields_at_places,
    request_create,
    request_missing,
    request_set_autonomies,
    request_set_outcomes,
    request_update_draft,
    request_update_items,
    request_update_plan,
)
from autonomy.services.request_review import (
    ItemChoice,
    request_comment,
    request_decide,
    request_decline,
    request_item_clarify,
    request_return,
    request_submit,
    request_withdraw,
)

__all__ = [
    "autonomy_catalog_update",
    "ItemChoice",
    "ItemText",
    "OutcomeInput",
    "fields_at_places",
    "call_create",
    "grant_change",
    "grants_expire_ended",
    "grants_issue",
    "grants_issue_to_scope",
    "request_comment",
    "request_create",
    "request_decide",
    "request_decline",
    "request_item_clarify",
    "request_missing",
    "request_return",
    "request_set_autonomies",
    "request_set_outcomes",
    "request_submit",
    "request_update_draft",
    "request_update_items",
    "request_update_plan",
    "request_withdraw",
]
