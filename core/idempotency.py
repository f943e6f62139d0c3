"""A form that creates something, posted twice, creates it once.

The page draws a fresh random key into the form (`{% form_key %}` from core.templatetags.form_keys). The
view wraps its one creating service call in `create_once`, which writes a `SubmittedForm` row for the key
in the same transaction as the creation. A second post of that page finds the row and is answered with a
redirect to what the first one created (the view carries `@once_per_form_key`, which turns
`AlreadyCreated` into that answer). Two posts at the same instant meet on the row's unique key: on
PostgreSQL the second insert waits until the first transaction commits, then fails, and the second post
reads the first one's row. If the creation fails, the row is rolled back with it and the page can be
posted again.

A post without a key, or with one that is not a key (an old page, a script, junk), creates as before.
"""

import datetime
import functools
import uuid
from collections.abc import Callable
from typing import TypeVar

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import SubmittedForm

FORM_KEY_FIELD = "form_key"
KEY_LIFETIME = datetime.timedelta(days=1)

T = TypeVar("T")


class AlreadyCreated(Exception):
    """This page was already posted and created something: `submitted` says what and where."""

    def __init__(self, submitted: SubmittedForm):
        super().__init__(submitted.label)
        self.submitted = submitted


def form_key_from(request) -> uuid.UUID | None:
    """The key the page was drawn with; anything that is not one is no key."""
    value = request.POST.get(FORM_KEY_FIELD, "")
    if not isinstance(value, str) or len(value) > 64:
        return None
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


def create_once(request, create: Callable[[], T], *, result: Callable[[T], tuple[str, str]]) -> T:
    """Call `create()` unless this page's key was already used; `result(obj)` gives (url, label) of what
    was created, for the second post. Raises AlreadyCreated for a second post; lets the creation's own
    errors through, with nothing recorded."""
    key = form_key_from(request)
    if key is None or not request.user.is_authenticated:
        return create()
    # Outside the transaction below, so the expired rows are not held locked while the object is created.
    SubmittedForm.objects.filter(user=request.user, created_at__lt=timezone.now() - KEY_LIFETIME).delete()
    with transaction.atomic():
        try:
            with transaction.atomic():
                submitted = SubmittedForm.objects.create(user=request.user, key=key)
        except IntegrityError:
            raise AlreadyCreated(SubmittedForm.objects.get(user=request.user, key=key)) from None
        obj = create()
        url, label = result(obj)
        submitted.url, submitted.label = url[:300], label[:300]
        submitted.save(update_fields=["url", "label"])
    return obj


def once_per_form_key(view):
    """Answer a second post of a creating page with a redirect to the first one's result."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except AlreadyCreated as already:
            submitted = already.submitted
            messages.info(request, _("This was already created: %(label)s.") % {"label": submitted.label})
            return redirect(submitted.url or "/")

    return wrapper
