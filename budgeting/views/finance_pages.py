"""What finance's budgeting pages (allocations, enrollment, formulas, scenarios) share: anyone else is
answered 404, as though the page did not exist (budgeting.policies says who finance is). Their forms go to
their services through core.form_pages.form_submit, as hidden pages."""

from django.http import Http404

from budgeting.policies import can_manage_budgeting


def finance_only(request) -> None:
    if not can_manage_budgeting(request.user):
        raise Http404("No such page.")
