"""Every URL of the project × every role × own/other school answers what its policy says.

The test enumerates the URL patterns itself: a new view that is not listed in PAGES (or matched by
the admin rule) fails the build until somebody states who may see it. Objects of "own" school belong
to the school of the principal and school team and to the liaison's caseload; "other" to a school
none of them works with. Central-office roles see both alike.
"""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accountability.models import EligibilityFinding, EvaluationRun
from accountability.services import eligibility_findings_record
from autonomy.models import Autonomy, EligibilityCriterion
from metrics.models import Metric, Observation
from schools.models import School
from tests.accounts.matrix_sso import PAGES as SSO_PAGES
from tests.budgeting.matrix_world import budget_world
from tests.contracts.matrix_commitments import PAGES as COMMITMENT_PAGES
from tests.impact.matrix_impact import PAGES as IMPACT_PAGES
from tests.matrix_kit import ADMIN_ONLY, ANON, CENTRAL, EVERYONE, ROLES, SCHOOL_PAGE, A, Page, login_or, table
from tests.schools.matrix_roster import PAGES as ROSTER_PAGES
from tests.support.matrix import SUPPORT_PAGES
from tests.world import build_world


def school_code(world, own):
    return {"code": world["own" if own else "other"].code}


def request_pk(world, own):
    return {"pk": world["requests"][own].pk}


def contract_pk(world, own):
    return {"pk": world["contracts"][own].pk}


def flag_pk(world, own):
    return {"pk": world["flags"][own].pk}


def eligibility_finding_pk(world, own):
    """The school found newly eligible for `money.salary` by the nightly run (the admin, asked last, invites it)."""
    school = world["own" if own else "other"]
    salary = Autonomy.objects.get(code="money.salary")
    EligibilityCriterion.objects.get_or_create(
        autonomy=salary, metric=Metric.objects.get(code="finance_rating"), defaults={"comparator": ">=", "threshold": 4}
    )
    Observation.objects.get_or_create(
        school=school, metric=Metric.objects.get(code="finance_rating"), period="2026-27", defaults={"value": 5}
    )
    eligibility_findings_record(run=EvaluationRun.objects.get(), as_of=datetime.date(2026, 11, 1))
    world["fresh_call"].autonomies.add(salary)  # an invitation goes through an open call offering it
    return {"pk": EligibilityFinding.objects.get(school=school, autonomy=salary).pk}


def budget(key):
    """Budgeting's object of the own or other school (tests/budgeting/matrix_world.py), by pk."""

    def kwargs(world, own):
        found = budget_world(world)[key]
        return {"pk": (found[own] if isinstance(found, dict) else found).pk}

    return kwargs


def plan_and(key, name):
    def kwargs(world, own):
        objects = budget_world(world)
        return {"pk": objects["plans"][own].pk, name: objects[key][own].pk}

    return kwargs


# A submitted request touching money (finance) and program (academics): the reviewer is finance.
REQUEST_PAGE = SCHOOL_PAGE
FINANCE_ONLY = login_or(others=404, reviewer=200, admin=200)  # the world's reviewer is finance
PLAN_EDIT = login_or(others=404, principal=(200, 404))

PAGES = {
    # The school's staff and liaisons start on a page of what needs them; central office is sent on.
    "home": Page(table(anonymous=302, no_role=200, principal=200, school_team=200, liaison=200, others=302)),
    "login": Page(table(anonymous=200, others=302)),
    "logout": Page(table(others=405)),  # logging out is a POST from the header form
    "healthz": Page(table(others=200)),
    "inbox": Page(EVERYONE),
    "inbox_mark_read": Page(login_or(others=302), method="post"),
    "accounts:profile": Page(EVERYONE),
    # The language switch of every page (and of the sign-in page): it only writes the cookie, and a signed-in
    # person's own choice on their account.
    "accounts:language": Page(table(others=302), method="post", data={"language": "es"}),
    # Only its owner revokes a token: the own school's principal holds one, the other school's another.
    "accounts:api_token_revoke": Page(
        login_or(others=404, principal=(302, 404)),
        kwargs=lambda world, own: {"pk": world["tokens"][own].pk},
        method="post",
    ),
    # The API's description is public, as its docs are; the API itself is in tests/api/test_api_matrix.py.
    "api-schema": Page(table(others=200)),
    "api-docs": Page(table(others=200)),
    "autonomy:district_overview": Page(login_or(others=404, liaison=200, **dict.fromkeys(CENTRAL, 200))),
    "autonomy:school_detail": Page(SCHOOL_PAGE, kwargs=school_code),
    "autonomy:school_grants": Page(SCHOOL_PAGE, kwargs=school_code),
    # Metrics: the autonomy office loads the district's data.
    "metrics:observation_import": Page(ADMIN_ONLY),
    # Requests
    "autonomy:request_list": Page(EVERYONE),
    "autonomy:review_queue": Page(login_or(others=404, reviewer=200, admin=200)),
    "autonomy:call_list": Page(EVERYONE),
    "autonomy:call_create": Page(ADMIN_ONLY),
    # A fresh call: the principal starts a draft; the team's try then finds it (one open request per
    # call); nobody may start one for a school they do not work at.
    "autonomy:request_start": Page(
        login_or(others=403, principal=(302, 403), school_team=(400, 403)),
        kwargs=lambda world, own: {"call_id": world["fresh_call"].pk},
        method="post",
        data={"school": "own-or-other"},
    ),
    "autonomy:request_detail": Page(REQUEST_PAGE, kwargs=request_pk),
    "autonomy:request_edit": Page(
        # A submitted request is read-only: whoever may see it is sent back to the request page.
        login_or(
            others=404, principal=(302, 404), school_team=(302, 404), liaison=(302, 404), **dict.fromkeys(CENTRAL, 302)
        ),
        kwargs=lambda world, own: {**request_pk(world, own), "step": "plan"},
    ),
    "autonomy:request_comment": Page(
        login_or(
            others=404,
            principal=(403, 404),
            school_team=(403, 404),
            liaison=(403, 404),
            viewer=403,
            reviewer=400,
            admin=400,
        ),
        kwargs=request_pk,
        method="post",
    ),
    "autonomy:request_item_clarify": Page(
        login_or(
            others=404,
            principal=(403, 404),
            school_team=(403, 404),
            liaison=(403, 404),
            viewer=403,
            reviewer=400,
            admin=400,
        ),
        kwargs=lambda world, own: {**request_pk(world, own), "item_pk": world["requests"][own].items.first().pk},
        method="post",
    ),
    "autonomy:request_decide": Page(
        login_or(
            others=404,
            principal=(403, 404),
            school_team=(403, 404),
            liaison=(403, 404),
            viewer=403,
            reviewer=403,
            admin=200,
        ),
        kwargs=request_pk,
    ),
    "autonomy:request_action": Page(
        login_or(
            others=404,
            principal=(403, 404),
            school_team=(403, 404),
            liaison=(403, 404),
            viewer=403,
            reviewer=403,
            admin=400,
        ),
        kwargs=lambda world, own: {**request_pk(world, own), "action": "return"},
        method="post",
    ),
    # The grants ledger
    "autonomy:grants_matrix": Page(login_or(others=200, no_role=404)),
    "autonomy:grants_matrix_csv": Page(login_or(others=200, no_role=404)),
    "autonomy:grants_issue_scope": Page(ADMIN_ONLY),
    "autonomy:grant_change": Page(
        login_or(others=404, admin=200), kwargs=lambda world, own: {"pk": world["grants"][own].pk}
    ),
    "autonomy:flexibility_list": Page(EVERYONE),
    # The autonomy catalog: every signed-in person reads it; only the autonomy office edits it (403: the
    # entry itself is no secret).
    "autonomy:catalog": Page(EVERYONE),
    "autonomy:catalog_entry": Page(EVERYONE, kwargs=lambda world, own: {"code": "people.hiring"}),
    "autonomy:catalog_edit": Page(login_or(others=403, admin=200), kwargs=lambda world, own: {"code": "people.hiring"}),
    # Contracts
    "contracts:contract_list": Page(EVERYONE),
    "contracts:contract_new": Page(ADMIN_ONLY),
    "contracts:contract_detail": Page(SCHOOL_PAGE, kwargs=contract_pk),
    "contracts:contract_print": Page(SCHOOL_PAGE, kwargs=contract_pk),
    "contracts:contract_pdf": Page(SCHOOL_PAGE, kwargs=contract_pk),
    "contracts:contract_diff": Page(SCHOOL_PAGE, kwargs=contract_pk),
    "contracts:contract_edit": Page(
        login_or(
            others=404,
            principal=(403, 404),
            school_team=(403, 404),
            liaison=(403, 404),
            reviewer=403,
            viewer=403,
            admin=403,
        ),
        kwargs=contract_pk,
    ),
    # Changing one benchmark or rule in place: the same gate as the edit page (the world's are in force).
    "contracts:contract_benchmark_edit": Page(
        login_or(
            others=404,
            principal=(403, 404),
            school_team=(403, 404),
            liaison=(403, 404),
            reviewer=403,
            viewer=403,
            admin=403,
        ),
        kwargs=lambda world, own: {**contract_pk(world, own), "key": "ela"},
    ),
    "contracts:contract_rule_edit": Page(
        login_or(
            others=404,
            principal=(403, 404),
            school_team=(403, 404),
            liaison=(403, 404),
            reviewer=403,
            viewer=403,
            admin=403,
        ),
        kwargs=lambda world, own: {**contract_pk(world, own), "key": "one-missed"},
    ),
    "contracts:contract_amend": Page(
        login_or(
            others=404,
            principal=(403, 404),
            school_team=(403, 404),
            liaison=(403, 404),
            reviewer=403,
            viewer=403,
            admin=400,
        ),
        kwargs=contract_pk,
        method="post",
    ),
    "contracts:contract_action": Page(
        login_or(
            others=404,
            principal=(403, 404),
            school_team=(403, 404),
            liaison=(403, 404),
            reviewer=403,
            viewer=403,
            admin=400,
        ),
        kwargs=lambda world, own: {**contract_pk(world, own), "action": "terminate"},
        method="post",
    ),
    "contracts:contract_from_request": Page(
        login_or(others=404, admin=400),
        kwargs=lambda world, own: {"request_pk": world["requests"][own].pk},
        method="post",
    ),
    # Accountability: flags of the school's own, the liaison's caseload; the autonomy office runs the evaluation.
    "accountability:flag_list": Page(login_or(others=200, no_role=404)),
    "accountability:flag_detail": Page(SCHOOL_PAGE, kwargs=flag_pk),
    # Acknowledging is the liaison's (or the office's) step; an empty form is refused naming the field.
    "accountability:flag_action": Page(
        login_or(
            others=404,
            principal=(403, 404),
            school_team=(403, 404),
            liaison=(400, 404),
            reviewer=403,
            viewer=403,
            admin=400,
        ),
        kwargs=lambda world, own: {**flag_pk(world, own), "action": "acknowledge"},
        method="post",
    ),
    "accountability:school_results": Page(SCHOOL_PAGE, kwargs=school_code),
    "accountability:evaluation_runs": Page(ADMIN_ONLY),
    # Confirming a held run: only the autonomy office; with no run held for the date it is told so.
    "accountability:evaluation_run_decide": Page(
        login_or(others=404, admin=409),
        kwargs=lambda world, own: {"decision": "confirm"},
        method="post",
        data={"as_of": "2026-11-01"},
    ),
    # Schools newly eligible for an earned autonomy: the autonomy office lists and invites them.
    "accountability:eligibility_findings": Page(ADMIN_ONLY),
    "accountability:eligibility_invite": Page(
        login_or(others=404, admin=302), kwargs=eligibility_finding_pk, method="post"
    ),
    # Budgeting: finance (the finance reviewer and the office) keeps the formula, enrollment, allocations and
    # what-ifs; everyone else is told there is no such page. A school's allocation and plan are the school's.
    "budgeting:budget_home": Page(login_or(others=200, principal=302, school_team=302)),
    "budgeting:formula_list": Page(FINANCE_ONLY),
    "budgeting:formula_new": Page(FINANCE_ONLY),
    "budgeting:formula_detail": Page(FINANCE_ONLY, kwargs=budget("formula")),
    # The world's formula is published: it is never edited, and publishing it again is not open.
    "budgeting:formula_edit": Page(
        login_or(others=404, reviewer=409, admin=409),
        kwargs=lambda world, own: {**budget("formula")(world, own), "part": "weights"},
    ),
    "budgeting:formula_publish": Page(login_or(others=404, reviewer=409, admin=409), kwargs=budget("formula")),
    "budgeting:enrollment_snapshots": Page(FINANCE_ONLY),
    "budgeting:enrollment_import": Page(FINANCE_ONLY),
    "budgeting:enrollment_project": Page(FINANCE_ONLY),
    "budgeting:enrollment_snapshot": Page(FINANCE_ONLY, kwargs=budget("snapshot")),
    "budgeting:enrollment_count_set": Page(FINANCE_ONLY, kwargs=budget("snapshot")),
    "budgeting:allocation_set_list": Page(FINANCE_ONLY),
    "budgeting:allocation_set_compute": Page(login_or(others=404, reviewer=400, admin=400), method="post"),
    "budgeting:allocation_set_detail": Page(FINANCE_ONLY, kwargs=budget("set")),
    # The world's set is released already: finance is sent back to it.
    "budgeting:allocation_set_release": Page(login_or(others=404, reviewer=302, admin=302), kwargs=budget("set")),
    "budgeting:allocation_set_lines_csv": Page(FINANCE_ONLY, kwargs=budget("set")),
    "budgeting:allocation_school": Page(SCHOOL_PAGE, kwargs=school_code),
    "budgeting:scenario_list": Page(FINANCE_ONLY),
    "budgeting:scenario_create": Page(FINANCE_ONLY),
    "budgeting:scenario_compare": Page(FINANCE_ONLY, kwargs=budget("scenario")),
    "budgeting:scenario_edit": Page(FINANCE_ONLY, kwargs=budget("scenario")),
    # Finance (asked first) adopts the what-if; the office, asked after, finds it adopted already.
    "budgeting:scenario_adopt": Page(
        login_or(others=404, reviewer=302, admin=409), kwargs=budget("scenario"), method="post"
    ),
    "budgeting:plan_detail": Page(
        SCHOOL_PAGE, kwargs=lambda world, own: budget_world(world) and school_code(world, own)
    ),
    # The world's plans were started already: a second start sends the principal to the plan.
    "budgeting:plan_start": Page(
        login_or(others=404, principal=(302, 404)),
        kwargs=lambda world, own: budget_world(world) and school_code(world, own),
        method="post",
    ),
    "budgeting:plan_queue": Page(FINANCE_ONLY),
    # The plans were returned for changes: their principal may change them; nobody else may.
    "budgeting:plan_position_add": Page(PLAN_EDIT, kwargs=budget("plans")),
    "budgeting:plan_position_edit": Page(PLAN_EDIT, kwargs=plan_and("positions", "position_pk")),
    # The plan's first position is the principal's own post, which the district sets: the principal is sent
    # back to the plan with the refusal (tests/budgeting/test_plan_views.py checks it is still there).
    "budgeting:plan_position_remove": Page(
        login_or(others=404, principal=(302, 404)), kwargs=plan_and("positions", "position_pk"), method="post"
    ),
    "budgeting:plan_line_add": Page(PLAN_EDIT, kwargs=budget("plans")),
    "budgeting:plan_line_edit": Page(PLAN_EDIT, kwargs=plan_and("lines", "line_pk")),
    "budgeting:plan_line_remove": Page(
        login_or(others=404, principal=(302, 404)), kwargs=plan_and("lines", "line_pk"), method="post"
    ),
    "budgeting:plan_submit": Page(login_or(others=404, principal=(302, 404)), kwargs=budget("plans"), method="post"),
    # Returned plans are not in review: finance is sent to the plan; an empty return or approval is refused.
    "budgeting:plan_review": Page(login_or(others=404, reviewer=302, admin=302), kwargs=budget("plans")),
    "budgeting:plan_return": Page(login_or(others=404, reviewer=400, admin=400), kwargs=budget("plans"), method="post"),
    "budgeting:plan_approve": Page(
        login_or(others=404, reviewer=400, admin=400), kwargs=budget("plans"), method="post"
    ),
    "budgeting:plan_history": Page(SCHOOL_PAGE, kwargs=budget("plans")),
    "budgeting:plan_version": Page(SCHOOL_PAGE, kwargs=lambda world, own: {**budget("plans")(world, own), "number": 1}),
    # Public reports: anyone, signed in or not.
    "reports:register": Page(table(others=200)),
    "reports:central_office": Page(table(others=200)),
    "reports:register_csv": Page(table(others=200)),
    "reports:results_csv": Page(table(others=200)),
    "reports:service_scores_csv": Page(table(others=200)),
    "reports:school": Page(table(others=200), kwargs=school_code),
    "reports:autonomy": Page(table(others=200), kwargs=lambda world, own: {"code": "people.hiring"}),
    "reports:language": Page(table(others=302), method="post", data={"language": "es"}),
    # The autonomy office's packs for the board and the auditors.
    "reports:pack_board": Page(ADMIN_ONLY),
    "reports:pack_board_pdf": Page(ADMIN_ONLY, data={"since": "2026-11-01", "until": "2026-12-31"}),
    "reports:dossier": Page(ADMIN_ONLY),
    "reports:dossier_zip": Page(login_or(others=404, admin=400)),
    **SUPPORT_PAGES,
    **COMMITMENT_PAGES,
    **IMPACT_PAGES,
    **SSO_PAGES,
    **ROSTER_PAGES,
}


def _walk(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            namespace = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            yield from _walk(entry.url_patterns, namespace)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{prefix}{entry.name}", entry


ALL_URLS = sorted({name: pattern for name, pattern in _walk(get_resolver().url_patterns)}.items())
ADMIN_URLS = [(name, pattern) for name, pattern in ALL_URLS if name.startswith("admin:")]
API_URLS = [name for name, _ in ALL_URLS if name.startswith("api:")]
APP_URLS = [name for name, _ in ALL_URLS if not name.startswith(("admin:", "api:"))]


def test_every_url_is_in_the_matrix():
    unlisted = [name for name in APP_URLS if name not in PAGES]
    assert not unlisted, f"State who may see these pages in PAGES: {unlisted}"
    assert not set(PAGES) - set(APP_URLS), "PAGES lists a URL name that no longer exists"
    assert len(ADMIN_URLS) > 20


@pytest.fixture
def world(db):
    return build_world()


def _client(role, users):
    client = Client()
    if role != ANON:
        client.force_login(users[role], backend="django.contrib.auth.backends.ModelBackend")
    return client


def _app_cases():
    for name in APP_URLS:
        page = PAGES.get(name)
        for own in (True, False) if page and page.kwargs else (True,):
            yield pytest.param(name, own, id=f"{name}-{'own' if own else 'other'}")


@pytest.mark.parametrize(("name", "own"), list(_app_cases()))
def test_app_pages(world, name, own):
    page = PAGES[name]
    url = reverse(name, kwargs=page.kwargs(world, own) if page.kwargs else None)
    data = dict(page.data or {})
    if data.get("school") == "own-or-other":
        data["school"] = world["own" if own else "other"].pk
    wrong = {}
    for role in ROLES:
        response = getattr(_client(role, world["users"]), page.method)(url, data)
        if response.status_code != page.expect(role, own):
            wrong[role] = (response.status_code, page.expect(role, own))
    assert not wrong, f"{page.method.upper()} {url} ({'own' if own else 'other'}): role → (got, expected) {wrong}"


def _admin_kwargs(pattern):
    values = {
        "app_label": "schools",
        "object_id": "999999",
        "content_type_id": str(ContentType.objects.get_for_model(School).pk),
        "id": "999999",
    }
    return {key: values.get(key, "1") for key in pattern.pattern.regex.groupindex}


@pytest.mark.parametrize("name", [name for name, _ in ADMIN_URLS])
def test_admin_pages_are_for_staff_only(world, name):
    users = world["users"]
    url = reverse(name, kwargs=_admin_kwargs(dict(ADMIN_URLS)[name]))
    for role in ROLES:
        response = _client(role, users).get(url)
        if name == "admin:logout":
            # Logging out is a POST; a GET only sends the visitor back to the admin.
            assert response.status_code in (302, 405), (role, url)
        elif name == "admin:login":
            assert response.status_code == (302 if role == A else 200), (role, url)
        elif role == A:
            assert response.status_code in (200, 302, 403, 404), (role, url)
        else:
            assert response.status_code == 302, (role, url)
            assert response.url.startswith(reverse("admin:login")), (role, url)
