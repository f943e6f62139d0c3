"""Contracts that match the ledger (issue 12, finding 4): a draft's benchmark and rules are changed in place
(every field, the rating bands and the bound autonomy, from the page); a version lists only the grants
held when it was made; the changes page covers autonomies, rules and rating bands; the intervention
steps print in the ladder's order, each step once."""

import re
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from pypdf import PdfReader

from autonomy.services import ItemChoice, grant_change, request_decide
from contracts.models import Benchmark, ContractStatus, InterventionRule, Level, PerformanceContract
from contracts.pdf import render_contract_pdf
from contracts.selectors import contract_diff, contract_get_for_user
from contracts.services import (
    BenchmarkInput,
    RuleInput,
    contract_amend,
    contract_amend_from_request,
    contract_benchmark_update,
    contract_create_from_template,
    contract_rule_update,
)
from contracts.wording import describe_diff
from core.errors import ApplicationError
from tests.autonomy.factories import CallFactory, complete_request
from tests.factories import grant

S = ContractStatus


def _words(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def _steps(text: str) -> list[int]:
    return [int(n) for n in re.findall(r"Step (\d) of 6", text)]


def _edit_data(benchmark: Benchmark, **changes) -> dict:
    data = {
        "metric": benchmark.metric_id,
        "kind": benchmark.kind,
        "comparator": benchmark.comparator,
        "target": benchmark.target,
        "periods": benchmark.periods,
        "baseline": benchmark.baseline if benchmark.baseline is not None else "",
        "new_school_target": "",
        "exceeds_margin": "",
        "far_below_margin": "",
        "binding_autonomy": "",
        "expected_status": "draft",
    }
    return {**data, **changes}


# --- the ladder, in order --------------------------------------------------------------------------


def test_the_intervention_steps_print_in_ladder_order_each_once(client_for, principal, admin, proposed):
    # The template lists the revocation rule first and opens two rules at step 1, none at steps 4 and 5.
    assert [r.level for r in InterventionRule.objects.filter(contract=proposed).order_by("position")] == [6, 2, 3, 1]
    page = _words(client_for(principal).get(reverse("contracts:contract_detail", args=[proposed.pk])))
    section = page[page.index("What happens if it does not") :]
    assert _steps(section) == [1, 2, 3, 4, 5, 6]
    assert section.count("No rule starts here: a flag comes to this step from the step below") == 2  # 4 and 5
    step_one = section[section.index("Step 1 of 6") : section.index("Step 2 of 6")]
    assert "If the data for a benchmark is missing" in step_one

    contract = contract_get_for_user(user=admin, contract_id=proposed.pk)
    pdf = " ".join(p.extract_text() for p in PdfReader(BytesIO(render_contract_pdf(contract))).pages)
    assert _steps(" ".join(pdf.split())) == [1, 2, 3, 4, 5, 6]
    printed = _words(client_for(principal).get(reverse("contracts:contract_print", args=[proposed.pk])))
    assert _steps(printed[printed.index("What happens if it does not") :]) == [1, 2, 3, 4, 5, 6]


def test_two_rules_on_one_step_print_under_that_step_in_the_contracts_order(client_for, principal, proposed):
    InterventionRule.objects.filter(contract=proposed, key="three-missed").update(level=Level.NOTICE)
    page = _words(client_for(principal).get(reverse("contracts:contract_detail", args=[proposed.pk])))
    section = page[page.index("What happens if it does not") :]
    assert _steps(section) == [1, 2, 3, 4, 5, 6]
    step_one = section[section.index("Step 1 of 6") : section.index("Step 2 of 6")]
    assert step_one.index("If 3 or more benchmarks") < step_one.index("If the data for a benchmark")


# --- a version lists the grants held when it is made -------------------------------------------------


def test_a_draft_lists_no_grant_revoked_that_morning_nor_one_that_has_not_started(
    admin, school, template, term, baselines, hiring_grant
):
    grant_change(actor=admin, grant_id=hiring_grant.pk, action="revoke", reason="Vacancies again.")
    later = grant(school, "time.schedule", actor=admin, starts_on=term[1].start_date)  # next year's
    held = grant(school, "time.pd_calendar", actor=admin)
    contract = contract_create_from_template(
        actor=admin, school=school, template=template, term_start=term[0], term_end=term[1]
    )
    assert list(contract.grants.all()) == [held]
    assert later not in contract.grants.all()
    # Nothing protects the revoked autonomy in the new version.
    assert contract.benchmarks.get(key="first-day-vacancies").binding_grant is None


def test_an_amendment_does_not_carry_over_a_grant_revoked_since(admin, active, hiring_grant):
    assert list(active.grants.all()) == [hiring_grant]
    grant_change(actor=admin, grant_id=hiring_grant.pk, action="revoke", reason="Vacancies again.")
    amendment = contract_amend(actor=admin, contract_id=active.pk, reason="Next year's targets.")
    assert list(amendment.grants.all()) == []
    assert amendment.benchmarks.get(key="first-day-vacancies").binding_grant is None
    # The changes page says so.
    old = contract_get_for_user(user=admin, contract_id=active.pk)
    new = contract_get_for_user(user=admin, contract_id=amendment.pk)
    words = describe_diff(diff=contract_diff(old=old, new=new), old=old, new=new)
    assert words["autonomies"]["removed"] == ["Hire and dismiss staff (full autonomy with expectations)"]
    assert ("Teacher vacancies on the first day", ["Autonomy that depends on it: Hire and dismiss staff → none"]) in (
        words["benchmarks"]["changed"]
    )


def test_a_version_built_from_a_request_lists_no_grant_revoked_that_morning(admin, principal, school, active):
    call = CallFactory(offers=["program.curriculum"])
    autonomy_request = complete_request(principal=principal, school=school, call=call, submit=True)
    request_decide(
        actor=admin,
        request_id=autonomy_request.pk,
        choices={item.pk: ItemChoice("approved") for item in autonomy_request.items.all()},
    )
    hiring = active.grants.get(autonomy__code="people.hiring")
    grant_change(actor=admin, grant_id=hiring.pk, action="revoke", reason="Revoked this morning.")
    amendment = contract_amend_from_request(actor=admin, request_id=autonomy_request.pk)
    codes = set(amendment.grants.values_list("autonomy__code", flat=True))
    assert "people.hiring" not in codes
    assert "program.curriculum" in codes


# --- editing in place --------------------------------------------------------------------------------


def test_a_benchmark_is_changed_in_place_from_the_page_keeping_its_rules(client_for, admin, draft, metrics):
    ela = draft.benchmarks.get(key="ela-proficiency")
    rule = draft.rules.get(key="ela-twice")
    assert rule.benchmark_id == ela.pk
    client = client_for(admin)
    edit = reverse("contracts:contract_edit", args=[draft.pk])
    assert reverse("contracts:contract_benchmark_edit", args=[draft.pk, "ela-proficiency"]) in (
        client.get(edit).content.decode()
    )
    url = reverse("contracts:contract_benchmark_edit", args=[draft.pk, "ela-proficiency"])
    form = client.get(url)
    page = _words(form)
    assert "Rating bands" in page and "Autonomy that depends on it" in page
    assert re.search(r'name="target" value="43"[ >]', form.content.decode())  # as written: 43, not 43.0000

    response = client.post(
        url,
        _edit_data(
            ela,
            target="47",
            comparator=">",
            exceeds_margin="5",
            far_below_margin="10",
            new_school_target="35",
            binding_autonomy=ela.contract.grants.get().autonomy_id,
        ),
    )
    assert response.status_code == 302, _words(response)
    changed = Benchmark.objects.get(pk=ela.pk)  # the same row: nothing removed and added again
    assert (changed.target, changed.comparator, changed.new_school_target) == (Decimal(47), ">", Decimal(35))
    assert (changed.exceeds_margin, changed.far_below_margin) == (Decimal(5), Decimal(10))
    assert changed.binding_grant.autonomy.code == "people.hiring"
    assert changed.position == ela.position
    assert InterventionRule.objects.get(pk=rule.pk).benchmark_id == ela.pk  # the rule still names it

    detail = _words(client.get(reverse("contracts:contract_detail", args=[draft.pk])))
    assert "Rating bands Exceeds 5 beyond the target; falls far below 10 short of it" in detail


def test_margins_survive_changing_another_field(admin, draft):
    Benchmark.objects.filter(contract=draft, key="growth").update(exceeds_margin=4, far_below_margin=6)
    growth = draft.benchmarks.get(key="growth")
    contract_benchmark_update(
        actor=admin,
        contract_id=draft.pk,
        key="growth",
        benchmark=BenchmarkInput(
            key="growth",
            metric=growth.metric,
            kind=growth.kind,
            comparator=growth.comparator,
            target=Decimal(3),
            exceeds_margin=growth.exceeds_margin,
            far_below_margin=growth.far_below_margin,
        ),
    )
    growth.refresh_from_db()
    assert (growth.target, growth.exceeds_margin, growth.far_below_margin) == (3, 4, 6)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"exceeds_margin": "-2"}, "exceeds_margin"),
        ({"far_below_margin": "0"}, "far_below_margin"),
        ({"target": "140"}, "target"),
        ({"binding_autonomy": "other"}, "binding_autonomy"),
        ({"metric": ""}, "metric"),
    ],
)
def test_a_bad_benchmark_change_is_refused_on_its_field_and_saves_nothing(
    client_for, admin, draft, changes, field, school
):
    ela = draft.benchmarks.get(key="ela-proficiency")
    if changes.get("binding_autonomy") == "other":
        changes = {"binding_autonomy": grant(school, "time.schedule", actor=admin).autonomy_id}  # not in the version
    response = client_for(admin).post(
        reverse("contracts:contract_benchmark_edit", args=[draft.pk, "ela-proficiency"]), _edit_data(ela, **changes)
    )
    assert response.status_code == 400
    assert field in response.context["form"].errors
    unchanged = Benchmark.objects.get(pk=ela.pk)
    assert (unchanged.target, unchanged.exceeds_margin, unchanged.binding_grant_id) == (ela.target, None, None)


def test_the_service_refuses_an_autonomy_the_version_does_not_cover(admin, draft, school):
    other = grant(school, "time.schedule", actor=admin)
    growth = draft.benchmarks.get(key="growth")
    with pytest.raises(ApplicationError) as refused:
        contract_benchmark_update(
            actor=admin,
            contract_id=draft.pk,
            key="growth",
            benchmark=BenchmarkInput(
                key="growth",
                metric=growth.metric,
                kind=growth.kind,
                comparator=growth.comparator,
                target=growth.target,
                binding_autonomy=other.autonomy,
            ),
        )
    assert list(refused.value.fields) == ["binding_autonomy"]


def test_rating_bands_and_the_bound_autonomy_are_set_when_adding_from_the_page(client_for, admin, draft, metrics):
    response = client_for(admin).post(
        reverse("contracts:contract_edit", args=[draft.pk]),
        {
            "intent": "add",
            "key": "family-satisfaction",
            "metric": metrics["family_satisfaction"].pk,
            "kind": "value",
            "comparator": ">=",
            "target": "80",
            "periods": "1",
            "exceeds_margin": "5",
            "far_below_margin": "15",
            "binding_autonomy": draft.grants.get().autonomy_id,
            "expected_status": "draft",
        },
    )
    assert response.status_code == 302
    added = draft.benchmarks.get(key="family-satisfaction")
    assert (added.exceeds_margin, added.far_below_margin) == (5, 15)
    assert added.binding_grant == draft.grants.get()


def test_a_rule_is_changed_in_place_from_the_page(client_for, admin, draft):
    rule = draft.rules.get(key="three-missed")
    client = client_for(admin)
    url = reverse("contracts:contract_rule_edit", args=[draft.pk, "three-missed"])
    assert url in client.get(reverse("contracts:contract_edit", args=[draft.pk])).content.decode()
    data = {
        "condition": "n_missed",
        "count": "2",
        "benchmark_key": "",
        "level": str(Level.INTENSIFIED_SUPPORT),
        "deadline_days": "45",
        "remedy": "Work with the network team.",
        "provision": "Section 5.1: corrective action",
        "expected_status": "draft",
    }
    assert client.post(url, data).status_code == 302
    changed = InterventionRule.objects.get(pk=rule.pk)
    assert (changed.count, changed.level, changed.deadline_days, changed.remedy) == (
        2,
        Level.INTENSIFIED_SUPPORT,
        45,
        "Work with the network team.",
    )

    refused = client.post(url, {**data, "condition": "k_in_a_row", "benchmark_key": ""})
    assert refused.status_code == 400
    assert "benchmark_key" in refused.context["form"].errors
    refused = client.post(url, {**data, "remedy": " "})
    assert refused.status_code == 400 and "remedy" in refused.context["form"].errors
    assert InterventionRule.objects.get(pk=rule.pk).condition == "n_missed"


def test_changing_a_rule_of_a_signed_contract_needs_a_new_signature(admin, signed):
    rule = signed.rules.get(key="ela-twice")
    contract_rule_update(
        actor=admin,
        contract_id=signed.pk,
        key="ela-twice",
        rule=RuleInput(
            condition=rule.condition,
            count=3,
            level=rule.level,
            deadline_days=rule.deadline_days,
            remedy=rule.remedy,
            provision=rule.provision,
            benchmark_key="ela-proficiency",
        ),
    )
    contract = PerformanceContract.objects.get(pk=signed.pk)
    assert (contract.status, contract.signed_at, contract.signed_content_sha256) == (S.PROPOSED, None, "")
    assert InterventionRule.objects.get(pk=rule.pk).count == 3


ROUTES = {"contracts:contract_benchmark_edit": "growth", "contracts:contract_rule_edit": "binding"}


@pytest.mark.parametrize("route", ROUTES)
def test_only_the_autonomy_office_edits(client_for, admin, principal, other_principal, proposed, route):
    url = reverse(route, args=[proposed.pk, ROUTES[route]])
    assert client_for(admin).get(url).status_code == 200
    assert client_for(principal).get(url).status_code == 403  # they read the contract; not theirs to edit
    assert client_for(principal).post(url, {"expected_status": "proposed"}).status_code == 403
    assert client_for(other_principal).get(url).status_code == 404  # another school's: not even there
    assert client_for(admin).get(reverse(route, args=[proposed.pk, "no-such-key"])).status_code == 404


@pytest.mark.parametrize("route", ROUTES)
def test_a_version_in_force_is_amended_not_edited(client_for, admin, active, route):
    url = reverse(route, args=[active.pk, ROUTES[route]])
    response = client_for(admin).get(url)
    assert response.status_code == 403
    assert "amend it to create the next version" in _words(response)
    stale = client_for(admin).post(url, {"expected_status": "signed"})  # a form from before it moved on
    assert stale.status_code == 409


# --- the changes page --------------------------------------------------------------------------------


def test_the_changes_page_shows_autonomies_rules_and_rating_bands(client_for, admin, active, hiring_grant):
    grant_change(actor=admin, grant_id=hiring_grant.pk, action="revoke", reason="Vacancies again.")
    amendment = contract_amend(actor=admin, contract_id=active.pk, reason="Next year's targets.")
    Benchmark.objects.filter(contract=amendment, key="growth").update(exceeds_margin=5)
    InterventionRule.objects.filter(contract=amendment, key="no-data").update(level=Level.CORRECTIVE_PLAN)
    page = _words(client_for(admin).get(reverse("contracts:contract_diff", args=[amendment.pk])))
    autonomies = page[page.index("What the school may decide") : page.index("Benchmarks")]
    assert "Removed: Hire and dismiss staff (full autonomy with expectations)" in autonomies
    assert "Rating band: exceeds when beyond the target by: none → 5" in page
    assert "What happens: step 1 (Notice of concern) → step 2 (Corrective action plan required)" in page
