"""The key a creating form is drawn with, so a second post of the same page creates nothing
(see core.idempotency)."""

import uuid

from django import template

from core.idempotency import FORM_KEY_FIELD

register = template.Library()


@register.inclusion_tag("partials/form_key.html")
def form_key():
    """A hidden input with a fresh random key, each time the page is drawn."""
    return {"name": FORM_KEY_FIELD, "key": uuid.uuid4()}
