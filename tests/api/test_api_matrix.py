"""Every API URL × every role × own/other school answers what its policy says, with a real token.

The test enumerates the router's URL names itself: an endpoint that is not listed in API fails the
build until somebody states who may call it. Reads are GETs; writes (creating, the workflow's steps)
are POSTs with an empty JSON body, which tells the roles apart without taking the step: 401 without a
token, 404 for an object of a school the user does not work with (nothing to learn from it), 403 for a
role that may never take the step, 409 for a step not open in the object's state, 400 for the role that
may take it (the empty body is refused, naming the fields). A step whose body is entirely optional
(withdraw, acknowledge) is taken: 200. Each role's call is rolled back before the next role's.

"Own" objects belong to the school of the principal and the school team and to the liaison's caseload;
"other" to a school none of them works with; the reviewer's function is finance, which both schools'
requests touch. Central-office roles see both alike.
"""

import pytest
from django.db import transaction
from django.urls import reverse
from rest_framework.test import APIClient

from accountability.models import EvaluationRun
from accounts.services import api_token_create
from budgeting.models import SchoolAllocation
from metrics.models import Observation
from tests.api.matrix_kit import ADMIN_ONLY, ADMIN_WRITES, FINANCE_ONLY, SIGNED_IN, VISIBLE, Call, on_object, one, post
from tests.budgeting.matrix_world import budget_world
from tests.matrix_kit import ANON, ROLES, table
from tests.support.api_matrix import SUPPORT_API, support_api_world
from tests.test_authorization_matrix import API_URLS
from tests.world import world_for_module

pytestmark = pytest.mark.django_db


def pk_of(key):
    return lambda world, own: {"pk": world[key][own].pk}


def school_code(world, own):
    return {"code": world["own" if own else "other"].code}


def observation_pk(world, own):
    return {"pk": Observation.objects.get(school=world["own" if own else "other"], metric__code="ela_proficiency").pk}


REQUEST, GRANT, CONTRACT, FLAG = pk_of("requests"), pk_of("grants"), pk_of("contracts"), pk_of("flags")


def budget(key, **rows):
    """Budgeting's object of the own or other school (tests/budgeting/matrix_world.py), by pk; `rows` name
    a row of the plan as a URL kwarg (`line_id="lines"`)."""

    def kwargs(world, own):
        objects = budget_world(world)
        found = objects[key]
        return {
            "pk": (found[own] if isinstance(found, dict) else found).pk,
            **{name: objects[row][own].pk for name, row in rows.items()},
        }

    return kwargs


def allocation_pk(world, own):
    school = world["own" if own else "other"]
    return {"pk": SchoolAllocation.objects.get(allocation_set=budget_world(world)["set"], school=school).pk}


def finance_only(key=None):
    """Finance's lists refuse anyone else (403); its objects answer them 404."""
    expect = FINANCE_ONLY if key else table(anonymous=401, others=403, reviewer=200, admin=200)
    return Call(expect, kwargs=budget(key) if key else None, per_school=False)


PLAN = budget("plans")

API = {
    "api:api-root": [Call(SIGNED_IN)],
    # The catalogs every signed-in user reads.
    "api:metric-list": [Call(SIGNED_IN)],
    "api:metric-detail": [one({"code": "ela_proficiency"})],
    "api:autonomy-list": [Call(SIGNED_IN)],
    "api:autonomy-detail": [one({"code": "people.hiring"})],
    "api:call-list": [Call(SIGNED_IN), post(ADMIN_WRITES)],
    "api:call-detail": [Call(SIGNED_IN, kwargs=lambda world, own: {"pk": world["call"].pk}, per_school=False)],
    # Lists answer 200 to every signed-in user, scoped to what they may see (nothing, without a role).
    "api:school-list": [Call(SIGNED_IN)],
    "api:school-detail": [Call(VISIBLE, kwargs=school_code)],
    "api:observation-list": [Call(SIGNED_IN)],
    "api:observation-detail": [Call(VISIBLE, kwargs=observation_pk)],
    "api:observation-bulk": [post(table(anonymous=401, others=403, admin=400))],
    # Requests: the school's staff start and edit drafts, only the principal submits and withdraws, reviewers of
    # a function the request touches comment, the autonomy office returns, declines and decides. The
    # world's requests are submitted: no longer editable (409), submitted already (409).
    "api:request-list": [
        Call(SIGNED_IN),
        post(table(anonymous=401, others=403, principal=400, school_team=400)),
    ],
    "api:request-detail": [
        Call(VISIBLE, kwargs=REQUEST),
        Call(on_object(principal=409, school_team=409), method="patch", kwargs=REQUEST),
    ],
    "api:request-submit": [post(on_object(principal=409), REQUEST)],
    "api:request-withdraw": [post(on_object(principal=200), REQUEST)],
    "api:request-return": [post(on_object(admin=400), REQUEST)],
    "api:request-decline": [post(on_object(admin=400), REQUEST)],
    "api:request-approve": [post(on_object(admin=400), REQUEST)],
    "api:request-comment": [post(on_object(reviewer=400, admin=400), REQUEST)],
    "api:request-recommend": [post(on_object(reviewer=400, admin=400), REQUEST)],
    # Grants: read by whoever sees the school; changed by the autonomy office only, always with a reason.
    "api:grant-list": [Call(SIGNED_IN)],
    "api:grant-detail": [Call(VISIBLE, kwargs=GRANT)],
    "api:grant-suspend": [post(on_object(admin=400), GRANT)],
    "api:grant-revoke": [post(on_object(admin=400), GRANT)],
    "api:grant-restore": [post(on_object(admin=400), GRANT)],
    "api:grant-reinstate": [post(on_object(admin=400), GRANT)],
    "api:grant-cure": [post(on_object(admin=400), GRANT)],
    # Contracts: the world's are active, so proposing, signing and countersigning are over (409 to whoever
    # sees them); the autonomy office amends (a reason is needed) and drafts new ones.
    "api:contract-list": [Call(SIGNED_IN), post(ADMIN_WRITES)],
    "api:contract-detail": [Call(VISIBLE, kwargs=CONTRACT)],
    "api:contract-amend": [post(on_object(admin=400), CONTRACT)],
    "api:contract-propose": [post(on_object(school=409, central=409), CONTRACT)],
    "api:contract-sign": [post(on_object(school=409, central=409), CONTRACT)],
    "api:contract-countersign": [post(on_object(school=409, central=409), CONTRACT)],
    # Evaluation runs: the autonomy office's only.
    "api:evaluation-run-list": [Call(ADMIN_ONLY), post(ADMIN_WRITES)],
    "api:evaluation-run-detail": [
        Call(ADMIN_ONLY, kwargs=lambda world, own: {"pk": EvaluationRun.objects.get().pk}, per_school=False)
    ],
    # Flags: the liaison (or the office) acknowledges, the principal submits a plan, the office resolves and
    # escalates. The world's flags are open.
    "api:flag-list": [Call(table(anonymous=401, no_role=403, others=200))],
    "api:flag-detail": [Call(VISIBLE, kwargs=FLAG)],
    "api:flag-acknowledge": [post(on_object(liaison=200, admin=200), FLAG)],
    "api:flag-submit-plan": [post(on_object(principal=400), FLAG)],
    "api:flag-resolve": [post(on_object(admin=400), FLAG)],
    "api:flag-escalate": [post(on_object(admin=400), FLAG)],
    # Budgeting: the formula and what-ifs are finance's; an allocation, once released, is seen by whoever
    # sees the school (the world's set is released).
    "api:formula-version-list": [finance_only()],
    "api:formula-version-detail": [finance_only("formula")],
    "api:scenario-list": [finance_only()],
    "api:scenario-detail": [finance_only("scenario")],
    "api:scenario-comparison": [finance_only("scenario")],
    "api:allocation-list": [Call(SIGNED_IN)],
    "api:allocation-detail": [Call(VISIBLE, kwargs=allocation_pk)],
    # Plans: whoever sees the school reads its plan (the world's were submitted, then returned for changes);
    # only the principal writes the open plan's rows, asked before the body is read: anyone else who sees the
    # plan is refused (403), and the principal's empty body is refused naming the fields (400). Removing the
    # principal's own line is taken; the seeded principal's position is mandated and stays (400).
    "api:budget-plan-list": [Call(SIGNED_IN)],
    "api:budget-plan-detail": [Call(VISIBLE, kwargs=PLAN)],
    "api:budget-plan-line-add": [post(on_object(principal=400), PLAN)],
    "api:budget-plan-line": [
        Call(on_object(principal=400), method="put", kwargs=budget("plans", line_id="lines")),
        Call(on_object(principal=200), method="delete", kwargs=budget("plans", line_id="lines")),
    ],
    "api:budget-plan-position-add": [post(on_object(principal=400), PLAN)],
    "api:budget-plan-position": [
        Call(on_object(principal=400), method="put", kwargs=budget("plans", position_id="positions")),
        Call(on_object(principal=400), method="delete", kwargs=budget("plans", position_id="positions")),
    ],
    # Open data: anyone, with or without a token (tests/reports/test_public_api.py: throttled per address).
    "api:public-register-list": [Call(table(others=200), per_school=False)],
    "api:public-results-list": [Call(table(others=200), per_school=False)],
    "api:public-service-scores-list": [Call(table(others=200), per_school=False)],
    # The evaluation's decision log: the autonomy office and the district's viewers read it, the office records.
    "api:impact-decision-list": [
        Call(table(anonymous=401, others=403, viewer=200, admin=200), per_school=False),
        post(ADMIN_WRITES),
    ],
    **SUPPORT_API,
}


def test_every_api_url_is_in_the_matrix():
    unlisted = [name for name in API_URLS if name not in API]
    assert not unlisted, f"State who may call these API URLs in API: {unlisted}"
    assert not set(API) - set(API_URLS), "API lists a URL name that no longer exists"


@pytest.fixture(scope="module")
def district(django_db_setup, django_db_blocker):
    """The world and an API client per role, each with a real token of its own (none for anonymous)."""
    with world_for_module(django_db_blocker) as world:
        budget_world(world)  # built with the module's world, not inside (and rolled back with) one test
        support_api_world(world)
        clients = {ANON: APIClient()}
        for role in ROLES[1:]:
            _, raw = api_token_create(user=world["users"][role], name="matrix")
            clients[role] = APIClient()
            clients[role].credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
        yield world, clients


def _cases():
    for name, calls in sorted(API.items()):
        for call in calls:
            for own in (True, False) if call.per_school else (True,):
                where = f"-{'own' if own else 'other'}" if call.per_school else ""
                yield pytest.param(name, call, own, id=f"{name.removeprefix('api:')}-{call.method}{where}")


@pytest.mark.parametrize(("name", "call", "own"), list(_cases()))
def test_api(district, name, call, own):
    world, clients = district
    url = reverse(name, kwargs=call.kwargs(world, own) if call.kwargs else None)
    wrong = {}
    for role in ROLES:
        with transaction.atomic():
            if call.method == "get":
                response = clients[role].get(url)
            else:
                response = getattr(clients[role], call.method)(url, {}, format="json")
            transaction.set_rollback(True)
        expected = call.expect(role, own)
        if response.status_code != expected:
            wrong[role] = (response.status_code, expected, response.content[:200])
        elif response.status_code >= 400:
            assert response.json()["error"], (role, url)  # the one error shape, whatever the refusal
    assert not wrong, f"{call.method.upper()} {url} ({'own' if own else 'other'}): role → (got, expected) {wrong}"
