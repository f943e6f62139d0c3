"""What every page with a form handed to one service shares: a page only read is drawn with 200; a posted
form that does not check, with 400 and its errors; a refusal from the service (core.errors), its message
next to the fields it names, or on top, with the status the refusal carries (409 for a conflict, 404 for a
row gone). A page only some may know of answers a refusal for want of the role with 404, as its own check
does, so the answer does not tell a refused person the page exists."""

from collections.abc import Callable
from typing import TypeVar

from django.http import Http404

from core.errors import ApplicationError, NotPermitted

T = TypeVar("T")


def form_submit(request, form, call: Callable[[], T], *, hidden: bool = False) -> tuple[T | None, int | None]:
    """(the service's result, None) once a posted form checks and `call` accepts it; otherwise (None, the
    status to draw the page with again). `hidden`: the page is one only some may know of: a refusal for
    want of the role (NotPermitted) answers 404, as the page's own check would."""
    if request.method != "POST":
        return None, 200
    if not form.is_valid():
        return None, 400
    try:
        return call(), None
    except ApplicationError as error:
        if hidden and isinstance(error, NotPermitted):
            raise Http404("No such page.") from None
        form.add_application_error(error)
        return None, error.http_status
