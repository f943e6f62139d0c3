"""contracts.services: the signature workflow, amendments, targets from templates, bad input, the PDF."""

import re
from decimal import Decimal
from io import BytesIO

import pytest
from django.utils import timezone
from pypdf import PdfReader

from contracts.models import (
    Benchmark,
    BenchmarkKind,
    ContractEvent,
    ContractStatus,
    InterventionRule,
    Level,
    PerformanceContract,
    TemplateBenchmark,
)
from contracts.pdf import render_contract_pdf
from contracts.selectors import contract_diff, contract_get_for_user
from contracts.services import (
    BenchmarkInput,
    contract_amend,
    contract_benchmark_add,
    contract_benchmark_remove,
    contract_content,
    contract_content_sha256,
    contract_countersign,
    contract_create_from_template,
    contract_propose,
    contract_recall,
    contract_sign,
    contract_signature_checks,
    contract_terminate,
)
from contracts.wording import describe_diff
from core.errors import ApplicationError, Conflict, NotPermitted
from core.models import Notification
from tests.factories import grant

S = ContractStatus


def _reload(contract) -> PerformanceContract:
    return PerformanceContract.objects.get(pk=contract.pk)


def _input(
    metrics,
    *,
    key="family-satisfaction",
    code="family_satisfaction",
    comparator=">=",
    target="85",
    kind=BenchmarkKind.VALUE,
) -> BenchmarkInput:
    return BenchmarkInput(key=key, metric=metrics[code], kind=kind, comparator=comparator, target=Decimal(target))


def _activate(contract, *, admin, principal) -> PerformanceContract:
    contract_propose(actor=admin, contract_id=contract.pk)
    contract_sign(actor=principal, contract_id=contract.pk, password="correct-horse-battery")
    return contract_countersign(actor=admin, contract_id=contract.pk, password="correct-horse-battery")


# --- the state machine ---------------------------------------------------------------------------


def test_a_contract_walks_from_draft_to_active(admin, principal, draft):
    assert draft.status == S.DRAFT
    contract_propose(actor=admin, contract_id=draft.pk, expected_status=S.DRAFT)
    assert _reload(draft).status == S.PROPOSED
    assert Notification.objects.filter(user=principal).count() == 1

    contract_sign(actor=principal, contract_id=draft.pk, password="correct-horse-battery", expected_status=S.PROPOSED)
    signed = _reload(draft)
    assert (signed.status, signed.signed_by, signed.signed_name) == (S.SIGNED, principal, "Pat Rivera")
    assert signed.signed_at is not None

    contract_countersign(actor=admin, contract_id=draft.pk, password="correct-horse-battery", expected_status=S.SIGNED)
    active = _reload(draft)
    assert (active.status, active.countersigned_by, active.countersigned_name) == (S.ACTIVE, admin, "Ada Office")
    assert list(ContractEvent.objects.filter(contract=draft).values_list("action", "from_status", "to_status")) == [
        ("create", "", S.DRAFT),
        ("propose", S.DRAFT, S.PROPOSED),
        ("sign", S.PROPOSED, S.SIGNED),
        ("countersign", S.SIGNED, S.ACTIVE),
    ]


@pytest.mark.parametrize("stage", ["proposed", "signed"])
def test_recall_takes_the_contract_back_to_draft_and_clears_the_signature(request, admin, stage):
    contract = request.getfixturevalue(stage)
    contract_recall(actor=admin, contract_id=contract.pk, expected_status=stage)
    recalled = _reload(contract)
    assert recalled.status == S.DRAFT
    assert (recalled.signed_at, recalled.signed_by, recalled.signed_name) == (None, None, "")


def test_a_change_after_signing_clears_the_signature_and_needs_a_new_one(admin, principal, signed, metrics):
    warnings = contract_benchmark_add(actor=admin, contract_id=signed.pk, benchmark=_input(metrics))
    assert warnings == []
    revised = _reload(signed)
    assert revised.status == S.PROPOSED
    assert (revised.signed_at, revised.signed_name) == (None, "")
    assert ContractEvent.objects.filter(contract=signed, action="revise", from_status=S.SIGNED).exists()

    with pytest.raises(Conflict):
        contract_countersign(actor=admin, contract_id=signed.pk, password="correct-horse-battery")
    contract_sign(actor=principal, contract_id=signed.pk, password="correct-horse-battery")
    contract_countersign(actor=admin, contract_id=signed.pk, password="correct-horse-battery")
    assert _reload(signed).status == S.ACTIVE


def test_an_amendment_countersigned_supersedes_the_old_active_version(admin, principal, active):
    amendment = contract_amend(actor=admin, contract_id=active.pk, reason="New program.", expected_status=S.ACTIVE)
    assert (amendment.version, amendment.previous_id, amendment.lineage) == (2, active.pk, active.lineage)
    assert (amendment.status, _reload(active).status) == (S.DRAFT, S.ACTIVE)

    _activate(amendment, admin=admin, principal=principal)
    assert _reload(active).status == S.SUPERSEDED
    assert _reload(amendment).status == S.ACTIVE
    assert PerformanceContract.objects.filter(school=active.school, status=S.ACTIVE).count() == 1


def test_terminate_ends_an_active_contract_with_a_reason(admin, principal, active):
    with pytest.raises(ApplicationError) as refused:
        contract_terminate(actor=admin, contract_id=active.pk, reason=" ")
    assert "reason" in refused.value.fields
    contract_terminate(actor=admin, contract_id=active.pk, reason="The school closes.", expected_status=S.ACTIVE)
    assert _reload(active).status == S.TERMINATED
    assert ContractEvent.objects.get(contract=active, action="terminate").reason == "The school closes."
    assert Notification.objects.filter(user=principal, title__contains="terminated").exists()


def test_only_an_active_contract_is_terminated(admin, proposed):
    with pytest.raises(Conflict):
        contract_terminate(actor=admin, contract_id=proposed.pk, reason="No.")


def test_an_active_contract_is_never_edited_in_place(admin, active, metrics):
    with pytest.raises(NotPermitted, match="amend"):
        contract_benchmark_add(actor=admin, contract_id=active.pk, benchmark=_input(metrics))
    with pytest.raises(NotPermitted):
        contract_benchmark_remove(actor=admin, contract_id=active.pk, key="growth")
    assert _reload(active).status == S.ACTIVE
    assert active.benchmarks.count() == 7


def test_a_principal_cannot_sign_another_schools_contract(other_principal, proposed):
    with pytest.raises(NotPermitted):
        contract_sign(actor=other_principal, contract_id=proposed.pk, password="correct-horse-battery")
    assert _reload(proposed).status == S.PROPOSED


def test_a_school_team_member_cannot_sign(make_member, school, proposed):
    teacher = make_member("school_team", school=school)
    with pytest.raises(NotPermitted, match="principal"):
        contract_sign(actor=teacher, contract_id=proposed.pk, password="correct-horse-battery")


def test_countersigning_before_the_principal_signs_is_a_conflict(admin, proposed):
    with pytest.raises(Conflict):
        contract_countersign(actor=admin, contract_id=proposed.pk, password="correct-horse-battery")
    assert _reload(proposed).status == S.PROPOSED


def test_the_district_cannot_sign_and_the_principal_cannot_countersign(admin, principal, proposed):
    with pytest.raises(NotPermitted):
        contract_sign(actor=admin, contract_id=proposed.pk, password="correct-horse-battery")
    contract_sign(actor=principal, contract_id=proposed.pk, password="correct-horse-battery")
    with pytest.raises(NotPermitted):
        contract_countersign(actor=principal, contract_id=proposed.pk, password="correct-horse-battery")


# --- a signature is the signer ---------------------------------------------------------------------


@pytest.mark.parametrize("password", ["", None, "Mickey Mouse", "correct-horse-battery "])
def test_signing_needs_the_signers_own_password(principal, proposed, password):
    with pytest.raises(ApplicationError) as refused:
        contract_sign(actor=principal, contract_id=proposed.pk, password=password, address="10.0.0.7")
    assert list(refused.value.fields) == ["password"]
    unchanged = _reload(proposed)
    assert (unchanged.status, unchanged.signed_at, unchanged.signed_name, unchanged.signed_address) == (
        S.PROPOSED,
        None,
        "",
        None,
    )
    assert not ContractEvent.objects.filter(contract=proposed, action="sign").exists()


def test_a_signature_records_the_account_its_name_the_time_the_address_and_the_contents_hash(
    admin, principal, proposed
):
    principal.first_name, principal.last_name = "Patricia", "Rivera-Lopez"
    principal.save()
    contract_sign(actor=principal, contract_id=proposed.pk, password="correct-horse-battery", address="203.0.113.9")
    signed = _reload(proposed)
    # The name is the account's at the time, never typed.
    assert (signed.signed_by, signed.signed_name, signed.signed_address) == (
        principal,
        "Patricia Rivera-Lopez",
        "203.0.113.9",
    )
    assert signed.signed_at is not None
    content = contract_get_for_user(user=admin, contract_id=proposed.pk)
    assert signed.signed_content_sha256 == contract_content_sha256(content)
    assert re.fullmatch(r"[0-9a-f]{64}", signed.signed_content_sha256)

    contract_countersign(actor=admin, contract_id=proposed.pk, password="correct-horse-battery", address="::1")
    active = _reload(proposed)
    assert (active.countersigned_by, active.countersigned_name, active.countersigned_address) == (
        admin,
        "Ada Office",
        "::1",
    )
    # Nothing changed between the two signatures: both bound the same content.
    assert active.countersigned_content_sha256 == active.signed_content_sha256
    checks = contract_signature_checks(contract_get_for_user(user=admin, contract_id=proposed.pk))
    assert {who: check.matches for who, check in checks.items()} == {"principal": True, "district": True}


def test_the_content_serialization_is_canonical_and_covers_every_part(admin, draft, hiring_grant):
    contract = contract_get_for_user(user=admin, contract_id=draft.pk)
    content = contract_content(contract)
    assert content["format"] == "sgs-contract-content/1"
    assert [b["key"] for b in content["benchmarks"]] == sorted(b.key for b in contract.benchmarks.all())
    assert [r["key"] for r in content["rules"]] == sorted(r.key for r in contract.rules.all())
    assert content["grants"] == [{"autonomy": "people.hiring", "model": hiring_grant.model}]
    vacancies = next(b for b in content["benchmarks"] if b["key"] == "first-day-vacancies")
    assert (vacancies["target"], vacancies["binding_autonomy"]) == ("3", "people.hiring")
    # The same content read again, without the page's prefetching and in another order, hashes the same.
    again = PerformanceContract.objects.get(pk=draft.pk)
    assert contract_content_sha256(again) == contract_content_sha256(contract)
    Benchmark.objects.filter(contract=draft).update(position=0)
    changed_order = contract_content_sha256(PerformanceContract.objects.get(pk=draft.pk))
    assert changed_order != contract_content_sha256(contract)  # the order the contract shows is content too


@pytest.mark.parametrize(
    "alter",
    [
        lambda c: Benchmark.objects.filter(contract=c, key="growth").update(target=Decimal("2.5")),
        lambda c: Benchmark.objects.filter(contract=c, key="growth").update(far_below_margin=Decimal("5")),
        lambda c: InterventionRule.objects.filter(contract=c, key="binding").update(remedy="Something else."),
        lambda c: Benchmark.objects.filter(contract=c, key="first-day-vacancies").update(binding_grant=None),
        lambda c: c.grants.clear(),
        lambda c: PerformanceContract.objects.filter(pk=c.pk).update(summary="Other words."),
    ],
    ids=["target", "margin", "remedy", "bound-autonomy", "grants", "summary"],
)
def test_any_change_to_the_content_changes_its_hash(admin, signed, alter):
    before = contract_content_sha256(contract_get_for_user(user=admin, contract_id=signed.pk))
    assert _reload(signed).signed_content_sha256 == before
    alter(signed)
    after = contract_get_for_user(user=admin, contract_id=signed.pk)
    assert contract_content_sha256(after) != before
    assert contract_signature_checks(after)["principal"].matches is False


def test_a_signature_from_before_hashes_were_kept_is_not_claimed_to_match(admin, signed):
    PerformanceContract.objects.filter(pk=signed.pk).update(signed_content_sha256="")
    check = contract_signature_checks(contract_get_for_user(user=admin, contract_id=signed.pk))["principal"]
    assert (check.recorded, check.matches) == ("", False)


def test_acting_on_a_contract_somebody_changed_first_is_a_conflict(admin, principal, proposed):
    contract_recall(actor=admin, contract_id=proposed.pk)
    with pytest.raises(Conflict, match="Somebody acted on this contract first"):
        contract_sign(
            actor=principal, contract_id=proposed.pk, password="correct-horse-battery", expected_status=S.PROPOSED
        )


def test_a_principal_cannot_propose_draft_or_amend(principal, school, template, term, draft, baselines):
    with pytest.raises(NotPermitted):
        contract_propose(actor=principal, contract_id=draft.pk)
    with pytest.raises(NotPermitted):
        contract_create_from_template(
            actor=principal, school=school, template=template, term_start=term[0], term_end=term[1]
        )


def test_only_an_active_version_is_amended_once(admin, draft, active):
    with pytest.raises(ApplicationError, match="why"):
        contract_amend(actor=admin, contract_id=active.pk, reason="")
    contract_amend(actor=admin, contract_id=active.pk, reason="First.")
    with pytest.raises(Conflict, match="already"):
        contract_amend(actor=admin, contract_id=active.pk, reason="Second.")


def test_a_draft_cannot_be_proposed_without_benchmarks(admin, draft):
    for key in draft.benchmarks.values_list("key", flat=True):
        contract_benchmark_remove(actor=admin, contract_id=draft.pk, key=key)
    with pytest.raises(ApplicationError, match="at least one benchmark"):
        contract_propose(actor=admin, contract_id=draft.pk)


# --- versions ------------------------------------------------------------------------------------


@pytest.fixture
def amended(admin, principal, active, metrics):
    """Version 2: math target changed (remove + add), growth removed, family satisfaction added; one rule
    changed, one removed, one added."""
    amendment = contract_amend(actor=admin, contract_id=active.pk, reason="Dual-language program.")
    math = active.benchmarks.get(key="math-proficiency")
    contract_benchmark_remove(actor=admin, contract_id=amendment.pk, key="math-proficiency")
    contract_benchmark_add(
        actor=admin,
        contract_id=amendment.pk,
        benchmark=BenchmarkInput(
            key="math-proficiency",
            metric=math.metric,
            kind=math.kind,
            comparator=math.comparator,
            target=math.target + 3,
            baseline=math.baseline,
        ),
    )
    contract_benchmark_remove(actor=admin, contract_id=amendment.pk, key="growth")
    contract_benchmark_add(actor=admin, contract_id=amendment.pk, benchmark=_input(metrics))
    # No service edits rules yet; the template's rules are adjusted directly to exercise the diff.
    InterventionRule.objects.filter(contract=amendment, key="three-missed").update(level=Level.INTENSIFIED_SUPPORT)
    InterventionRule.objects.filter(contract=amendment, key="no-data").delete()
    InterventionRule.objects.create(
        contract=amendment,
        key="program-check",
        condition="n_missed",
        count=2,
        level=Level.NOTICE,
        remedy="Review the program.",
        provision="Amendment 1",
    )
    return _activate(amendment, admin=admin, principal=principal)


def test_an_amendment_keeps_the_old_version_intact_and_readable(principal, active, amended):
    old = contract_get_for_user(user=principal, contract_id=active.pk)
    assert old.status == S.SUPERSEDED
    assert old.version == 1
    assert {b.key for b in old.benchmarks.all()} == {
        "ela-proficiency",
        "math-proficiency",
        "growth",
        "absenteeism-trend",
        "retention-average",
        "family-standing",
        "first-day-vacancies",
    }
    assert old.benchmarks.get(key="math-proficiency").target == Decimal("60.0")
    assert {r.key for r in old.rules.all()} == {"binding", "three-missed", "ela-twice", "no-data"}
    assert (old.signed_name, old.countersigned_name) == ("Pat Rivera", "Ada Office")


def test_contract_diff_lists_added_removed_and_changed_benchmarks_and_rules(principal, active, amended):
    old = contract_get_for_user(user=principal, contract_id=active.pk)
    new = contract_get_for_user(user=principal, contract_id=amended.pk)
    diff = contract_diff(old=old, new=new)
    benchmarks, rules = diff["benchmarks"], diff["rules"]
    assert [b.key for b in benchmarks.added] == ["family-satisfaction"]
    assert [b.key for b in benchmarks.removed] == ["growth"]
    assert benchmarks.changed == [("math-proficiency", [("target", Decimal("60.0"), Decimal("63.0"))])]
    assert [r.key for r in rules.added] == ["program-check"]
    assert [r.key for r in rules.removed] == ["no-data"]
    assert rules.changed == [("three-missed", [("level", Level.CORRECTIVE_PLAN, Level.INTENSIFIED_SUPPORT)])]

    words = describe_diff(diff=diff, old=old, new=new)
    assert words["benchmarks"]["changed"] == [("Proficiency in math", ["Target: 60 → 63"])]
    assert words["rules"]["changed"][0][1] == [
        "What happens: step 2 (Corrective action plan required) → step 3 (Intensified support)"
    ]
    assert words["benchmarks"]["added"] == ["Family satisfaction is at least 85%."]


# --- targets from the template -------------------------------------------------------------------


def test_targets_are_computed_from_the_schools_baselines(draft):
    benchmarks = {b.key: b for b in draft.benchmarks.all()}
    ela = benchmarks["ela-proficiency"]
    assert (ela.baseline, ela.baseline_period, ela.target) == (Decimal("40"), "2025-26", Decimal("43"))
    # The median of 50, 60 and 70 in the last period before the term.
    assert benchmarks["math-proficiency"].target == Decimal("60.0")
    assert benchmarks["absenteeism-trend"].target == Decimal("1")
    assert benchmarks["first-day-vacancies"].binding_grant.autonomy.code == "people.hiring"
    assert list(draft.grants.values_list("autonomy__code", flat=True)) == ["people.hiring"]
    # In ladder order, whatever order the template lists them in.
    assert [r.key for r in draft.rules.all()] == ["no-data", "three-missed", "ela-twice", "binding"]
    assert draft.rules.get(key="ela-twice").benchmark == ela


def test_a_school_without_a_baseline_is_refused_naming_the_benchmark(admin, template, term, baselines, make_member):
    from tests.factories import SchoolFactory

    newcomer = SchoolFactory()
    with pytest.raises(ApplicationError) as refused:
        contract_create_from_template(
            actor=admin, school=newcomer, template=template, term_start=term[0], term_end=term[1]
        )
    assert "ela-proficiency" in refused.value.message
    assert "ela-proficiency" in refused.value.fields
    assert not PerformanceContract.objects.filter(school=newcomer).exists()
    assert not Benchmark.objects.exists()


def test_the_fallback_target_is_used_when_the_school_has_no_baseline(admin, template, term, baselines):
    from tests.factories import SchoolFactory

    TemplateBenchmark.objects.filter(template=template, key="ela-proficiency").update(fallback_target=Decimal("35"))
    newcomer = SchoolFactory()
    contract = contract_create_from_template(
        actor=admin, school=newcomer, template=template, term_start=term[0], term_end=term[1]
    )
    ela = contract.benchmarks.get(key="ela-proficiency")
    assert (ela.target, ela.baseline, ela.baseline_period) == (Decimal("35"), None, "")


def test_a_baseline_plus_target_is_held_to_what_the_metric_can_reach(admin, template, term, baselines, observe):
    """A school at 99% under "baseline plus 3 points" is held to 100%, not refused its contract."""
    from tests.factories import SchoolFactory

    top = SchoolFactory()
    observe(top, "ela_proficiency", "2025-26", "99")
    contract = contract_create_from_template(
        actor=admin, school=top, template=template, term_start=term[0], term_end=term[1]
    )
    ela = contract.benchmarks.get(key="ela-proficiency")
    assert (ela.baseline, ela.target) == (Decimal("99"), Decimal("100"))


def test_a_term_ending_before_it_starts_is_refused(admin, school, template, years, baselines):
    with pytest.raises(ApplicationError) as refused:
        contract_create_from_template(
            actor=admin, school=school, template=template, term_start=years["2027-28"], term_end=years["2026-27"]
        )
    assert "term_end" in refused.value.fields


# --- bad input -----------------------------------------------------------------------------------


def test_a_comparator_against_the_metrics_direction_is_warned_about(admin, draft, metrics):
    warnings = contract_benchmark_add(
        actor=admin,
        contract_id=draft.pk,
        benchmark=_input(metrics, key="absence", code="chronic_absenteeism", comparator=">=", target="20"),
    )
    assert warnings == ["For Chronic absenteeism lower is better, but this benchmark asks for >= the target."]
    assert draft.benchmarks.filter(key="absence").exists()


def test_a_target_outside_the_metrics_range_is_refused_naming_the_field(admin, proposed, metrics):
    events = ContractEvent.objects.count()
    with pytest.raises(ApplicationError) as refused:
        contract_benchmark_add(
            actor=admin, contract_id=proposed.pk, benchmark=_input(metrics, code="ela_proficiency", target="140")
        )
    assert list(refused.value.fields) == ["target"]
    assert "140" in refused.value.message and "range 0–100" in refused.value.message
    assert not proposed.benchmarks.filter(key="family-satisfaction").exists()
    assert ContractEvent.objects.count() == events
    assert _reload(proposed).status == S.PROPOSED


def test_a_key_already_used_is_refused(admin, draft, metrics):
    with pytest.raises(ApplicationError) as refused:
        contract_benchmark_add(actor=admin, contract_id=draft.pk, benchmark=_input(metrics, key="growth"))
    assert "key" in refused.value.fields


@pytest.mark.parametrize(
    ("kind", "code", "target"),
    [(BenchmarkKind.RELATIVE, "family_satisfaction", "120"), (BenchmarkKind.GROWTH, "ela_proficiency", "101")],
)
def test_targets_are_checked_for_what_their_kind_means(admin, draft, metrics, kind, code, target):
    with pytest.raises(ApplicationError) as refused:
        contract_benchmark_add(
            actor=admin, contract_id=draft.pk, benchmark=_input(metrics, code=code, kind=kind, target=target)
        )
    assert "target" in refused.value.fields


def test_a_negative_growth_target_is_allowed_where_lower_is_better(admin, draft, metrics):
    contract_benchmark_add(
        actor=admin,
        contract_id=draft.pk,
        benchmark=_input(
            metrics,
            key="fewer-absences",
            code="chronic_absenteeism",
            comparator="<=",
            target="-2",
            kind=BenchmarkKind.GROWTH,
        ),
    )
    assert draft.benchmarks.get(key="fewer-absences").target == Decimal("-2")


# --- the PDF -------------------------------------------------------------------------------------


def test_the_pdf_names_the_school_every_autonomy_and_every_benchmarks_metric(admin, school, principal, draft):
    grant(school, "time.schedule", actor=admin)
    draft.grants.add(*school.grants.all())
    contract = contract_get_for_user(user=admin, contract_id=draft.pk)
    pdf = render_contract_pdf(contract)
    assert pdf.startswith(b"%PDF")
    text = " ".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)
    text = " ".join(text.split())
    assert school.name in text
    for grant_row in contract.grants.all():
        assert grant_row.autonomy.name in text
    assert "Hire and dismiss staff" in text and "Redesign the school schedule" in text
    for benchmark in contract.benchmarks.all():
        assert benchmark.metric.name in text


def test_the_pdf_prints_each_signatures_name_account_time_address_and_hash(admin, principal, proposed):
    contract_sign(actor=principal, contract_id=proposed.pk, password="correct-horse-battery", address="203.0.113.9")
    contract = contract_get_for_user(user=admin, contract_id=proposed.pk)
    text = " ".join(page.extract_text() for page in PdfReader(BytesIO(render_contract_pdf(contract))).pages)
    flat = " ".join(text.split())
    signed_at = timezone.localtime(contract.signed_at)
    assert "Principal Pat Rivera" in flat
    assert f"Account {principal.get_username()}" in flat
    assert f"Signed {signed_at:%B %-d, %Y %H:%M}" in flat
    assert "Address 203.0.113.9" in flat
    assert contract.signed_content_sha256 in "".join(text.split())  # the hash may wrap across lines
    assert "District not countersigned" in flat


def test_benchmarks_read_in_plain_words(draft):
    from contracts.benchmark_wording import benchmark_sentence

    sentences = {b.key: benchmark_sentence(b) for b in draft.benchmarks.all()}
    assert sentences == {
        "ela-proficiency": "Proficiency in ELA is at least 43%.",
        "math-proficiency": "Proficiency in math is at least 60%.",
        "growth": "Median growth percentile grows by at least 2 points from the baseline.",
        "absenteeism-trend": (
            "Chronic absenteeism improves every year over the last 3 years, by at least 1 point a year."
        ),
        "retention-average": "The 3-year average of Teacher retention is at least 80%.",
        "family-standing": "Family satisfaction places the school at or above the 50th percentile of district schools.",
        "first-day-vacancies": "Teacher vacancies on the first day is at most 3.",
    }
