"""A principal joins a network in Chromium: they open the school's network page, compare the networks, ask
to join the innovation zone with a reason (an empty reason is refused first, naming the field); the
autonomy office finds the request in its queue with the places left and approves it; the principal sees the
new network for the year. Each page is checked with axe-core and looked at at 1280 and 390 px."""

import re

import pytest
from playwright.sync_api import Page, expect

from schools.models import NetworkKind, Role
from support.models import NetworkMembership, NetworkRequest
from support.services.networks import opt_out_allowance_set, team_seat_add
from tests.factories import SchoolFactory
from tests.support.networks_world import department_staff, network, window_open, years_now_and_next

from .accessibility import assert_accessible
from .steps import login, logout, review_screenshot

PASSWORD = "correct-horse-battery"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def network_district(live_server, django_db_serialized_rollback, make_member):
    """Two networks with teams, next year's window open, a school in the first with its principal, and the
    autonomy office."""
    now, nxt = years_now_and_next()
    window_open(nxt)
    north = network("North Network", offers="Schools of the north side, served by one team.")
    zone = network(
        "Innovation Zone",
        kind=NetworkKind.INNOVATION_ZONE,
        capacity=6,
        offers="Schools that redesign their day, staffing and program.",
    )
    admin = make_member(Role.ADMIN, username="autonomy-office", first_name="Dana", last_name="Cole")
    for net in (north, zone):
        for department in ("academics", "finance", "data"):
            team_seat_add(actor=admin, network=net, department=department, user=department_staff(department))
    opt_out_allowance_set(actor=admin, network=zone, department="hr", terms="The school hires its own teachers.")
    school = SchoolFactory(name="Lincoln Elementary", network=north)
    for _ in range(2):
        SchoolFactory(network=zone)
    make_member(Role.PRINCIPAL, school=school, username="principal-lincoln", first_name="Ana", last_name="Ruiz")
    return {"school": school, "zone": zone, "north": north, "next": nxt}


def look(page: Page, name: str) -> None:
    """A screenshot at the desktop width and at a phone's, for a person to look at."""
    review_screenshot(page, f"{name}-1280")
    page.set_viewport_size(PHONE)
    assert_accessible(page)
    review_screenshot(page, f"{name}-390")
    page.set_viewport_size(DESKTOP)


def test_a_principal_asks_to_join_a_network_and_the_office_approves(page: Page, network_district):
    school, year = network_district["school"], network_district["next"].label
    school_url = f"/support/schools/{school.code}/network/"

    # 1. The principal opens the school's network page and compares the networks.
    login(page, "principal-lincoln", PASSWORD)
    page.goto(school_url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Network")
    expect(page.get_by_text(f"Networks for {year} may be chosen now")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("Compare the networks")).click()
    zone_card = page.get_by_role("region", name="Innovation Zone")
    expect(zone_card).to_contain_text("4 of 6 places left")
    expect(zone_card).to_contain_text("Data and assessment")
    assert_accessible(page)
    look(page, "networks-list-principal")
    page.go_back()

    # 2. An empty reason is refused naming the field; then the request is sent.
    choose = page.get_by_role("region", name=f"Choose a network for {year}")
    choose.get_by_label("Network", exact=True).select_option(label="Innovation Zone (Innovation zone, 4 places left)")
    choose.get_by_role("button", name="Ask to join").click()
    expect(page.locator("#id_reason_error")).to_have_text("Say why this network suits the school.")
    assert_accessible(page)
    assert not NetworkRequest.objects.exists()
    page.get_by_label("Why this network suits your school").fill("We want to redesign our day around literacy.")
    page.get_by_role("button", name="Ask to join").click()
    expect(page.get_by_role("region", name="Waiting for the autonomy office")).to_contain_text("Innovation Zone")
    assert_accessible(page)
    look(page, "network-school-principal-waiting")
    logout(page)

    # 3. The autonomy office finds it in the queue with the places left, and approves.
    login(page, "autonomy-office", PASSWORD)
    page.goto("/support/networks/requests/")
    card = page.get_by_role("region", name=re.compile("Lincoln Elementary"))
    expect(card).to_contain_text("4 of 6 left")
    expect(card).to_contain_text("We want to redesign our day around literacy.")
    assert_accessible(page)
    look(page, "network-queue-office")
    card.get_by_label("Note to the principal (optional)").fill("Welcome to the zone.")
    card.get_by_role("button", name="Approve").click()
    expect(page.get_by_text("No request is waiting.")).to_be_visible()
    expect(page.get_by_text(f"Lincoln Elementary joins Innovation Zone for {year}.")).to_be_visible()
    page.goto(f"/support/networks/{network_district['zone'].pk}/")
    expect(page.get_by_role("region", name=re.compile("^Schools in"))).to_contain_text("Lincoln Elementary")
    assert_accessible(page)
    look(page, "network-detail-office")
    page.goto("/support/networks/window/")
    assert_accessible(page)
    look(page, "network-window-office")
    page.goto(f"/support/networks/{network_district['zone'].pk}/team/")
    assert_accessible(page)
    look(page, "network-team-office")
    logout(page)
    assert NetworkMembership.objects.get(school=school, ended_on=None).network == network_district["zone"]

    # 4. The principal sees the new network for the year, and its history.
    login(page, "principal-lincoln", PASSWORD)
    page.goto(school_url)
    expect(page.locator(".facts")).to_contain_text(f"In {year}")
    expect(page.locator(".facts")).to_contain_text("Innovation Zone")
    history = page.get_by_role("region", name="History")
    expect(history).to_contain_text("Innovation Zone")
    expect(history).to_contain_text("Welcome to the zone.")
    assert_accessible(page)
    look(page, "network-school-principal-joined")
