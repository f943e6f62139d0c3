"""The support request pages a school and the answering department share: the school's requests, asking
for help, and one request with its record, its deadline and the steps open to the viewer.

Views parse, ask the policy, call one service and render; a request the user may not see is 404. The queue,
the overdue list and the categories are in support.views.requests_office.
"""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core.errors import ApplicationError, Conflict, NotPermitted
from core.form_pages import form_submit
from core.idempotency import create_once, once_per_form_key
from core.querystring import query_without
from core.templatetags.timelines import TimelineEntry, actor_words
from core.workflows import transition_attempt_decide
from schools.models import School
from schools.policies import can_view_school, roles_of
from schools.selectors import school_get_for_user
from support.forms.requests import STEP_FORMS, MessageForm, SupportRequestForm
from support.models import SupportRequest, SupportStatus
from support.policies.requests import (
    can_create_support_request,
    can_view_department_queue,
    can_write_message,
    sees_internal_notes,
    support_request_acts_as,
)
from support.selectors.requests import (
    assignees_for,
    school_support_requests,
    support_request_counts,
    support_request_get_for_user,
)
from support.services.support_request_steps import STEP_SERVICES
from support.services.support_requests import reason_words, support_request_create, support_request_message
from support.workflows import SUPPORT_REQUEST_WORKFLOW

PAGE_SIZE = 25

EVENT_HEADINGS = {
    "create": gettext_lazy("Asked for help"),
    "wait": gettext_lazy("Central office asked the school for more"),
    "answer": gettext_lazy("The school answered"),
    "reassign": gettext_lazy("Reassigned"),
    "resolve": gettext_lazy("Resolved"),
    "reopen": gettext_lazy("Reopened by the school"),
    "close": gettext_lazy("Closed and rated by the school"),
}
DONE = {
    "wait": gettext_lazy("The school has been asked; the deadline is paused until they answer."),
    "answer": gettext_lazy("Your answer was sent; the deadline runs again."),
    "reassign": gettext_lazy("The request is reassigned; they have been told."),
    "resolve": gettext_lazy("The request is resolved; the school has been told."),
    "reopen": gettext_lazy("The request is open again; the department has been told."),
    "close": gettext_lazy("Thank you: the request is closed with your rating."),
}
STEP_ARGUMENTS = {
    "wait": ("message",),
    "answer": ("message",),
    "resolve": ("message",),
    "reopen": ("reason",),
    "close": ("rating", "comment"),
    "reassign": ("assignee", "note"),
}


# --- the school's requests -----------------------------------------------------------------------------


@require_safe
@login_required
def request_home(request):
    """Where "Support" leads: a school's staff to their school's requests, central office to the queue."""
    roles = roles_of(request.user)
    if roles.school_ids:
        school = school_get_for_user(user=request.user, code=_first_school_code(roles.school_ids))
        return redirect("support:school_requests", school.code)
    if can_view_department_queue(request.user):
        return redirect("support:request_queue")
    raise Http404("No support requests for you.")


def _first_school_code(school_ids) -> str:
    return School.objects.filter(pk__in=school_ids).order_by("name").values_list("code", flat=True).first()


@require_safe
@login_required
def school_requests(request, code):
    school = school_get_for_user(user=request.user, code=code)
    requests = school_support_requests(user=request.user, school=school)
    status = request.GET.get("status", "")
    if status not in SupportStatus.values:
        status = ""
    counts = support_request_counts(requests)
    context = {
        "school": school,
        "counts": counts,
        "count_rows": [(label, counts[value]) for value, label in SupportStatus.choices],
        "status": status,
        "statuses": SupportStatus.choices,
        "page": Paginator(requests.filter(status=status) if status else requests, PAGE_SIZE).get_page(
            request.GET.get("page")
        ),
        "querystring": query_without(request.GET, "page"),
        "may_ask": bool(can_create_support_request(request.user, school)),
        "today": timezone.localdate(),
    }
    return render(request, "support/requests/school_list.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
@once_per_form_key
def request_new(request, code):
    school = school_get_for_user(user=request.user, code=code)
    if not can_create_support_request(request.user, school):
        raise Http404("Only the school's principal or leadership team ask for help in its name.")
    form = SupportRequestForm(request.POST if request.method == "POST" else None)
    created, status = form_submit(
        request,
        form,
        lambda: create_once(
            request,
            lambda: support_request_create(actor=request.user, school=school, **form.cleaned_data),
            result=lambda made: (
                reverse("support:request_detail", args=[made.pk]),
                _("your request “%(subject)s”") % {"subject": made.subject},
            ),
        ),
        hidden=True,
    )
    if status is not None:
        return render(request, "support/requests/new.html", {"school": school, "form": form}, status=status)
    who = created.assignee.get_full_name() or created.assignee.username if created.assignee else None
    department = created.get_department_display()
    sent_to = _("%(person)s of %(department)s") % {"person": who, "department": department} if who else department
    due = date_format(created.due_on, _("l, F j"))
    messages.success(request, _("Your request is sent to %(to)s. It is due %(due)s.") % {"to": sent_to, "due": due})
    return redirect("support:request_detail", created.pk)


# --- one request -----------------------------------------------------------------------------------


def deadline_words(support_request: SupportRequest, today: datetime.date) -> str:
    """The deadline as the request page states it: days left, overdue, paused, or how it was met."""
    due = date_format(support_request.due_on, _("l, F j, Y"))
    status = support_request.status
    if status in (SupportStatus.RESOLVED, SupportStatus.CLOSED) and support_request.resolved_at:
        resolved_on = timezone.localdate(support_request.resolved_at)
        on = date_format(resolved_on, _("F j, Y"))
        if resolved_on <= support_request.due_on:
            return _("Resolved on time, on %(on)s (due %(due)s).") % {"on": on, "due": due}
        return _("Resolved after the deadline, on %(on)s (due %(due)s).") % {"on": on, "due": due}
    if status == SupportStatus.WAITING:
        return _(
            "Paused while central office waits on the school (due %(due)s when it was paused). The deadline moves "
            "on by the business days the school takes to answer."
        ) % {"due": due}
    days = (support_request.due_on - today).days
    if days < 0:
        return ngettext(
            "Overdue by %(days)s day: it was due %(due)s.", "Overdue by %(days)s days: it was due %(due)s.", -days
        ) % {"days": -days, "due": due}
    if days == 0:
        return _("Due today, %(due)s.") % {"due": due}
    return ngettext("Due %(due)s: %(days)s day left.", "Due %(due)s: %(days)s days left.", days) % {
        "days": days,
        "due": due,
    }


def _timeline(support_request: SupportRequest) -> list[TimelineEntry]:
    entries = [
        (
            event.at,
            TimelineEntry(
                heading=EVENT_HEADINGS.get(event.action, event.action),
                at=event.at,
                by=actor_words(event.actor, otherwise=_("by the district's systems")),
                reason=reason_words(
                    event.reason, action=event.action, department=support_request.get_department_display()
                )
                if event.reason
                else event.reason,
            ),
        )
        for event in support_request.timeline_events
    ]
    entries += [
        (
            message.created_at,
            TimelineEntry(
                heading=_("Internal note (central office only)") if message.internal else _("Message"),
                at=message.created_at,
                by=actor_words(message.author, otherwise=""),
                reason=message.body,
            ),
        )
        for message in support_request.visible_messages
    ]
    return [entry for _, entry in sorted(entries, key=lambda pair: pair[0])]


def _step_form(action, support_request, data=None):
    form_class = STEP_FORMS[action]
    options = {"auto_id": f"{action}_%s", "initial": {"expected_status": support_request.status}}
    if action == "reassign":
        options["staff"] = assignees_for(support_request.department).exclude(pk=support_request.assignee_id)
    return form_class(data, **options)


def _render_detail(request, support_request, *, bound=None, message_form=None, status=200, refusal=""):
    bound = bound or {}
    user = request.user
    forms = {
        step.action: bound.get(step.action) or _step_form(step.action, support_request)
        for step in SUPPORT_REQUEST_WORKFLOW.person_steps_from(support_request.status)
        if support_request_acts_as(user, support_request, step.who)
    }
    may_note = bool(can_write_message(user, support_request, internal=True))
    may_reply = bool(can_write_message(user, support_request, internal=False))
    context = {
        "support_request": support_request,
        "school": support_request.school,
        "forms": forms,
        "entries": _timeline(support_request),
        "deadline": deadline_words(support_request, timezone.localdate()),
        "today": timezone.localdate(),
        "sees_notes": sees_internal_notes(user, support_request),
        "sees_school": bool(can_view_school(user, support_request.school)),
        "message_form": message_form or (MessageForm(may_note=may_note) if may_reply else None),
        "refusal": refusal,
    }
    return render(request, "support/requests/detail.html", context, status=status)


@require_safe
@login_required
def request_detail(request, pk):
    return _render_detail(request, support_request_get_for_user(user=request.user, pk=pk))


@require_POST
@login_required
def request_step(request, pk, action):
    if action not in STEP_FORMS:
        raise Http404("No such step.")
    support_request = support_request_get_for_user(user=request.user, pk=pk)
    decision = transition_attempt_decide(
        SUPPORT_REQUEST_WORKFLOW, request.user, support_request, action, support_request_acts_as
    )
    if not decision:
        return _render_detail(request, support_request, status=403, refusal=decision.reason)
    form = _step_form(action, support_request, request.POST)
    if not form.is_valid():
        return _render_detail(request, support_request, bound={action: form}, status=400)
    data = form.cleaned_data
    try:
        STEP_SERVICES[action](
            actor=request.user,
            request_id=support_request.pk,
            expected_status=data["expected_status"],
            **{name: data[name] for name in STEP_ARGUMENTS[action]},
        )
    except (Conflict, NotPermitted) as error:
        support_request = support_request_get_for_user(user=request.user, pk=pk)
        return _render_detail(request, support_request, status=error.http_status, refusal=error.message)
    except ApplicationError as error:
        form.add_application_error(error)
        return _render_detail(request, support_request, bound={action: form}, status=400)
    messages.success(request, DONE[action])
    return redirect("support:request_detail", support_request.pk)


@require_POST
@login_required
def request_message(request, pk):
    support_request = support_request_get_for_user(user=request.user, pk=pk)
    may_note = bool(can_write_message(request.user, support_request, internal=True))
    form = MessageForm(request.POST, may_note=may_note)
    if not (decision := can_write_message(request.user, support_request, internal=False)) and not may_note:
        return _render_detail(request, support_request, status=decision.http_status, refusal=decision.reason)
    if not form.is_valid():
        return _render_detail(request, support_request, message_form=form, status=400)
    internal = form.cleaned_data.get("internal", False)
    try:
        support_request_message(
            actor=request.user, request_id=support_request.pk, body=form.cleaned_data["body"], internal=internal
        )
    except (Conflict, NotPermitted) as error:
        return _render_detail(request, support_request, status=error.http_status, refusal=error.message)
    except ApplicationError as error:
        form.add_application_error(error)
        return _render_detail(request, support_request, message_form=form, status=400)
    messages.success(request, _("Your internal note is added.") if internal else _("Your message is sent."))
    return redirect("support:request_detail", support_request.pk)
