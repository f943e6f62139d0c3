"""Who sees and answers support requests: one place, asked by the pages, the API and the services.

- The school's principal and team see their school's requests, raise them, answer, reopen and close.
- The school's liaison sees the requests of the caseload's schools, read only, as the school sees them: the
  liaison is the school's partner, not the department answering, so internal notes stay with central office.
- Department staff see their department's requests from every school and answer them; so does whoever a
  request is assigned to. The autonomy office may stand in for any department.
- The department's head and the autonomy office see the overdue lists; a viewer reads everything.
- Internal notes are central office's: the department's staff, the assignee, the autonomy office, viewers.
Any other request answers 404, never a hint it exists.
"""

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Q, QuerySet

from core.policies import ALLOW, Decision, conflict, deny
from core.workflows import Actor
from schools.models import Role, School
from schools.policies import acts_at_school_as, autonomy_office, roles_of
from support.models import Department, SupportCategory, SupportRequest, SupportStatus
from support.policies.staff import departments_of, heads, works_in


def reads_everything(user: AbstractBaseUser) -> bool:
    """The autonomy office and viewers read every department's requests."""
    roles = roles_of(user)
    return roles.is_admin or Role.VIEWER in roles.district


def support_requests_visible_to(user: AbstractBaseUser) -> QuerySet[SupportRequest]:
    requests = SupportRequest.objects.all()
    if not user.is_authenticated:
        return requests.none()
    if reads_everything(user):
        return requests
    roles = roles_of(user)
    seen = Q(school_id__in=roles.school_ids) | Q(department__in=list(departments_of(user))) | Q(assignee=user)
    if Role.LIAISON in roles.district:
        seen |= Q(school__liaison=user)
    return requests.filter(seen)


def sees_internal_notes(user: AbstractBaseUser, request: SupportRequest) -> bool:
    """Central office handling the request: never the school's own people, nor its liaison."""
    if request.school_id in roles_of(user).school_ids:
        return False
    return reads_everything(user) or works_in(user, request.department) or request.assignee_id == user.pk


def support_request_acts_as(user: AbstractBaseUser, request: SupportRequest, who: Actor) -> Decision:
    """The kernel's question for SUPPORT_REQUEST_WORKFLOW: the reviewer is the department the request is
    routed to (its staff, the assignee, the autonomy office standing in), never someone at the school."""
    if who == Actor.REVIEWER:
        if request.school_id in roles_of(user).school_ids:
            return deny("You work at this school, so you cannot answer its request for the department.")
        if works_in(user, request.department) or request.assignee_id == user.pk or roles_of(user).is_admin:
            return ALLOW
        return deny(f"Only {Department(request.department).label} staff answer this request.")
    return acts_at_school_as(user, school_id=request.school_id, who=who)


def can_create_support_request(user: AbstractBaseUser, school: School) -> Decision:
    """Only the school's principal or team ask for help in the school's name."""
    return acts_at_school_as(user, school_id=school.pk, who=Actor.SCHOOL_STAFF)


def can_write_message(user: AbstractBaseUser, request: SupportRequest, *, internal: bool) -> Decision:
    """A reply: the school's staff or the department; an internal note: the department only. Not once closed."""
    department = support_request_acts_as(user, request, Actor.REVIEWER)
    if internal:
        if not department:
            return deny("Only central office writes internal notes.")
    elif not (department or acts_at_school_as(user, school_id=request.school_id, who=Actor.SCHOOL_STAFF)):
        return deny("Only the school's staff and the department write on this request.")
    if request.status == SupportStatus.CLOSED:
        return conflict("This request is closed: nothing more can be written on it.")
    return ALLOW


def can_view_department_queue(user: AbstractBaseUser, department: str | None = None) -> Decision:
    """A department's staff see its queue; the autonomy office and viewers see every department's."""
    if reads_everything(user):
        return ALLOW
    if department is None and departments_of(user):
        return ALLOW
    if department is not None and works_in(user, department):
        return ALLOW
    return deny("The queue is for the department's staff.")


def queue_departments(user: AbstractBaseUser) -> list[str]:
    """The departments whose queue the user may open, in the order the district lists them."""
    if reads_everything(user):
        return list(Department.values)
    mine = departments_of(user)
    return [value for value in Department.values if value in mine]


def can_view_overdue(user: AbstractBaseUser, department: str | None = None) -> Decision:
    """The overdue list: the department's head, the autonomy office, and viewers (who read everything)."""
    if reads_everything(user):
        return ALLOW
    if department is None and any(departments_of(user).values()):
        return ALLOW
    if department is not None and heads(user, department):
        return ALLOW
    return deny("The overdue list is for the department's head and the autonomy office.")


def overdue_departments(user: AbstractBaseUser) -> list[str]:
    if reads_everything(user):
        return list(Department.values)
    return [value for value in Department.values if departments_of(user).get(value)]


def can_manage_support_categories(user: AbstractBaseUser) -> Decision:
    return autonomy_office(user, "Only the autonomy office sets the support categories and their deadlines.")


def support_categories_visible_to(user: AbstractBaseUser) -> QuerySet[SupportCategory]:
    """Every signed-in person reads the categories that are offered; the autonomy office sees retired ones too."""
    categories = SupportCategory.objects.all()
    return categories if can_manage_support_categories(user) else categories.filter(active=True)
