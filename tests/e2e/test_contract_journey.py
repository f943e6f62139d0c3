"""A performance contract's life in Chromium: the demo principal reaches the contract proposed to
their school from the navigation, reads its three parts and signs it with their password (a wrong one is
refused on the password field); the admin finds it among the signed contracts and countersigns it with
theirs, and the principal is told it is in force. The signature record names the account, the time, the
address and the hash of the content, and the page checks the content against it.
Then: an amended contract's changes against the version it replaced, that version read-only; the
PDF download and the print view. Every page a journey reaches is checked with axe-core (WCAG 2.1 A and AA)."""

import re
from decimal import Decimal

from django.contrib.auth import get_user_model
from playwright.sync_api import Locator, Page, expect

from contracts.models import PerformanceContract
from demo.services import DEMO_PASSWORD
from schools.models import School

from .accessibility import assert_accessible
from .steps import login, logout, review_screenshot

SECTIONS = ["What your school may decide", "What your school must achieve", "What happens if it does not"]
MATH = "Proficiency in math"  # the math-proficiency benchmark's measure, raised in S0005's version 2


def heading(page: Page) -> Locator:
    return page.get_by_role("heading", level=1)


def nav_link(page: Page, name: str) -> Locator:
    return page.get_by_role("navigation", name="Main").get_by_role("link", name=name, exact=True)


def contract_status(page: Page) -> Locator:
    return page.locator(".contract-header .contract-status")


def signatures(page: Page) -> Locator:
    return page.get_by_role("region", name="Signatures", exact=True)


def signature(page: Page, who: str) -> Locator:
    """The signature record's line for the principal or the district (a <dt> and its <dd>)."""
    return signatures(page).locator("dl > div").filter(has=page.locator("dt", has_text=who))


def expect_the_three_sections(page: Page) -> None:
    for number, title in enumerate(SECTIONS, start=1):
        section = page.get_by_role("region", name=re.compile(rf"{re.escape(title)}$"))
        expect(section.get_by_role("heading", level=2)).to_be_visible()
        expect(section.locator(".section-number")).to_have_text(str(number))
    sections = page.locator(".contract-section")
    expect(sections.nth(0).get_by_role("row")).not_to_have_count(0)  # the decisions table
    expect(sections.nth(1).locator(".benchmark-sentence").first).to_be_visible()
    expect(sections.nth(2).locator(".rule-sentence").first).to_be_visible()


def full_name(username: str) -> str:
    return get_user_model().objects.get(username=username).get_full_name()


def _number(value: Decimal) -> str:
    return f"{value.normalize():f}"


def test_principal_signs_from_the_navigation_admin_countersigns_and_the_principal_is_told(page: Page, demo_district):
    school = School.objects.get(code="S0001")
    principal_name, admin_name = full_name("principal-s0001"), full_name("admin")
    assert PerformanceContract.objects.get(school=school).status == "proposed"

    # 1. The principal reaches the contract from the navigation and reads it.
    login(page, "principal-s0001")
    assert_accessible(page)
    nav_link(page, "Contracts").click()
    expect(heading(page)).to_have_text("Performance contracts")
    expect(page.get_by_role("status")).to_have_text("1 contract")  # only their own school's
    assert_accessible(page)
    page.get_by_role("row").filter(has_text="S0001").get_by_role("link", name=school.name).click()

    expect(heading(page)).to_have_text(re.compile(r"^Performance contract \d{4}-\d{2} to \d{4}-\d{2}$"))
    expect(contract_status(page)).to_have_text("Proposed to the school")
    expect(page.get_by_text("This contract is waiting for your signature.")).to_be_visible()
    expect_the_three_sections(page)
    expect(signature(page, "Principal")).to_contain_text("Not signed yet")
    assert_accessible(page)
    review_screenshot(page, "contract-to-sign")

    # A signature without the tick and the password is refused, next to the fields, accessibly.
    sign = page.get_by_role("button", name="Sign the contract")
    sign.click()
    problems = page.get_by_role("alert").filter(has_text="Nothing was saved: please check")
    expect(problems).to_contain_text("Tick the box to confirm you have read the contract.")
    expect(problems).to_contain_text("Enter your password to sign.")
    expect(contract_status(page)).to_have_text("Proposed to the school")
    expect(page.get_by_label("Your password")).to_have_attribute("aria-describedby", re.compile(r"_error\b"))
    assert_accessible(page)

    # A typed name is not a signature, and a wrong password is refused on its field.
    page.get_by_label("I have read this contract").check()
    page.get_by_label("Your password").fill("Mickey Mouse")
    sign.click()
    expect(page.get_by_role("alert").filter(has_text="Nothing was saved")).to_contain_text("That is not your password.")
    expect(contract_status(page)).to_have_text("Proposed to the school")
    assert_accessible(page)

    # 2. They sign: the tick, their password. The record is their account's, not a typed name.
    page.get_by_label("I have read this contract").check()
    page.get_by_label("Your password").fill(DEMO_PASSWORD)
    sign.click()

    expect(page.get_by_role("status")).to_contain_text("You signed the contract.")
    expect(contract_status(page)).to_have_text("Signed by the principal")
    expect(signature(page, "Principal")).to_contain_text(principal_name)
    expect(signature(page, "Principal")).to_contain_text("signed")
    expect(signature(page, "Principal")).to_contain_text("Account: principal-s0001")
    expect(signature(page, "Principal")).to_contain_text("From address: 127.0.0.1")
    expect(signature(page, "Principal").locator(".signature-hash")).to_have_text(re.compile(r"^[0-9a-f]{64}$"))
    expect(signature(page, "Principal")).to_contain_text("Content matches what was signed.")
    expect(signature(page, "District")).to_contain_text("Not countersigned yet")
    expect(page.get_by_role("button", name="Sign the contract")).to_have_count(0)
    assert_accessible(page)
    review_screenshot(page, "contract-signed")
    logout(page)

    # 3. The admin finds it among the signed contracts and countersigns it.
    login(page, "admin")
    nav_link(page, "Contracts").click()
    expect(heading(page)).to_have_text("Performance contracts")
    assert_accessible(page)
    page.get_by_label("Status").select_option(label="Signed by the principal")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("status")).to_have_text("2 contracts")  # S0001 now, and the seeded S0002
    assert_accessible(page)
    page.get_by_role("row").filter(has_text="S0001").get_by_role("link", name=school.name).click()

    expect(contract_status(page)).to_have_text("Signed by the principal")
    expect(page.get_by_text("The principal has signed.")).to_be_visible()
    expect(signature(page, "Principal")).to_contain_text(principal_name)
    assert_accessible(page)
    page.get_by_label("Your password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Countersign", exact=True).click()

    expect(page.get_by_role("status")).to_have_text("The contract is countersigned and now in force.")
    expect(contract_status(page)).to_have_text("Active")
    expect(signature(page, "District")).to_contain_text(admin_name)
    expect(signature(page, "District")).to_contain_text("countersigned")
    expect(signature(page, "District")).to_contain_text("Account: admin")
    expect(signatures(page).get_by_text("Content matches what was signed.")).to_have_count(2)
    expect(page.get_by_role("button", name="Countersign", exact=True)).to_have_count(0)
    assert_accessible(page)
    review_screenshot(page, "contract-in-force")
    logout(page)

    # 4. The principal is told it is in force, and the notice leads to it.
    login(page, "principal-s0001")
    page.get_by_role("link", name=re.compile(r"^Inbox\b")).click()
    expect(heading(page)).to_have_text("Inbox")
    notice = page.locator(".inbox-item.unread").filter(has_text="Your performance contract is now in force")
    expect(notice).to_have_count(1)
    assert_accessible(page)
    notice.get_by_role("link", name="Your performance contract is now in force").click()
    expect(contract_status(page)).to_have_text("Active")
    expect(signature(page, "District")).to_contain_text(admin_name)
    assert_accessible(page)


def test_an_amendment_shows_what_changed_and_the_version_it_replaced_is_read_only(page: Page, demo_district):
    v1, v2 = PerformanceContract.objects.filter(school__code="S0005").order_by("version")
    assert (v1.status, v2.status) == ("superseded", "active")
    old_target = v1.benchmarks.get(key="math-proficiency").target
    new_target = v2.benchmarks.get(key="math-proficiency").target
    assert old_target != new_target

    login(page, "admin")
    page.goto(f"/contracts/{v2.pk}/")
    expect(contract_status(page)).to_have_text("Active")
    expect(page.locator(".facts")).to_contain_text("2 of 2")
    expect(page.get_by_text("Why this version:")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="What changed from version 1").click()

    expect(heading(page)).to_have_text("What changed in version 2")
    assert_accessible(page)
    changed = page.get_by_role("region", name="Benchmarks").locator(".diff-changed-item").filter(has_text=MATH)
    target_line = changed.get_by_role("listitem").filter(has_text=re.compile(r"^Target:"))
    expect(target_line).to_have_text(f"Target: {_number(old_target)} → {_number(new_target)}")
    review_screenshot(page, "contract-changes")
    page.get_by_role("link", name="version 1", exact=True).click()

    expect(page).to_have_url(re.compile(rf"/contracts/{v1.pk}/$"))
    expect(contract_status(page)).to_have_text("Replaced by an amendment")
    expect(page.get_by_text("Version 2 of this contract is active.")).to_be_visible()
    expect(page.get_by_role("link", name="See version 2")).to_be_visible()
    expect_the_three_sections(page)
    # Read-only: nothing to sign, countersign, edit, amend or terminate.
    expect(page.get_by_role("heading", name="What you can do")).to_have_count(0)
    expect(page.get_by_role("main").get_by_role("button")).to_have_count(0)
    expect(page.get_by_role("link", name="Edit benchmarks")).to_have_count(0)
    assert_accessible(page)


def test_the_contract_downloads_as_a_pdf_and_prints(page: Page, demo_district):
    contract = PerformanceContract.objects.get(school__code="S0001")
    login(page, "principal-s0001")
    page.goto(f"/contracts/{contract.pk}/")
    assert_accessible(page)
    link = page.get_by_role("link", name="Download as PDF")

    with page.expect_download() as started:
        link.click()
    download = started.value
    assert re.fullmatch(r"contract-S0001-\d{4}-\d{2}-v1\.pdf", download.suggested_filename)
    with open(download.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"

    response = page.request.get(link.get_attribute("href"))  # the page's cookies: the principal's session
    assert response.ok
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")

    # The print view says the same three things, with the signatures, and is accessible too.
    page.get_by_role("link", name="Print view").click()
    expect(heading(page)).to_contain_text("(S0001)")
    expect_the_three_sections(page)
    expect(page.get_by_role("region", name="Signatures")).to_contain_text("Not signed yet")
    assert_accessible(page)


def test_the_admin_changes_a_benchmark_in_place_and_the_contract_prints_the_ladder_in_order(page: Page, demo_district):
    contract = PerformanceContract.objects.get(school__code="S0001")
    benchmark = contract.benchmarks.order_by("position").first()
    login(page, "admin")
    page.goto(f"/contracts/{contract.pk}/edit/")
    expect(heading(page)).to_have_text("Edit the benchmarks and rules")
    assert_accessible(page)
    page.get_by_role("link", name=re.compile(rf"^Change .*\({re.escape(benchmark.key)}\)$")).click()

    expect(heading(page)).to_have_text(f"Change the benchmark “{benchmark.key}”")
    assert_accessible(page)
    exceeds = page.get_by_label(re.compile(r"^Exceeds when beyond the target by"))
    exceeds.fill("0")
    page.get_by_role("button", name="Save the benchmark").click()
    expect(page.get_by_role("alert").filter(has_text="Nothing was saved")).to_contain_text("more than 0")
    expect(exceeds).to_have_attribute("aria-describedby", re.compile(r"_error\b"))
    assert_accessible(page)
    exceeds.fill("4")
    page.get_by_label(re.compile(r"^Falls far below when short of the target by")).fill("9")
    page.get_by_role("button", name="Save the benchmark").click()
    expect(page.get_by_role("status")).to_contain_text(f"Benchmark “{benchmark.key}” changed.")

    page.goto(f"/contracts/{contract.pk}/")
    expect(page.locator(".benchmark").first).to_contain_text("Exceeds 4 beyond the target; falls far below 9")
    steps = page.get_by_role("region", name=re.compile(r"What happens if it does not$")).locator(".rule-step")
    expect(steps).to_have_count(6)
    for number, step in enumerate(steps.all(), start=1):
        expect(step).to_have_text(re.compile(rf"^Step {number} of 6: "))
    assert_accessible(page)
    review_screenshot(page, "contract-ladder")
