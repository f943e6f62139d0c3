"""The intervention ladder in the browser: the autonomy office raises a flag to "revoked" and the grant is
revoked; a school that meets its benchmark again within the cure period sees its autonomy cured."""

import datetime
import re

from playwright.sync_api import Page, expect

from accountability.services import evaluation_run
from autonomy.models import GrantStatus
from contracts.models import Level, TemplateBenchmark
from schools.models import Role
from tests.accountability.builders import AS_OF, active_contract, ela_template, flag_of, observe, school_years
from tests.factories import SchoolFactory, grant

from .accessibility import assert_accessible
from .steps import login, review_screenshot

PASSWORD = "correct-horse-battery"  # tests.factories.UserFactory's


def test_raising_a_flag_to_revoked_revokes_the_grant(page: Page, demo_district, make_member):
    admin = make_member(Role.ADMIN)
    school = SchoolFactory(name="Curie Middle School")
    hiring = grant(school, "people.hiring")
    active_contract(school, admin=admin, template=ela_template(level=Level.SUSPENDED), years=school_years())
    observe(school, "2026-27", 40)
    evaluation_run(as_of=AS_OF, confirm=True)
    flag = flag_of(school)
    hiring.refresh_from_db()
    assert (flag.level, hiring.status) == (Level.SUSPENDED, GrantStatus.SUSPENDED)

    login(page, admin.username, PASSWORD)
    page.goto(f"/flags/{flag.pk}/")
    expect(page.get_by_text("“Hire and dismiss staff” will be revoked.")).to_be_visible()
    assert_accessible(page)
    raise_form = page.locator(f"form[action='/flags/{flag.pk}/escalate/']")
    raise_form.get_by_role("textbox").fill("Still below the target after the suspension.")
    raise_form.get_by_role("button", name="Raise one level").click()

    expect(page.get_by_text("The flag was raised one level")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("^Autonomy revoked"))
    expect(page.get_by_text("No deadline: this is the last step of the contract's ladder.")).to_be_visible()
    expect(page.get_by_text("Hire and dismiss staff (revoked)")).to_be_visible()
    hiring.refresh_from_db()
    assert hiring.status == GrantStatus.REVOKED and hiring.events.latest("pk").actor == admin
    assert_accessible(page)
    review_screenshot(page, "flag-raised-to-revoked")


def test_a_benchmark_met_again_within_the_cure_period_cures_the_grant(page: Page, demo_district, make_member):
    admin = make_member(Role.ADMIN)
    school = SchoolFactory(name="Franklin High School")
    hiring = grant(school, "people.hiring")
    template = ela_template(level=Level.AT_RISK)
    template.rules.update(condition="binding_missed", deadline_days=20)
    TemplateBenchmark.objects.filter(template=template).update(binding_autonomy=hiring.autonomy)
    principal = active_contract(school, admin=admin, template=template, years=school_years())
    observe(school, "2026-27", 40)
    evaluation_run(as_of=AS_OF, confirm=True)
    hiring.refresh_from_db()
    assert hiring.status == GrantStatus.AT_RISK and hiring.at_risk_until == AS_OF + datetime.timedelta(days=20)
    observe(school, "2026-27", 55)
    evaluation_run(as_of=AS_OF + datetime.timedelta(days=10), confirm=True)
    hiring.refresh_from_db()
    assert hiring.status == GrantStatus.ACTIVE

    login(page, principal.username, PASSWORD)
    page.goto(f"/flags/{flag_of(school).pk}/")
    expect(page.locator(".timeline").get_by_text("Autonomy cured", exact=True)).to_be_visible()
    expect(page.get_by_text("Hire and dismiss staff (active)")).to_be_visible()
    assert_accessible(page)
    page.goto("/inbox/")
    expect(page.get_by_text("Franklin High School: autonomy cured")).to_be_visible()
    review_screenshot(page, "flag-cured")
