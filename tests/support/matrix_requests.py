"""The support request pages in the authorization matrix: {url name: Page} in the vocabulary of
tests/matrix_kit.py.

The world's finance reviewer is made finance department staff (not its head), and each school's principal
asks finance a question (unassigned: the school's network has no finance seat). A school's requests are its
staff's and its liaison's, and every central-office reader's; only the school's principal and team ask for
help; the department (here finance's staff) and the autonomy office answer; the head, the office and
viewers see the overdue list; only the office sets the categories. Anyone else: no such page (404).
The objects are added to the world on first use (requests_matrix_world)."""

from schools.models import Membership, Role
from support.models import DepartmentStaff, SupportCategory
from support.services.support_requests import support_request_create
from tests.matrix_kit import ADMIN_ONLY, SCHOOL_PAGE, Page, login_or


def requests_matrix_world(world: dict) -> dict:
    if "support_requests" in world:
        return world["support_requests"]
    DepartmentStaff.objects.get_or_create(user=world["users"][Role.REVIEWER], department="finance")
    category, _ = SupportCategory.objects.get_or_create(
        code="matrix-budget", defaults={"name": "Budget question", "department": "finance"}
    )
    requests = {}
    for own in (True, False):
        school = world["own" if own else "other"]
        principal = Membership.objects.get(role=Role.PRINCIPAL, school=school).user
        requests[own] = support_request_create(
            actor=principal, school=school, category=category, subject="Carryover", body="How much may we keep?"
        )
    world["support_requests"] = {"category": category, "requests": requests}
    return world["support_requests"]


def request_pk(world, own):
    return {"pk": requests_matrix_world(world)["requests"][own].pk}


def school_code(world, own):
    requests_matrix_world(world)
    return {"code": world["own" if own else "other"].code}


def no_kwargs(world, own):
    """The page takes no URL kwargs; the world still gets its department staff first."""
    requests_matrix_world(world)
    return {}


OWN_STAFF_ONLY = dict(principal=(200, 404), school_team=(200, 404))

PAGES = {
    # Where "Support" leads: the school's staff to their school's requests, central office to the queue.
    "support:request_home": Page(
        login_or(others=404, principal=302, school_team=302, reviewer=302, viewer=302, admin=302), kwargs=no_kwargs
    ),
    "support:school_requests": Page(SCHOOL_PAGE, kwargs=school_code),
    "support:request_new": Page(login_or(others=404, **OWN_STAFF_ONLY), kwargs=school_code),
    "support:request_detail": Page(SCHOOL_PAGE, kwargs=request_pk),
    # Resolving is the department's (finance's staff, the office); an empty reply is refused naming it.
    "support:request_step": Page(
        login_or(
            others=404,
            principal=(403, 404),
            school_team=(403, 404),
            liaison=(403, 404),
            reviewer=400,
            viewer=403,
            admin=400,
        ),
        kwargs=lambda world, own: {**request_pk(world, own), "action": "resolve"},
        method="post",
    ),
    # A message: the school's staff and the department write; the liaison and viewers read only.
    "support:request_message": Page(
        login_or(
            others=404,
            principal=(400, 404),
            school_team=(400, 404),
            liaison=(403, 404),
            reviewer=400,
            viewer=403,
            admin=400,
        ),
        kwargs=request_pk,
        method="post",
    ),
    "support:request_queue": Page(login_or(others=404, reviewer=200, viewer=200, admin=200), kwargs=no_kwargs),
    "support:request_overdue": Page(login_or(others=404, viewer=200, admin=200), kwargs=no_kwargs),
    "support:category_list": Page(ADMIN_ONLY),
    "support:category_edit": Page(
        ADMIN_ONLY, kwargs=lambda world, own: {"pk": requests_matrix_world(world)["category"].pk}
    ),
}
