"""The networks pages in the authorization matrix: {url name: Page} in the vocabulary of tests/matrix_kit.py.

Networks are read by anyone signed in with a role; a school's network page by whoever sees the school;
only its principal asks to join a network or opts out of a service; the autonomy office alone decides
and keeps networks, teams, allowances and the window. Everyone else is told there is no such page (404).
The objects are added to the world on first use (networks_matrix_world)."""

from schools.models import Membership, Role
from support.models import Department, ServiceOptOut, TeamSeat
from support.services.networks import opt_out_allowance_set, team_seat_add
from support.services.networks_opt_outs import service_opt_out_record
from support.services.networks_requests import network_request_create
from tests.matrix_kit import ADMIN_ONLY, SCHOOL_PAGE, Page, login_or
from tests.support.networks_world import department_staff, network, window_open, years_now_and_next


def networks_matrix_world(world: dict) -> dict:
    """A window open for next year, a network with room, each school's pending request to join it, a
    seat on the own school's network's team, an allowance to opt out of data there, and each school's opt-out."""
    if "networks" in world:
        return world["networks"]
    now, nxt = years_now_and_next()
    window_open(nxt)
    zone = network("Matrix Zone")
    admin = world["users"][Role.ADMIN]
    data = department_staff(Department.DATA, head=True)
    requests, opt_outs = {}, {}
    for own in (True, False):
        school = world["own" if own else "other"]
        principal = Membership.objects.get(role=Role.PRINCIPAL, school=school).user
        requests[own] = network_request_create(
            actor=principal, school=school, school_year=nxt, network=zone, reason="The zone's coaching."
        )
        opt_out_allowance_set(actor=admin, network=school.network, department="data", terms="Own analyst.")
        opt_outs[own] = service_opt_out_record(actor=principal, school=school, school_year=now, department="data")
    own_network = world["own"].network
    seat = team_seat_add(actor=admin, network=own_network, department="data", user=data)
    world["networks"] = {
        "requests": requests,
        "opt_outs": opt_outs,
        "seat": seat,
        "allowance": own_network.opt_out_allowances.get(),
    }
    return world["networks"]


def _network(world, own):
    networks_matrix_world(world)
    return {"pk": world["own" if own else "other"].network_id}


def _school(world, own):
    networks_matrix_world(world)
    return {"code": world["own" if own else "other"].code}


def _request(world, own):
    return {"pk": networks_matrix_world(world)["requests"][own].pk}


def _seat(world, own):
    seat: TeamSeat = networks_matrix_world(world)["seat"]
    return {"pk": seat.network_id, "seat_pk": seat.pk}


def _allowance(world, own):
    allowance = networks_matrix_world(world)["allowance"]
    return {"pk": allowance.network_id, "allowance_pk": allowance.pk}


def _opt_out(world, own):
    opt_out: ServiceOptOut = networks_matrix_world(world)["opt_outs"][own]
    return {"code": opt_out.school.code, "pk": opt_out.pk}


ROLE_HOLDERS = login_or(others=200, no_role=404)
OFFICE_POSTS = login_or(others=404, admin=302)  # the office's change is made and it is sent back
OFFICE_EMPTY = login_or(others=404, admin=400)  # an empty decision is refused naming the field
PRINCIPAL_EMPTY = login_or(others=404, principal=(400, 404))

PAGES = {
    "support:network_list": Page(ROLE_HOLDERS),
    "support:network_detail": Page(ROLE_HOLDERS, kwargs=_network),
    "support:network_edit": Page(ADMIN_ONLY, kwargs=_network),
    "support:network_team": Page(ADMIN_ONLY, kwargs=_network),
    "support:network_team_remove": Page(OFFICE_POSTS, kwargs=_seat, method="post"),
    "support:network_allowances": Page(ADMIN_ONLY, kwargs=_network),
    "support:network_allowance_remove": Page(OFFICE_POSTS, kwargs=_allowance, method="post"),
    "support:network_window": Page(ADMIN_ONLY),
    "support:network_request_queue": Page(ADMIN_ONLY),
    "support:network_request_approve": Page(OFFICE_EMPTY, kwargs=_request, method="post"),
    "support:network_request_decline": Page(OFFICE_EMPTY, kwargs=_request, method="post"),
    # The principal withdraws the school's waiting request; nobody else may, and another school's is 404.
    "support:network_request_withdraw": Page(
        login_or(others=404, principal=(302, 404)), kwargs=_request, method="post"
    ),
    "support:network_school": Page(SCHOOL_PAGE, kwargs=_school),
    # The window is open: the principal's empty choice is refused naming the fields.
    "support:network_school_request": Page(PRINCIPAL_EMPTY, kwargs=_school, method="post"),
    "support:network_school_opt_out": Page(PRINCIPAL_EMPTY, kwargs=_school, method="post"),
    "support:network_school_opt_out_withdraw": Page(
        login_or(others=404, principal=(302, 404)), kwargs=_opt_out, method="post"
    ),
}
