"""The contract pages: reading, signing, countersigning, drafting, editing, amending; who sees what;
refusals as 400/403/404/409, never 500; query counts pinned."""

import re
from decimal import Decimal

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from autonomy.services import ItemChoice, request_decide
from contracts.models import Benchmark, ContractStatus, PerformanceContract
from contracts.services import (
    BenchmarkInput,
    contract_amend,
    contract_benchmark_add,
    contract_create_from_template,
    contract_propose,
    contract_recall,
)
from tests.autonomy.factories import CallFactory, complete_request
from tests.factories import SchoolFactory

S = ContractStatus


def _url(name, contract, *args):
    return reverse(name, args=[contract.pk, *args])


def _text(response) -> str:
    return " ".join(response.content.decode().split())


def _words(response) -> str:
    """What a reader sees: the page's text without its tags."""
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


# --- reading and signing -------------------------------------------------------------------------


def test_a_principal_reads_the_contract_at_a_glance(client_for, principal, proposed):
    response = client_for(principal).get(_url("contracts:contract_detail", proposed))
    assert response.status_code == 200
    page = _text(response)
    for heading in ("What your school may decide", "What your school must achieve", "What happens if it does not"):
        assert heading in page
    assert "Hire and dismiss staff" in page
    assert "Proficiency in ELA is at least 43%." in page
    assert "Keeping “Hire and dismiss staff” depends on this result." in page
    assert "Section 4.2: retention of autonomies" in page
    assert "I have read this contract" in page
    assert 'name="expected_status" value="proposed"' in page
    assert "&lt;" not in page  # the signing step's words are text, not escaped markup
    # Only the district's steps are the district's.
    assert "Countersign" not in page and "Propose to the school" not in page


def test_a_principal_signs_through_the_page_with_their_password(client_for, principal, proposed):
    client = client_for(principal)
    page = _text(client.get(_url("contracts:contract_detail", proposed)))
    assert f"You sign as <strong>Pat Rivera</strong> (account {principal.get_username()})." in page
    assert 'type="password" name="password"' in page and 'autocomplete="current-password"' in page
    url = _url("contracts:contract_action", proposed, "sign")

    response = client.post(url, {"password": "correct-horse-battery", "expected_status": "proposed"})
    assert response.status_code == 400
    assert "Tick the box to confirm you have read the contract." in _text(response)
    response = client.post(url, {"confirm": "on", "password": "", "expected_status": "proposed"})
    assert response.status_code == 400
    assert "Enter your password to sign." in _text(response)
    assert PerformanceContract.objects.get(pk=proposed.pk).status == S.PROPOSED

    response = client.post(
        url,
        {"confirm": "on", "password": "correct-horse-battery", "expected_status": "proposed"},
        REMOTE_ADDR="198.51.100.4",
    )
    assert response.status_code == 302
    signed = PerformanceContract.objects.get(pk=proposed.pk)
    assert (signed.status, signed.signed_name, signed.signed_by, signed.signed_address) == (
        S.SIGNED,
        "Pat Rivera",
        principal,
        "198.51.100.4",
    )
    page = _words(client.get(response.url))
    assert "Pat Rivera" in page and "signed" in page
    assert f"Account: {principal.get_username()}" in page and "From address: 198.51.100.4" in page
    assert signed.signed_content_sha256 in page
    assert "Content matches what was signed." in page


def test_a_wrong_password_is_refused_on_the_password_field_and_saves_nothing(client_for, principal, proposed):
    client = client_for(principal)
    response = client.post(
        _url("contracts:contract_action", proposed, "sign"),
        {"confirm": "on", "password": "Mickey Mouse", "expected_status": "proposed"},
    )
    assert response.status_code == 400
    form = response.context["forms"]["sign"]
    assert form.errors["password"] == ["That is not your password. Enter the password you sign in with."]
    assert "Mickey Mouse" not in response.content.decode()  # a password is never drawn back into the page
    contract = PerformanceContract.objects.get(pk=proposed.pk)
    assert (contract.status, contract.signed_at, contract.signed_name) == (S.PROPOSED, None, "")


def test_wrong_signing_passwords_count_toward_the_login_throttle(client_for, client, settings, principal, proposed):
    signer = client_for(principal)
    url = _url("contracts:contract_action", proposed, "sign")
    wrong = {"confirm": "on", "password": "not-it-at-all", "expected_status": "proposed"}
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert signer.post(url, wrong).status_code == 400
    assert AccessAttempt.objects.get(username=principal.get_username()).failures_since_start == (
        settings.AXES_FAILURE_LIMIT - 1
    )
    locking = signer.post(url, wrong)
    assert locking.status_code == 429
    assert "Too many wrong passwords" in _text(locking)
    # Locked out now: even the right password does not sign, and signing in is locked too.
    right = {**wrong, "password": "correct-horse-battery"}
    refused = signer.post(url, right)
    assert refused.status_code == 429
    assert "Too many wrong passwords" in refused.context["forms"]["sign"].errors["password"][0]
    assert PerformanceContract.objects.get(pk=proposed.pk).signed_at is None
    login = client.post(reverse("login"), {"username": principal.get_username(), "password": "correct-horse-battery"})
    assert login.status_code == 429


def test_the_contract_page_checks_the_content_against_the_signed_hash(client_for, admin, principal, active):
    client = client_for(principal)
    url = _url("contracts:contract_detail", active)
    page = _words(client.get(url))
    assert page.count("Content matches what was signed.") == 2  # the principal's and the district's
    assert "Content has changed since it was signed." not in page

    # Somebody alters the stored content behind the workflow's back.
    Benchmark.objects.filter(contract=active, key="growth").update(target=Decimal("0.5"))
    page = _words(client.get(url))
    assert page.count("Content has changed since it was signed.") == 2
    assert "Content matches what was signed." not in page
    printed = _words(client.get(_url("contracts:contract_print", active)))
    assert "Content has changed since it was signed." in printed


def test_the_admin_countersigns_through_the_page(client_for, admin, signed):
    client = client_for(admin)
    page = _text(client.get(_url("contracts:contract_detail", signed)))
    assert "Countersign for the district" in page
    response = client.post(
        _url("contracts:contract_action", signed, "countersign"),
        {"password": "correct-horse-battery", "expected_status": "signed"},
    )
    assert response.status_code == 302
    assert PerformanceContract.objects.get(pk=signed.pk).status == S.ACTIVE


def test_the_admin_proposes_recalls_and_terminates_through_the_page(client_for, admin, draft, principal):
    client = client_for(admin)
    assert (
        client.post(_url("contracts:contract_action", draft, "propose"), {"expected_status": "draft"}).status_code
        == 302
    )
    assert (
        client.post(_url("contracts:contract_action", draft, "recall"), {"expected_status": "proposed"}).status_code
        == 302
    )
    assert PerformanceContract.objects.get(pk=draft.pk).status == S.DRAFT


def test_terminate_needs_a_reason(client_for, admin, active):
    client = client_for(admin)
    url = _url("contracts:contract_action", active, "terminate")
    response = client.post(url, {"reason": "", "expected_status": "active"})
    assert response.status_code == 400
    assert "Say why." in _text(response)
    assert client.post(url, {"reason": "School closed.", "expected_status": "active"}).status_code == 302
    assert PerformanceContract.objects.get(pk=active.pk).status == S.TERMINATED


def test_signing_twice_from_two_tabs_is_told_it_is_done(client_for, principal, proposed):
    client = client_for(principal)
    url = _url("contracts:contract_action", proposed, "sign")
    data = {"confirm": "on", "password": "correct-horse-battery", "expected_status": "proposed"}
    assert client.post(url, data).status_code == 302
    response = client.post(url, data)
    assert response.status_code == 409
    assert "that step is not open now" in _text(response)


def test_a_recalled_contract_is_no_longer_the_principals_to_sign(client_for, admin, principal, proposed):
    contract_recall(actor=admin, contract_id=proposed.pk)
    response = client_for(principal).post(
        _url("contracts:contract_action", proposed, "sign"),
        {"confirm": "on", "password": "correct-horse-battery", "expected_status": "proposed"},
    )
    assert response.status_code == 404  # a draft stays with the autonomy office
    assert PerformanceContract.objects.get(pk=proposed.pk).signed_at is None


def test_a_signature_on_a_moved_contract_is_a_conflict(client_for, admin, principal, signed):
    response = client_for(admin).post(
        _url("contracts:contract_action", signed, "countersign"),
        {"password": "correct-horse-battery", "expected_status": "proposed"},
    )
    assert response.status_code == 409
    assert "Somebody acted on this contract first" in _text(response)
    assert PerformanceContract.objects.get(pk=signed.pk).status == S.SIGNED


def test_countersigning_before_the_principal_signs_is_refused_with_409(client_for, admin, proposed):
    response = client_for(admin).post(
        _url("contracts:contract_action", proposed, "countersign"),
        {"password": "correct-horse-battery", "expected_status": "proposed"},
    )
    assert response.status_code == 409
    assert "not open now" in _text(response)


def test_a_school_team_member_may_read_but_not_sign(client_for, make_member, school, proposed):
    member = make_member("school_team", school=school)
    client = client_for(member)
    page = _text(client.get(_url("contracts:contract_detail", proposed)))
    assert "I have read this contract" not in page
    response = client.post(
        _url("contracts:contract_action", proposed, "sign"),
        {"confirm": "on", "password": "correct-horse-battery", "expected_status": "proposed"},
    )
    assert response.status_code == 403
    assert "Only the school&#x27;s principal signs" in _text(response)


def test_an_unknown_step_is_404(client_for, admin, draft):
    assert client_for(admin).post(_url("contracts:contract_action", draft, "shred"), {}).status_code == 404


# --- who sees what -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["contracts:contract_detail", "contracts:contract_print", "contracts:contract_pdf"])
def test_another_schools_contract_is_404_for_a_principal(client_for, other_principal, proposed, name):
    assert client_for(other_principal).get(_url(name, proposed)).status_code == 404


def test_another_principal_cannot_sign_by_posting(client_for, other_principal, proposed):
    response = client_for(other_principal).post(
        _url("contracts:contract_action", proposed, "sign"),
        {"confirm": "on", "password": "correct-horse-battery", "expected_status": "proposed"},
    )
    assert response.status_code == 404


@pytest.mark.parametrize("name", ["contracts:contract_detail", "contracts:contract_print", "contracts:contract_pdf"])
def test_a_draft_is_404_for_the_principal(client_for, principal, draft, name):
    assert client_for(principal).get(_url(name, draft)).status_code == 404


def test_drafting_is_404_for_a_principal(client_for, principal):
    assert client_for(principal).get(reverse("contracts:contract_new")).status_code == 404


def test_editing_is_refused_to_a_principal_who_may_read_the_contract(client_for, principal, other_principal, proposed):
    assert client_for(principal).get(_url("contracts:contract_edit", proposed)).status_code == 403
    assert client_for(other_principal).get(_url("contracts:contract_edit", proposed)).status_code == 404


def test_the_list_shows_a_principal_only_their_schools_contracts(client_for, principal, proposed, other_draft, admin):
    contract_propose(actor=admin, contract_id=other_draft.pk)
    page = _text(client_for(principal).get(reverse("contracts:contract_list")))
    assert proposed.school.name in page
    assert other_draft.school.name not in page
    admin_page = _text(client_for(admin).get(reverse("contracts:contract_list")))
    assert proposed.school.name in admin_page and other_draft.school.name in admin_page


def test_the_list_filters_by_status(client_for, admin, proposed, other_draft):
    page = _text(client_for(admin).get(reverse("contracts:contract_list"), {"status": "draft"}))
    assert other_draft.school.name in page
    assert proposed.school.name not in page


# --- the pdf, the print view, the changes page ---------------------------------------------------


def test_the_pdf_is_an_attachment(client_for, principal, proposed):
    response = client_for(principal).get(_url("contracts:contract_pdf", proposed))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="contract-')
    assert response.content.startswith(b"%PDF")


def test_the_print_view_uses_the_print_stylesheet(client_for, principal, proposed):
    page = _text(client_for(principal).get(_url("contracts:contract_print", proposed)))
    assert 'css/print.css" media="print"' in page
    assert "What your school must achieve" in page


def test_the_changes_page_reads_plainly(client_for, admin, principal, active):
    amendment = contract_amend(actor=admin, contract_id=active.pk, reason="Raise ELA.")
    client = client_for(admin)
    client.post(
        _url("contracts:contract_edit", amendment),
        {"intent": "remove", "key": "ela-proficiency", "expected_status": "draft"},
    )
    ela = active.benchmarks.get(key="ela-proficiency")
    contract_benchmark_add(
        actor=admin,
        contract_id=amendment.pk,
        benchmark=BenchmarkInput(
            key="ela-proficiency",
            metric=ela.metric,
            kind=ela.kind,
            comparator=">=",
            target=Decimal("48"),
            baseline=ela.baseline,
        ),
    )
    page = _text(client.get(_url("contracts:contract_diff", amendment)))
    assert "Target: 43 → 48" in page
    assert "Proficiency in ELA" in page
    detail = _text(client.get(_url("contracts:contract_detail", amendment)))
    assert reverse("contracts:contract_diff", args=[amendment.pk]) in detail
    assert reverse("contracts:contract_detail", args=[active.pk]) in detail


def test_a_first_version_says_there_is_nothing_to_compare(client_for, admin, draft):
    response = client_for(admin).get(_url("contracts:contract_diff", draft))
    assert response.status_code == 200
    assert "This is the first version" in _text(response)


# --- drafting, editing, amending -----------------------------------------------------------------


def test_the_admin_drafts_a_contract_from_a_template(client_for, admin, school, template, term, baselines):
    client = client_for(admin)
    assert client.get(reverse("contracts:contract_new")).status_code == 200
    response = client.post(
        reverse("contracts:contract_new"),
        {
            "school": school.pk,
            "template": template.pk,
            "term_start": term[0].pk,
            "term_end": term[1].pk,
        },
    )
    assert response.status_code == 302
    contract = PerformanceContract.objects.get(school=school)
    assert response.url == reverse("contracts:contract_edit", args=[contract.pk])
    assert contract.benchmarks.count() == 7


def test_drafting_for_a_school_without_a_baseline_names_the_benchmark(client_for, admin, template, term, baselines):
    newcomer = SchoolFactory()
    response = client_for(admin).post(
        reverse("contracts:contract_new"),
        {
            "school": newcomer.pk,
            "template": template.pk,
            "term_start": term[0].pk,
            "term_end": term[1].pk,
        },
    )
    assert response.status_code == 400
    assert "Benchmark “ela-proficiency”" in _text(response)
    assert not PerformanceContract.objects.filter(school=newcomer).exists()


def test_adding_a_benchmark_shows_the_comparator_warning(client_for, admin, draft, metrics):
    client = client_for(admin)
    response = client.post(
        _url("contracts:contract_edit", draft),
        {
            "intent": "add",
            "key": "absence",
            "metric": metrics["chronic_absenteeism"].pk,
            "kind": "value",
            "comparator": ">=",
            "target": "20",
            "periods": "1",
            "expected_status": "draft",
        },
        follow=True,
    )
    assert response.status_code == 200
    page = _text(response)
    assert "For Chronic absenteeism lower is better" in page
    assert draft.benchmarks.filter(key="absence").exists()


def test_a_target_outside_the_range_is_refused_by_the_field(client_for, admin, draft, metrics):
    response = client_for(admin).post(
        _url("contracts:contract_edit", draft),
        {
            "intent": "add",
            "key": "ela-2",
            "metric": metrics["ela_proficiency"].pk,
            "kind": "value",
            "comparator": ">=",
            "target": "140",
            "expected_status": "draft",
        },
    )
    assert response.status_code == 400
    page = _text(response)
    assert "Nothing was saved" in page
    assert 'id="add_target_error"' in page and "140 is outside Proficiency in ELA" in page
    assert not draft.benchmarks.filter(key="ela-2").exists()


def test_removing_a_benchmark_from_a_signed_contract_needs_a_new_signature(client_for, admin, signed):
    client = client_for(admin)
    page = _text(client.get(_url("contracts:contract_edit", signed)))
    assert "takes it back to the principal for a new signature" in page
    response = client.post(
        _url("contracts:contract_edit", signed), {"intent": "remove", "key": "growth", "expected_status": "signed"}
    )
    assert response.status_code == 302
    contract = PerformanceContract.objects.get(pk=signed.pk)
    assert (contract.status, contract.signed_at) == (S.PROPOSED, None)


def test_an_active_contract_is_not_edited_through_the_page(client_for, admin, active, metrics):
    client = client_for(admin)
    response = client.get(_url("contracts:contract_edit", active))
    assert response.status_code == 403
    page = _text(response)
    assert "amend it" in page
    assert "Add the benchmark" not in page
    response = client.post(
        _url("contracts:contract_edit", active), {"intent": "remove", "key": "growth", "expected_status": "active"}
    )
    assert response.status_code == 403
    # A form from when the contract was still being signed: it moved on meanwhile.
    response = client.post(
        _url("contracts:contract_edit", active), {"intent": "remove", "key": "growth", "expected_status": "signed"}
    )
    assert response.status_code == 409
    assert active.benchmarks.filter(key="growth").exists()


def test_the_admin_amends_an_active_contract(client_for, admin, active):
    client = client_for(admin)
    url = _url("contracts:contract_amend", active)
    assert client.post(url, {"reason": "", "expected_status": "active"}).status_code == 400
    response = client.post(url, {"reason": "New program.", "expected_status": "active"})
    assert response.status_code == 302
    amendment = PerformanceContract.objects.get(previous=active)
    assert response.url == reverse("contracts:contract_edit", args=[amendment.pk])
    # Asked twice (a second tab): the second is told.
    response = client.post(url, {"reason": "Again.", "expected_status": "active"})
    assert response.status_code == 409


def test_a_principal_cannot_amend(client_for, principal, active):
    response = client_for(principal).post(
        _url("contracts:contract_amend", active), {"reason": "x", "expected_status": "active"}
    )
    assert response.status_code == 403
    assert not PerformanceContract.objects.filter(previous=active).exists()


def test_an_approved_request_becomes_an_amendment(client_for, admin, principal, school, active, metrics):
    call = CallFactory(offers=["program.curriculum"])
    autonomy_request = complete_request(principal=principal, school=school, call=call, submit=True)
    client = client_for(admin)
    url = reverse("contracts:contract_from_request", args=[autonomy_request.pk])
    response = client.post(url)
    assert response.status_code == 400
    assert "Only an approved request" in _text(response)

    request_decide(
        actor=admin,
        request_id=autonomy_request.pk,
        choices={item.pk: ItemChoice("approved") for item in autonomy_request.items.all()},
    )
    detail = client.get(reverse("autonomy:request_detail", args=[autonomy_request.pk]))
    assert "Prepare the contract amendment" in _text(detail)
    assert "Prepare the contract amendment" not in _text(client_for(principal).get(detail.request["PATH_INFO"]))
    response = client.post(url)
    assert response.status_code == 302
    amendment = PerformanceContract.objects.get(previous=active)
    assert amendment.benchmarks.filter(key__startswith=f"request-{autonomy_request.pk}-").exists()
    assert client.post(url).status_code == 409
    assert client.post(reverse("contracts:contract_from_request", args=[999999])).status_code == 400
    assert client_for(principal).post(url).status_code == 404


# --- query counts --------------------------------------------------------------------------------


def _count_queries(client, url) -> int:
    """Queries of a warm request: the one before caches the session, the roles and the unread count."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_contract_page_costs_the_same_with_more_benchmarks(client_for, admin, principal, proposed, metrics):
    client = client_for(principal)
    url = _url("contracts:contract_detail", proposed)
    before = _count_queries(client, url)
    for index in range(15):
        contract_benchmark_add(
            actor=admin,
            contract_id=proposed.pk,
            benchmark=BenchmarkInput(
                key=f"extra-{index}",
                metric=metrics["family_satisfaction"],
                kind="value",
                comparator=">=",
                target=Decimal(50 + index),
            ),
        )
    after = _count_queries(client, url)
    # Ten: central office's commitments are one prefetch of their own (with their autonomy).
    assert before == after == 10


def test_the_contract_list_costs_the_same_with_more_contracts(
    client_for, admin, template, term, baselines, observe, draft
):
    client = client_for(admin)
    url = reverse("contracts:contract_list")
    before = _count_queries(client, url)
    for _ in range(20):
        school = SchoolFactory()
        observe(school, "ela_proficiency", "2025-26", "50")
        contract_create_from_template(
            actor=admin, school=school, template=template, term_start=term[0], term_end=term[1]
        )
    after = _count_queries(client, url)
    assert before == after == 3
    assert PerformanceContract.objects.count() == 21


def test_the_contract_page_reads_its_parts_in_order_without_joining_the_school(client_for, principal, proposed):
    """The benchmarks, rules and commitments of one contract are sorted by their own position: the models'
    default orderings begin with the contract, whose ordering would join the contract and its school to each
    part just to sort by the school's name (it cost the page about a millisecond of CPU)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(principal)
    url = _url("contracts:contract_detail", proposed)
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    parts = [
        q["sql"]
        for q in captured.captured_queries
        if q["sql"].startswith('SELECT "contracts_benchmark"')
        or q["sql"].startswith('SELECT "contracts_interventionrule"')
        or q["sql"].startswith('SELECT "contracts_contractcommitment"')
    ]
    assert len(parts) == 3
    assert not [sql for sql in parts if '"schools_school"' in sql]
    from contracts.selectors import contract_get_for_user

    shown = contract_get_for_user(user=principal, contract_id=proposed.pk)
    assert [b.key for b in shown.benchmarks.all()] == [b.key for b in proposed.benchmarks.order_by("position", "pk")]
    assert [r.key for r in shown.rules.all()] == [r.key for r in proposed.rules.order_by("level", "position", "pk")]
    assert response.status_code == 200
