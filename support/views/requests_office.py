"""Central office's support request pages: a department's queue (with its filters), the overdue list per
department, and the support categories the autonomy office sets. Anyone the policy does not let in is
told there is no such page (404)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from core.form_pages import form_submit
from core.idempotency import create_once, once_per_form_key
from core.querystring import query_without
from support.forms.requests import CategoryForm, QueueFilterForm
from support.models import Department, SupportCategory
from support.policies.requests import (
    can_manage_support_categories,
    can_view_department_queue,
    can_view_overdue,
    overdue_departments,
    queue_departments,
    support_requests_visible_to,
)
from support.selectors.requests import (
    LIVE,
    assignees_for,
    categories_by_department,
    department_queue,
    overdue_by_department,
    support_request_counts,
)
from support.services.support_request_categories import support_category_create, support_category_update

PAGE_SIZE = 25


@require_safe
@login_required
def request_queue(request):
    departments = queue_departments(request.user)
    if not departments:
        raise Http404("The queue is for the department's staff.")
    department = request.GET.get("department") or departments[0]
    if department not in departments or not can_view_department_queue(request.user, department):
        raise Http404("No such department.")
    staff = list(assignees_for(department))
    data = request.GET.copy() if request.GET else None
    if data is not None:  # a link that names no filter (the next page, the department) keeps the defaults
        data.setdefault("department", department)
        data.setdefault("status", LIVE)
    form = QueueFilterForm(
        data, departments=departments, staff=staff, initial={"department": department, "status": LIVE}
    )
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {"status": LIVE}
    today = timezone.localdate()
    requests = department_queue(
        user=request.user,
        department=department,
        status=filters.get("status"),
        assignee=filters.get("assignee") or None,
        overdue=filters.get("overdue", False),
        today=today,
    )
    everything = support_requests_visible_to(request.user).filter(department=department)
    context = {
        "form": form,
        "department": department,
        "department_name": Department(department).label,
        "counts": support_request_counts(everything, today=today),
        "page": Paginator(requests, PAGE_SIZE).get_page(request.GET.get("page")),
        "querystring": query_without(request.GET, "page"),
        "today": today,
        "may_see_overdue": bool(can_view_overdue(request.user)),
    }
    template = "support/requests/queue.html"
    if request.htmx:
        template += "#queue-results"
    return render(request, template, context)


@require_safe
@login_required
def request_overdue(request):
    if not can_view_overdue(request.user):
        raise Http404("The overdue list is for the department's head and the autonomy office.")
    today = timezone.localdate()
    groups = overdue_by_department(user=request.user, departments=overdue_departments(request.user), today=today)
    context = {"groups": groups, "today": today, "total": sum(len(rows) for _, _, rows in groups)}
    return render(request, "support/requests/overdue.html", context)


# --- the categories --------------------------------------------------------------------------------


def _office_only(request):
    if not can_manage_support_categories(request.user):
        raise Http404("Only the autonomy office sets the support categories.")


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
@once_per_form_key
def category_list(request):
    _office_only(request)
    form = CategoryForm(request.POST if request.method == "POST" else None)
    created, status = form_submit(
        request,
        form,
        lambda: create_once(
            request,
            lambda: support_category_create(
                actor=request.user,
                **{key: form.cleaned_data[key] for key in ("code", "name", "department")},
                deadline_business_days=form.cleaned_data["deadline_business_days"],
            ),
            result=lambda made: (request.path, f"the category “{made.name}”"),
        ),
        hidden=True,
    )
    if status is None:
        messages.success(request, f"“{created.name}” is added: schools can ask for it now.")
        return redirect("support:category_list")
    context = {"groups": categories_by_department(include_inactive=True), "form": form}
    return render(request, "support/requests/categories.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def category_edit(request, pk):
    _office_only(request)
    category = SupportCategory.objects.filter(pk=pk).first()
    if category is None:
        raise Http404("No such category.")
    initial = {
        "name": category.name,
        "department": category.department,
        "deadline_business_days": category.deadline_business_days,
        "active": category.active,
    }
    form = CategoryForm(request.POST if request.method == "POST" else None, initial=initial, editing=category)
    _saved, status = form_submit(
        request,
        form,
        lambda: support_category_update(actor=request.user, category_id=category.pk, **form.cleaned_data),
        hidden=True,
    )
    if status is None:
        messages.success(request, f"“{form.cleaned_data['name']}” is saved.")
        return redirect("support:category_list")
    context = {"category": category, "form": form}
    return render(request, "support/requests/category_edit.html", context, status=status)
