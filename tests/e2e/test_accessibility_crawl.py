"""The accessibility crawl: every page of the portal, as every role that may open it, at a desktop's and a
phone's width, checked by axe-core (the WCAG 2.0 and 2.1 A and AA rules).

Which pages there are, and who may open which, is the authorization matrix's (tests/test_authorization_
matrix.py): its PAGES table names every URL pattern the resolver knows, with the status each role gets. Every
GET page a role gets a 200 for is crawled as that role, on the matrix's own district (tests.world.build_world,
an "own" school's object where a page is about one); a page added to the matrix is crawled without a word
here. To that district the crawl adds what the matrix's does not hold: a draft request (the request form's
steps), an item answered "no rule prevents this", a draft and a proposed contract amendment. Forms are
also submitted empty and the page with their errors is checked.

Each page fails on: a serious or critical axe violation; sideways scrolling at 390 px (the page wider than
the window); an aria-describedby or aria-labelledby naming an id the page lacks (axe only calls that
"incomplete"); SVG text (the trend charts' labels, which axe cannot measure) below a 4.5:1 contrast with
what is behind it; a script error or a Content-Security-Policy refusal.

Not crawled: Django's admin (/admin/, Django's own pages), the API (/api/v1/, JSON), and NOT_CRAWLED below.
One browser; one context per role, logged in once with a session made by Django's test client.
"""

import datetime

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from playwright.sync_api import Error as PlaywrightError

from autonomy.services import request_item_clarify
from autonomy.views.request_pages import STEP_SLUGS
from budgeting.services.formula import formula_draft_create
from budgeting.services.plans import plan_submit
from budgeting.views.formulas import PARTS as FORMULA_PARTS
from contracts.models import CommitmentMeasure
from contracts.services import contract_amend, contract_propose
from contracts.services.commitments import CommitmentInput, contract_commitment_add
from schools.models import Membership
from tests.autonomy.factories import complete_request
from tests.budgeting.matrix_world import budget_world
from tests.budgeting.plan_builders import allocation_set
from tests.test_authorization_matrix import ANON, APP_URLS, PAGES, ROLES
from tests.world import NO_ROLE, build_world

from .accessibility import (
    MIN_CONTRAST,
    blocking_violations,
    broken_id_references,
    sideways_overflow,
    svg_text_contrasts,
    violations_report,
)
from .conftest import DESKTOP, TIMEOUT_MS

P, T, L, R, V, A = "principal", "school_team", "liaison", "reviewer", "viewer", "admin"
PHONE = {"width": 390, "height": 844}
WIDTHS = [DESKTOP, PHONE]

# URL names the crawl leaves out, and why. (admin:… and api:… are not among the matrix's pages at all.)
NOT_CRAWLED = {
    "support:calendar_feed": "an iCalendar feed for calendar apps",
    "support:survey_results_csv": "a CSV download",
    "support:request_home": "sends each person on to their school's requests or their department's queue",
    "impact:uptake_csv": "a CSV download",
    "impact:use_csv": "a CSV download",
    "impact:outcomes_csv": "a CSV download",
    "sso:start": "sends the visitor to the district's identity provider (404 without one configured)",
    "sso:callback": "where the identity provider sends the visitor back (404 without one configured)",
    "healthz": "JSON for the load balancer, not a page",
    "api-schema": "the API's OpenAPI document, not a page",
    "api-docs": "the API's description, drawn by Swagger UI from the installed package, not by the portal",
    "autonomy:grants_matrix_csv": "a CSV download",
    "contracts:contract_pdf": "a PDF download",
    "logout": "logging out is the header's button (a POST); a GET answers 405",
    "budgeting:allocation_set_lines_csv": "a CSV download",
    "reports:register_csv": "a CSV download",
    "reports:results_csv": "a CSV download",
    "reports:service_scores_csv": "a CSV download",
    "reports:pack_board_pdf": "a PDF download",
    "reports:dossier_zip": "a zip download",
}
# The matrix's POST-only URLs are actions, not pages: the pages they answer with are ERROR_STATES below.


# --- What each role opens -------------------------------------------------------------------------
def matrix_pages(role: str) -> list[tuple[str, bool]]:
    """(URL name, own) of every GET page the matrix says this role opens: the own school's object where
    the page is about one, else the other school's (central office sees both alike)."""
    pages = []
    for name in APP_URLS:
        page = PAGES[name]
        if page.method != "get" or name in NOT_CRAWLED:
            continue
        for own in (True, False) if page.kwargs else (True,):
            if page.expect(role, own) == 200:
                pages.append((name, own))
                break
    return pages


# States the matrix's district does not hold: (URL name, which object, its kwargs, roles that open it).
EXTRA_PAGES = [
    *[
        ("autonomy:request_edit", step, lambda d, step=step: {"pk": d["draft"].pk, "step": step}, (P, T))
        for step in STEP_SLUGS
    ],
    ("autonomy:request_detail", "draft", lambda d: {"pk": d["draft"].pk}, (P,)),
    ("contracts:contract_edit", "draft amendment", lambda d: {"pk": d["amendment"].pk}, (A,)),
    ("contracts:contract_benchmark_edit", "draft amendment", lambda d: {"pk": d["amendment"].pk, "key": "ela"}, (A,)),
    ("contracts:contract_rule_edit", "draft amendment", lambda d: {"pk": d["amendment"].pk, "key": "one-missed"}, (A,)),
    ("contracts:contract_detail", "draft amendment", lambda d: {"pk": d["amendment"].pk}, (A,)),
    ("contracts:contract_commitments", "draft amendment", lambda d: {"pk": d["amendment"].pk}, (A,)),
    (
        "contracts:contract_commitment_edit",
        "draft amendment",
        lambda d: {"pk": d["amendment"].pk, "key": d["commitment"].key},
        (A,),
    ),
    ("contracts:contract_detail", "proposed amendment", lambda d: {"pk": d["proposed"].pk}, (P, A)),
    ("contracts:contract_diff", "proposed amendment", lambda d: {"pk": d["proposed"].pk}, (P,)),
    *[
        (
            "budgeting:formula_edit",
            f"draft, {part}",
            lambda d, part=part: {"pk": d["formula_draft"].pk, "part": part},
            (R,),
        )
        for part in FORMULA_PARTS
    ],
    ("budgeting:formula_detail", "draft", lambda d: {"pk": d["formula_draft"].pk}, (R,)),
    ("budgeting:formula_publish", "draft", lambda d: {"pk": d["formula_draft"].pk}, (R,)),
    ("budgeting:allocation_set_release", "computed", lambda d: {"pk": d["unreleased_set"].pk}, (R,)),
    ("budgeting:plan_review", "submitted", lambda d: {"pk": d["budget"]["plans"][False].pk}, (R,)),
]

# Forms submitted with every field emptied, as the role whose form it is: (role, URL name, kwargs, button).
# (The liaison's one form, acknowledging a flag, takes an empty note.)
ERROR_STATES = [
    (ANON, "login", None, "Log in"),
    (P, "accounts:profile", None, "Create token"),
    (P, "autonomy:request_edit", lambda d: {"pk": d["draft"].pk, "step": "autonomies"}, "Save and continue"),
    (P, "autonomy:request_edit", lambda d: {"pk": d["draft"].pk, "step": "outcomes"}, "Save and continue"),
    (P, "accountability:flag_detail", lambda d: {"pk": d["flags"][True].pk}, "Submit the plan"),
    (P, "contracts:contract_detail", lambda d: {"pk": d["proposed"].pk}, "Sign the contract"),
    (R, "autonomy:request_detail", lambda d: {"pk": d["requests"][True].pk}, "Save the comment"),
    (A, "autonomy:call_create", None, "Open the call"),
    (A, "autonomy:request_decide", lambda d: {"pk": d["requests"][True].pk}, "Record the decision"),
    (A, "autonomy:request_detail", lambda d: {"pk": d["requests"][True].pk}, "Return to the school"),
    (A, "autonomy:grants_issue_scope", None, "Grant it"),
    (A, "autonomy:grant_change", lambda d: {"pk": d["grants"][True].pk}, "Record the change"),
    (A, "contracts:contract_new", None, "Draft the contract"),
    (A, "accountability:flag_detail", lambda d: {"pk": d["flags"][True].pk}, "Resolve the flag"),
    (A, "contracts:contract_detail", lambda d: {"pk": d["contracts"][True].pk}, "Terminate"),
    (A, "contracts:contract_edit", lambda d: {"pk": d["amendment"].pk}, "Add the benchmark"),
    (A, "contracts:contract_benchmark_edit", lambda d: {"pk": d["amendment"].pk, "key": "ela"}, "Save the benchmark"),
    (A, "contracts:contract_rule_edit", lambda d: {"pk": d["amendment"].pk, "key": "one-missed"}, "Save the rule"),
    (A, "accountability:evaluation_runs", None, "Start the run"),
    (A, "metrics:observation_import", None, "Check and import"),
    (P, "budgeting:plan_line_add", lambda d: {"pk": d["budget"]["plans"][True].pk}, "Save"),
    (P, "budgeting:plan_position_add", lambda d: {"pk": d["budget"]["plans"][True].pk}, "Save"),
    (R, "budgeting:formula_edit", lambda d: {"pk": d["formula_draft"].pk, "part": "weights"}, "Save"),
    (R, "budgeting:enrollment_import", None, "Check and import"),
    (R, "budgeting:allocation_set_release", lambda d: {"pk": d["unreleased_set"].pk}, "Release to principals"),
    (R, "budgeting:scenario_create", None, "Save and compare"),
]

EMPTY_THE_FORM = """form => {
  form.noValidate = true;
  for (const field of form.elements) {
    if (["hidden", "submit", "button", "reset", "fieldset"].includes(field.type)) continue;
    if (field.type === "checkbox" || field.type === "radio") field.checked = false;
    else if (field.tagName === "SELECT") field.selectedIndex = -1;
    else field.value = "";
  }
}"""
HTMX_AT_WORK = ".htmx-request, .htmx-swapping, .htmx-settling"


def urls_for(role: str, district: dict) -> list[tuple[str, str]]:
    """(what, URL) of every page this role is crawled on."""
    urls = []
    for name, own in matrix_pages(role):
        page = PAGES[name]
        urls.append((name, reverse(name, kwargs=page.kwargs(district, own) if page.kwargs else None)))
    for name, state, kwargs, roles in EXTRA_PAGES:
        if role in roles:
            urls.append((f"{name}, {state}", reverse(name, kwargs=kwargs(district))))
    return urls


def test_every_url_pattern_is_crawled_or_left_out_with_a_reason():
    """A new URL pattern is crawled once the matrix says who may open it; until then both tests fail."""
    unlisted = [name for name in APP_URLS if name not in PAGES]
    assert not unlisted, f"State who may see these pages in PAGES (tests/test_authorization_matrix.py): {unlisted}"
    crawled = {name for role in ROLES for name, _ in matrix_pages(role)} | {name for name, *_ in EXTRA_PAGES}
    actions = {name for name in APP_URLS if PAGES[name].method != "get"}
    uncrawled = set(APP_URLS) - crawled - actions - set(NOT_CRAWLED)
    assert not uncrawled, f"No role opens these pages in the crawl: add a state to EXTRA_PAGES: {sorted(uncrawled)}"
    assert not set(NOT_CRAWLED) - set(APP_URLS), "NOT_CRAWLED names a URL that no longer exists"
    assert {name for _, name, *_ in ERROR_STATES} <= crawled


# --- The district and the browser ------------------------------------------------------------------
@pytest.fixture
def district(browser, live_server, django_db_serialized_rollback) -> dict:
    """The matrix's district, committed for the live server, with the states the crawl adds."""
    district = build_world()
    users, own = district["users"], district["own"]
    district["draft"] = complete_request(principal=users[P], school=own, call=district["fresh_call"])
    budget = district["requests"][True].items.get(autonomy__code="money.budget")
    request_item_clarify(actor=users[R], item_id=budget.pk, explanation="Board policy 7.2 already allows it.")
    district["amendment"] = contract_amend(
        actor=users[A], contract_id=district["contracts"][False].pk, reason="New targets for next year."
    )
    district["commitment"] = contract_commitment_add(
        actor=users[A],
        contract_id=district["amendment"].pk,
        commitment=CommitmentInput(
            department="finance",
            text="School allocations released",
            measure=CommitmentMeasure.DELIVERED_BY,
            due_on=district["amendment"].term_start.start_date + datetime.timedelta(days=60),
        ),
    )
    proposed = contract_amend(actor=users[A], contract_id=district["contracts"][True].pk, reason="A new benchmark.")
    district["proposed"] = contract_propose(actor=users[A], contract_id=proposed.pk)
    # Budgeting: the matrix's released allocation and returned plans, the other school's plan submitted again,
    # a draft formula and an allocation not yet released.
    budget = budget_world(district)
    other_principal = Membership.objects.get(role=P, school=district["other"]).user
    plan_submit(actor=other_principal, plan_id=budget["plans"][False].pk)
    district["formula_draft"] = formula_draft_create(
        actor=users[R], school_year=budget["formula"].school_year, copy_from=budget["formula"]
    )
    district["unreleased_set"] = allocation_set(released=False)
    return district


@pytest.fixture(scope="module")
def tally(request):
    """What was checked, (what, role, width) once each; said at the end of the run."""
    checked: set[tuple[str, str, int]] = set()
    yield checked
    if checked:
        pages = len({what for what, _, _ in checked})
        pairs = len({(what, role) for what, role, _ in checked})
        roles = len({role for _, role, _ in checked})
        widths = sorted({width for _, _, width in checked}, reverse=True)
        capture = request.config.pluginmanager.get_plugin("capturemanager")
        with capture.global_and_fixture_disabled():
            print(
                f"\naccessibility crawl: {pairs} pages × roles ({pages} pages and states, {roles} roles) × "
                f"{len(widths)} widths ({', '.join(f'{w} px' for w in widths)}) = {len(checked)} checks"
            )


def session_cookie(user, base_url: str) -> dict:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return {
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "url": base_url,
    }


class Crawler:
    """One logged-in browser context for a role; collects every problem rather than stopping at the first."""

    def __init__(self, browser, base_url: str, role: str, user, tally: set):
        self.role, self.tally, self.problems = role, tally, []
        self.context = browser.new_context(base_url=base_url, viewport=DESKTOP)
        self.context.set_default_timeout(TIMEOUT_MS)
        if user is not None:
            self.context.add_cookies([session_cookie(user, base_url)])
        self.page = self.context.new_page()
        self.page.on("pageerror", lambda error: self.problems.append(f"{self.page.url}: script error: {error}"))
        self.page.on("console", self._note_csp_refusal)

    def _note_csp_refusal(self, message):
        if message.type == "error" and "Content Security Policy" in message.text:
            self.problems.append(f"{self.page.url}: CSP refusal: {message.text}")

    def attempt(self, step, what: str, url: str, *args) -> None:
        """One page or form; a page that cannot be driven (a button gone, a timeout) is a problem too."""
        try:
            step(what, url, *args)
        except PlaywrightError as error:
            self.problems.append(f"{url} ({what}): {type(error).__name__}: {str(error).splitlines()[0]}")

    def visit(self, what: str, url: str) -> None:
        response = self.page.goto(url)
        if response is None or response.status != 200:
            self.problems.append(f"GET {url} ({what}) answered {response and response.status}, not 200")
            return
        self.check_both_widths(what)

    def submit_empty(self, what: str, url: str, button_name: str) -> None:
        self.page.goto(url)
        button = self.page.get_by_role("button", name=button_name, exact=True).first
        button.evaluate(f"button => ({EMPTY_THE_FORM})(button.form)")
        with self.page.expect_response(lambda response: response.request.method == "POST") as answer:
            button.click()
        self.page.wait_for_load_state()
        # (A locator, not wait_for_function: the page's CSP refuses the eval that one polls with.)
        self.page.locator(HTMX_AT_WORK).first.wait_for(state="detached")
        status = answer.value.status
        shown = self.page.locator(".error-summary, .field-error, [aria-invalid=true], [role=alert]").count()
        if status not in (200, 400) or not shown:
            self.problems.append(
                f"POST {url} ({what}) emptied answered {status}, errors shown: {shown}: no error state"
            )
            return
        self.check_both_widths(what)

    def check_both_widths(self, what: str) -> None:
        """The page as it stands, at the width it has, then at the other one (no second load)."""
        now = self.page.viewport_size
        for size in sorted(WIDTHS, key=lambda size: size != now):
            if size != self.page.viewport_size:
                self.page.set_viewport_size(size)
            self.check(what, size["width"])

    def check(self, what: str, width: int) -> None:
        where = f"{self.page.url} ({what}, {self.role}, {width} px)"
        if violations := blocking_violations(self.page):
            self.problems.append(violations_report(where, violations))
        if width == PHONE["width"] and (overflow := sideways_overflow(self.page)):
            self.problems.append(f"{where} scrolls sideways: {overflow}")
        for broken in broken_id_references(self.page):
            self.problems.append(f"{where}: {broken}")
        for label in svg_text_contrasts(self.page):
            if label["ratio"] < MIN_CONTRAST:
                self.problems.append(f"{where}: SVG text {label['text']!r} has a contrast of {label['ratio']:.2f}:1")
        self.tally.add((what, self.role, width))

    def close(self) -> None:
        self.context.close()


@pytest.mark.parametrize("role", [ANON, NO_ROLE, P, T, L, R, V, A])
def test_every_page_a_role_opens_is_accessible_at_both_widths(browser, live_server, district, tally, role):
    crawler = Crawler(browser, live_server.url, role, district["users"].get(role), tally)
    try:
        for what, url in urls_for(role, district):
            crawler.attempt(crawler.visit, what, url)
        for who, name, kwargs, button_name in ERROR_STATES:
            if who == role:
                url = reverse(name, kwargs=kwargs(district) if kwargs else None)
                crawler.attempt(crawler.submit_empty, f"POST {name} {button_name!r} emptied", url, button_name)
    finally:
        crawler.close()
    assert not crawler.problems, f"{len(crawler.problems)} problem(s) as {role}:\n" + "\n".join(crawler.problems)


def test_trend_chart_labels_are_measured_and_legible(browser, live_server, district, tally):
    """axe cannot compute the contrast of SVG text: the crawl measures it; here, that it found the labels."""
    crawler = Crawler(browser, live_server.url, P, district["users"][P], tally)
    try:
        crawler.page.goto(reverse("accountability:school_results", kwargs={"code": district["own"].code}))
        labels = svg_text_contrasts(crawler.page)
    finally:
        crawler.close()
    periods = [label for label in labels if "period" in label["classes"]]
    assert periods, "the school's results page drew no trend chart labels to measure"
    assert all(label["ratio"] >= MIN_CONTRAST for label in periods), periods
