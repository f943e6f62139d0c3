"""The budget's landing page, the navigation's "Budget": finance gets its desk, a principal or school team
member of one school their school's plan, and everyone else the schools they see with their allocations."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from budgeting.models import PlanStatus
from budgeting.policies import is_finance
from budgeting.selectors_home import finance_desk, school_budgets
from schools.policies import roles_of

PAGE_SIZE = 50


@require_safe
@login_required
def budget_home(request):
    user = request.user
    if is_finance(user):
        return render(request, "budgeting/budget_home_finance.html", {"desk": finance_desk(user=user)})
    roles = roles_of(user)
    if len(roles.school_ids) == 1 and not roles.is_central_office:
        schools = school_budgets(user=user)
        return redirect("budgeting:plan_detail", schools.values_list("code", flat=True).get())
    page = Paginator(school_budgets(user=user), PAGE_SIZE).get_page(request.GET.get("page"))
    for school in page:
        school.plan_words = PlanStatus(school.plan_status).label if school.plan_status else ""
    return render(request, "budgeting/budget_home.html", {"page": page})
