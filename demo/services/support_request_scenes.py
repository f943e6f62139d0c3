"""The demo's support requests: the categories a district starts with, and requests in every state, made
through the same services as the pages, then dated back so the record reads as days of work: one just
asked, one waiting on its school, one resolved, two closed with ratings (one late), and two overdue (an open
one and a reopened one), overdue relative to the day the demo is seeded.

Runs after the budget scene and after the networks scene (which seats department staff on each network's
team); a department with no staff yet gets its head here, `dept-<department>-head`.
"""

import datetime
import random

from django.contrib.auth import get_user_model
from django.utils import timezone

from demo.services.builder import DistrictBuilder
from schools.models import Membership, Role
from support.models import Department, DepartmentStaff, SupportCategory, SupportRequest, SupportRequestEvent
from support.services.business_days import due_date
from support.services.support_request_steps import (
    support_request_close,
    support_request_reopen,
    support_request_resolve,
    support_request_wait,
)
from support.services.support_requests import support_request_create, support_request_message

# (code, name, department, deadline in business days): the field's default is 5; repairs and payroll
# are quicker, hiring and special education take longer.
CATEGORIES = [
    ("hiring", "Hiring and vacancies", Department.HR, 10),
    ("payroll", "Payroll correction", Department.HR, 3),
    ("budget-question", "Budget question", Department.FINANCE, 5),
    ("facilities-repair", "Facilities repair", Department.OPERATIONS, 3),
    ("transportation", "Bus routes and transportation", Department.OPERATIONS, 5),
    ("special-education", "Special education services", Department.SPECIAL_EDUCATION, 7),
    ("data-reports", "Data and assessment reports", Department.DATA, 5),
    ("curriculum", "Curriculum and instruction", Department.ACADEMICS, 5),
]


def requests_scene(district: DistrictBuilder, *, rng: random.Random) -> None:
    categories = _categories()
    heads = _department_heads(district)
    principals = {
        m.school_id: m.user
        for m in Membership.objects.filter(role=Role.PRINCIPAL, school__in=district.schools).select_related("user")
    }
    schools = [school for school in district.schools if school.pk in principals]
    first, others = schools[0], schools[1:] or schools
    pick = lambda: rng.choice(others)  # noqa: E731
    today = timezone.localdate()

    def ask(school, code, subject, body):
        return support_request_create(
            actor=principals[school.pk], school=school, category=categories[code], subject=subject, body=body
        )

    def head(request):
        return heads[request.department]

    # Just asked.
    fresh = ask(
        first, "facilities-repair", "Broken heating in room 12", "The radiator in room 12 has been cold all week."
    )
    _dated(fresh, [1])
    # Waiting on the school: finance needs last year's figures.
    waiting = ask(first, "budget-question", "Title I carryover", "How much of last year's Title I may we carry over?")
    support_request_wait(actor=head(waiting), request_id=waiting.pk, message="Send us last year's Title I ledger.")
    _dated(waiting, [4, 2])
    # Resolved, waiting for the school to close it.
    resolved = ask(first, "data-reports", "Spring assessment file", "We need the spring results by student.")
    support_request_resolve(
        actor=head(resolved), request_id=resolved.pk, message="The file is in your school's data folder."
    )
    _dated(resolved, [6, 1])
    # Closed with ratings: one on time, one late.
    kind = ask(first, "hiring", "Posting for a science teacher", "Please post our science vacancy.")
    support_request_resolve(actor=head(kind), request_id=kind.pk, message="Posted on the district's site.")
    support_request_close(actor=principals[first.pk], request_id=kind.pk, rating=4, comment="Quick and clear.")
    _dated(kind, [30, 26, 24])
    late = ask(pick(), "transportation", "Bus stop change", "A new stop is needed on Elm Street.")
    support_request_resolve(actor=head(late), request_id=late.pk, message="The stop is added from Monday.")
    support_request_close(
        actor=principals[late.school_id], request_id=late.pk, rating=2, comment="It took more than two weeks."
    )
    _dated(late, [40, 22, 21])
    # Overdue: an open request, and one the school reopened.
    overdue = ask(pick(), "special-education", "Speech therapist hours", "Our speech therapist's hours were cut.")
    support_request_message(
        actor=head(overdue), request_id=overdue.pk, body="Checking the therapists' schedule.", internal=False
    )
    support_request_message(
        actor=head(overdue), request_id=overdue.pk, body="Two schools share her; ask the director.", internal=True
    )
    _dated(overdue, [_overdue_days_ago(today, categories["special-education"].deadline_business_days)])
    reopened = ask(pick(), "curriculum", "Math materials", "We have not received the new math materials.")
    support_request_resolve(actor=head(reopened), request_id=reopened.pk, message="Shipped on Tuesday.")
    support_request_reopen(
        actor=principals[reopened.school_id], request_id=reopened.pk, reason="Only half the boxes came."
    )
    ago = _overdue_days_ago(today, categories["curriculum"].deadline_business_days)
    _dated(reopened, [ago + 9, ago + 6, ago], due_from=ago)


def _categories() -> dict[str, SupportCategory]:
    found = {}
    for code, name, department, days in CATEGORIES:
        found[code], _ = SupportCategory.objects.get_or_create(
            code=code, defaults={"name": name, "department": department, "deadline_business_days": days}
        )
    return found


def _department_heads(district: DistrictBuilder) -> dict:
    """Each department's head, or its first staff member; a department with none gets `dept-<department>-head`."""
    staff = {}
    for row in DepartmentStaff.objects.select_related("user").order_by("department", "-is_head", "user__username"):
        staff.setdefault(row.department, row.user)
    User = get_user_model()
    for department, label in Department.choices:
        if department in staff:
            continue
        username = f"dept-{department}-head".replace("_", "-")
        user, made = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": district.rng.choice(["Jordan", "Priya", "Sam", "Elena", "Marcus", "Aisha"]),
                "last_name": district.rng.choice(["Lee", "Okafor", "Garcia", "Novak", "Brooks", "Haddad"]),
                "email": f"{username}@riverbend.example",
                "password": district.password_hash,
            },
        )
        DepartmentStaff.objects.get_or_create(user=user, department=department, defaults={"is_head": True})
        if made:
            district.logins.users.append((f"Department head, {label}", username))
        staff[department] = user
    return staff


def _overdue_days_ago(today: datetime.date, business_days: int) -> int:
    """How many days ago a request must have been made to be past its deadline today (weekends and the
    district's closures counted as the product counts them)."""
    ago = business_days + 5
    while due_date(today - datetime.timedelta(days=ago), business_days) >= today:
        ago += 3
    return ago


def _dated(request: SupportRequest, days_ago: list[int], *, due_from: int | None = None) -> None:
    """Date the request's record back: its creation, then each step, `days_ago` each (oldest first). Its
    deadline is counted from its creation (or from `due_from` days ago, when it was reopened then), and
    moved on by any business days it waited on its school, as the services count it."""
    now = timezone.now()
    at = [now - datetime.timedelta(days=days, hours=2) for days in days_ago]
    events = list(request.events.order_by("pk"))
    for event, moment in zip(events, at, strict=True):
        SupportRequestEvent.objects.filter(pk=event.pk).update(at=moment)
    request.messages.update(created_at=at[-1] + datetime.timedelta(hours=3))
    request.refresh_from_db()
    start = timezone.localdate(now - datetime.timedelta(days=due_from if due_from is not None else days_ago[0]))
    changes = {"created_at": at[0], "due_on": due_date(start, request.category.deadline_business_days)}
    resolve = next((moment for event, moment in zip(events, at, strict=True) if event.action == "resolve"), None)
    if request.resolved_at is not None and resolve is not None:
        changes["resolved_at"] = resolve
    SupportRequest.objects.filter(pk=request.pk).update(**changes)
