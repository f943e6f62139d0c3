"""What finance's budgeting pages (allocations, enrollment, formulas, scenarios) share: anyone else is
answered 404, as though the page did not exist, and a posted form is checked, handed to one service, and a
refusal put on the form with the status it carries (budgeting.policies says who finance is; core.errors
what a refusal is)."""

from collections.abc import Callable
from typing import TypeVar

from django.http import Http404

from budgeting.policies import can_manage_budgeting
from core.errors import ApplicationError, NotPermitted

T = TypeVar("T")


def finance_only(request) -> None:
    if not can_manage_budgeting(request.user):
        raise Http404("No such page.")


def form_submit(request, form, call: Callable[[], T]) -> tuple[T | None, int | None]:
    """(the service's result, None) once a posted form checks and the service accepts it; otherwise (None,
    the status to draw the page with): 200 for a page only read, 400 for a form that does not check, the
    refusal's own (409 for a conflict) with its message next to the fields it names, or on top. A role taken
    away since the page's own check is 404, as that check would have answered."""
    if request.method != "POST":
        return None, 200
    if not form.is_valid():
        return None, 400
    try:
        return call(), None
    except NotPermitted:
        raise Http404("No such page.") from None
    except ApplicationError as error:
        form.add_application_error(error)
        return None, error.http_status
