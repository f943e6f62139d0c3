"""The networks API in the API's authorization matrix: {router URL name: [Call, …]} in the vocabulary of
tests/api/matrix_kit.py, and what the calls need added to the module's world (built once per module).

Networks are read by anyone signed in with a role (a user without one gets an empty list, and 404 for
one network); memberships and requests are scoped to the schools a user sees. Only a principal asks (an
empty body is refused naming the fields); the autonomy office approves (a body with nothing in it is a
plain approval: 200) and declines (a note is needed: 400); the principal withdraws (200)."""

from schools.models import Role
from support.services.networks import network_memberships_record
from tests.api.matrix_kit import SIGNED_IN, VISIBLE, Call, on_object, post
from tests.matrix_kit import table
from tests.support.matrix_networks import networks_matrix_world
from tests.support.networks_world import years_now_and_next


def _request(world, own):
    return {"pk": world["networks"]["requests"][own].pk}


def _network(world, own):
    return {"pk": world["own"].network_id}


API = {
    "api:network-list": [Call(SIGNED_IN)],
    "api:network-detail": [Call(table(anonymous=401, no_role=404, others=200), kwargs=_network, per_school=False)],
    "api:network-membership-list": [Call(SIGNED_IN)],
    "api:network-request-list": [
        Call(SIGNED_IN),
        post(table(anonymous=401, others=403, principal=400)),
    ],
    "api:network-request-detail": [Call(VISIBLE, kwargs=_request)],
    "api:network-request-approve": [post(on_object(admin=200), _request)],
    "api:network-request-decline": [post(on_object(admin=400), _request)],
    "api:network-request-withdraw": [post(on_object(principal=200), _request)],
}


def add_to_world(world: dict) -> None:
    """Each school's pending request and data opt-out (tests/support/matrix_networks.py), and this year's
    memberships recorded from where the schools are."""
    networks_matrix_world(world)
    now, _ = years_now_and_next()
    network_memberships_record(actor=world["users"][Role.ADMIN], school_year=now)
