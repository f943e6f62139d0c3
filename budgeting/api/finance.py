"""The finance office's resources (formulas, scenarios): anyone else signed in is refused the list (403, with
the reason, as every other office-only list of the API is) and answered 404 for each object, as budgeting's
finance pages are: an id tells them nothing."""

from rest_framework.exceptions import NotFound

from budgeting.policies import can_manage_budgeting
from core.errors import NotPermitted


class FinanceOnlyMixin:
    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)  # 401 without credentials comes first
        if not (decision := can_manage_budgeting(request.user)):
            raise NotPermitted(decision.reason) if self.action == "list" else NotFound()
