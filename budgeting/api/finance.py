"""The finance office's resources (formulas, scenarios): anyone else signed in is answered 404, the list as
well as each object, as budgeting's finance pages are — there is nothing there for them, not even a count."""

from rest_framework.exceptions import NotFound

from budgeting.policies import can_manage_budgeting


class FinanceOnlyMixin:
    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)  # 401 without credentials comes first
        if not can_manage_budgeting(request.user):
            raise NotFound()
