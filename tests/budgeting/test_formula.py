# ruff: noqa: E501 — the table of refused figures reads best one case a line
"""Formula versions: drafts and copies, the engine's reading of the rows, and every change to a draft —
checked (bad figures refused naming the field, nothing saved) and kept (an event with before and after)."""

from decimal import Decimal as D

import pytest

from budgeting.models import (
    BaseMode,
    ConcentrationCurve,
    FormulaEvent,
    FormulaStatus,
    FormulaVersion,
    Foundation,
    SmallSchoolThreshold,
    TransitionMode,
    Weight,
)
from budgeting.services.engine import SchoolCounts, formula_compute
from budgeting.services.formula import formula_draft_create, formula_publish, formula_spec_of
from budgeting.services.formula_edits import (
    formula_base_update,
    formula_concentration_update,
    formula_details_update,
    formula_foundations_update,
    formula_small_school_update,
    formula_transition_update,
    formula_weights_update,
)
from core.errors import ApplicationError, Conflict, NotPermitted
from schools.models import GradeBand, ReviewFunction, Role
from tests.budgeting.formula_world import A, M, finance_officer, nyc_draft, school_year
from tests.factories import SchoolFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def finance(db):
    return finance_officer()


@pytest.fixture
def draft(finance):
    return nyc_draft(finance)


def snapshot(formula: FormulaVersion):
    """Everything a version holds, to prove a refused change saved nothing."""
    formula = FormulaVersion.objects.get(pk=formula.pk)
    return (
        [getattr(formula, f.attname) for f in FormulaVersion._meta.concrete_fields if f.name != "updated_at"],
        formula_spec_of(formula),
        FormulaEvent.objects.filter(formula=formula).count(),
    )


def test_drafts_are_numbered_within_their_year(finance):
    year = school_year()
    first = formula_draft_create(actor=finance, school_year=year)
    second = formula_draft_create(actor=finance, school_year=year)
    other = formula_draft_create(actor=finance, school_year=school_year("2027-28"))
    assert (first.number, second.number, other.number) == (1, 2, 1)
    assert first.status == FormulaStatus.DRAFT and first.created_by == finance
    assert first.events.get().action == "create"


def test_a_copy_holds_every_part_of_the_version_it_copies(finance, draft):
    next_year = school_year("2027-28")
    copy = formula_draft_create(actor=finance, school_year=next_year, copy_from=draft)
    assert copy.number == 1 and copy.school_year == next_year and copy.status == FormulaStatus.DRAFT
    assert formula_spec_of(copy) == formula_spec_of(draft)
    assert copy.name == draft.name
    assert copy.events.get().evidence == {"copied_from": draft.pk}
    assert Weight.objects.filter(formula=copy).count() == 4
    assert (
        Foundation.objects.filter(formula=copy).count(),
        ConcentrationCurve.objects.filter(formula=copy).count(),
    ) == (
        2,
        1,
    )
    assert SmallSchoolThreshold.objects.get(formula=copy).threshold == 400


def test_the_spec_reads_every_part(draft):
    spec = formula_spec_of(draft)
    assert spec.base_mode == BaseMode.ENTERED and spec.base_per_pupil == D("4084.80") and spec.pool is None
    assert spec.foundations == {"elementary": D("250000"), "middle": D("300000")}
    assert spec.weights["g68"] == (M, D("1.08")) and spec.weights["poverty"] == (A, D("0.12"))
    assert spec.category_kinds["k5"] == "grade" and spec.category_kinds["poverty"] == "need"
    assert spec.category_names["poverty"] == "Students in poverty"
    assert spec.concentration == {"poverty": (D("0.40"), D("0.80"), D("0.10"))}
    assert (spec.small_school_rate, spec.small_school_cap_share, spec.small_school_thresholds) == (
        D("1000"),
        D("0.05"),
        {"elementary": 400},
    )
    assert (spec.transition_mode, spec.stop_loss_share, spec.gain_cap_share) == (
        TransitionMode.STOP_LOSS,
        D("0.05"),
        None,
    )


def test_the_spec_costs_the_same_queries_however_many_parts(finance, draft, django_assert_num_queries):
    small = formula_draft_create(actor=finance, school_year=draft.school_year)
    with django_assert_num_queries(5):
        formula_spec_of(small)
    with django_assert_num_queries(5):
        formula_spec_of(draft)


def test_a_draft_built_on_the_pages_computes_the_hand_figures(draft):
    """300 students, 180 in poverty (60 %): 250,000 + 300 × 4,084.80 + 180 × 490.18 + 180 × 204.24
    (concentration halfway to 0.10) = 1,600,435.60; small school 100 × 1,000 capped at 5 % = 80,021.78."""
    schools = [SchoolCounts(1, GradeBand.ELEMENTARY, {"k5": 300, "poverty": 180}, None)]
    result = formula_compute(spec=formula_spec_of(draft), schools=schools)
    assert [line.amount for line in result.allocations[0].lines] == [
        D("250000"),
        D("1225440.00"),
        D("88232.40"),
        D("36763.20"),
        D("80021.78"),
    ]
    assert result.total == D("1680457.38")


# --- Every change kept --------------------------------------------------------------------------------


def test_a_change_is_kept_with_before_and_after_in_words(finance, draft):
    formula_weights_update(
        actor=finance,
        formula_id=draft.pk,
        weights={
            "k5": (M, D("1.00")),
            "g68": (M, D("1.10")),
            "g912": (M, D("1.03")),
            "poverty": (A, D("0.15")),
            "ell": (A, D("0.40")),
        },
    )
    event = FormulaEvent.objects.filter(formula=draft).latest("pk")
    assert (event.action, event.actor, event.from_status, event.to_status) == ("edit", finance, "draft", "draft")
    assert event.reason == "Weights changed."
    assert event.evidence == {
        "part": "Weights",
        "changes": [
            {"label": "Weight, English learners", "before": "none", "after": "+40% of the base"},
            {"label": "Weight, Grades 6-8", "before": "1.08 × the base", "after": "1.10 × the base"},
            {"label": "Weight, Students in poverty", "before": "+12% of the base", "after": "+15% of the base"},
        ],
    }
    assert formula_spec_of(draft).weights["ell"] == (A, D("0.40"))


def test_a_change_that_changes_nothing_records_nothing(finance, draft):
    before = FormulaEvent.objects.filter(formula=draft).count()
    formula_base_update(actor=finance, formula_id=draft.pk, base_mode="entered", base_per_pupil=D("4084.80"), pool=None)
    assert FormulaEvent.objects.filter(formula=draft).count() == before


def test_removing_a_part_is_a_change_too(finance, draft):
    formula_concentration_update(actor=finance, formula_id=draft.pk, curves={"poverty": None})
    assert not ConcentrationCurve.objects.filter(formula=draft).exists()
    change = FormulaEvent.objects.filter(formula=draft).latest("pk").evidence["changes"][0]
    assert change["label"] == "Concentration, Students in poverty" and change["after"] == "none"
    assert change["before"].startswith("nothing up to 40%")


def test_the_base_solved_from_a_pool(finance, draft):
    SchoolFactory(grade_band=GradeBand.ELEMENTARY)
    formula_base_update(
        actor=finance, formula_id=draft.pk, base_mode="pool", base_per_pupil=D("4084.80"), pool=D("9000000")
    )
    draft.refresh_from_db()
    assert (draft.base_mode, draft.base_per_pupil, draft.pool) == ("pool", None, D("9000000"))
    changes = FormulaEvent.objects.filter(formula=draft).latest("pk").evidence["changes"]
    assert {"label": "Pool", "before": "none", "after": "$9,000,000.00"} in changes
    assert {"label": "Base per pupil", "before": "$4,084.80", "after": "none"} in changes


def test_the_transition_rule_keeps_only_its_own_figures(finance, draft):
    formula_transition_update(
        actor=finance,
        formula_id=draft.pk,
        mode="percent_of_formula",
        stop_loss_share=D("0.05"),
        percent_of_formula=D("0.90"),
    )
    draft.refresh_from_db()
    assert (draft.transition_mode, draft.stop_loss_share, draft.percent_of_formula) == (
        "percent_of_formula",
        None,
        D("0.90"),
    )
    change = FormulaEvent.objects.filter(formula=draft).latest("pk").evidence["changes"][0]
    assert change["after"].startswith(
        "Every school with an allocation last year is funded at 90% of its formula amount"
    )


def test_name_and_notes(finance, draft):
    formula_details_update(actor=finance, formula_id=draft.pk, name="FY27 formula", notes="Adopted by the board.")
    draft.refresh_from_db()
    assert (draft.name, draft.notes) == ("FY27 formula", "Adopted by the board.")


# --- Bad figures refused, naming the field, nothing saved -----------------------------------------------

REFUSED = [
    ("base zero", formula_base_update, dict(base_mode="entered", base_per_pupil=D("0"), pool=None), "base_per_pupil"),
    ("base negative", formula_base_update, dict(base_mode="entered", base_per_pupil=D("-5"), pool=None), "base_per_pupil"),
    ("base absurd", formula_base_update, dict(base_mode="entered", base_per_pupil=D("4084800"), pool=None), "base_per_pupil"),
    ("base missing", formula_base_update, dict(base_mode="entered", base_per_pupil=None, pool=None), "base_per_pupil"),
    ("base mills", formula_base_update, dict(base_mode="entered", base_per_pupil=D("4084.805"), pool=None), "base_per_pupil"),
    ("pool missing", formula_base_update, dict(base_mode="pool", base_per_pupil=None, pool=None), "pool"),
    ("pool under foundations", formula_base_update, dict(base_mode="pool", base_per_pupil=None, pool=D("400000")), "pool"),
    ("mode unknown", formula_base_update, dict(base_mode="guess", base_per_pupil=D("1"), pool=None), "base_mode"),
    ("weight negative", formula_weights_update, dict(weights={"poverty": (A, D("-0.12"))}), "weight_poverty"),
    ("weight absurd", formula_weights_update, dict(weights={"g68": (M, D("108"))}), "weight_g68"),
    ("weight not a number", formula_weights_update, dict(weights={"g68": (M, D("NaN"))}), "weight_g68"),
    ("convention unknown", formula_weights_update, dict(weights={"g68": ("times", D("1.08"))}), "convention_g68"),
    ("category unknown", formula_weights_update, dict(weights={"unicorns": (A, D("0.1"))}), "weight_unicorns"),
    ("foundation negative", formula_foundations_update, dict(foundations={"high": D("-1")}), "foundation_high"),
    ("full at start", formula_concentration_update, dict(curves={"poverty": (D("0.5"), D("0.5"), D("0.1"))}), "full_poverty"),
    ("full below start", formula_concentration_update, dict(curves={"poverty": (D("0.6"), D("0.4"), D("0.1"))}), "full_poverty"),
    ("share above one", formula_concentration_update, dict(curves={"poverty": (D("0.4"), D("1.4"), D("0.1"))}), "full_poverty"),
    ("curve on a grade", formula_concentration_update, dict(curves={"k5": (D("0.4"), D("0.8"), D("0.1"))}), "start_k5"),
    ("rate negative", formula_small_school_update, dict(rate=D("-1"), cap_share=D("0"), thresholds={}), "small_school_rate"),
    ("cap above one", formula_small_school_update, dict(rate=D("1"), cap_share=D("1.5"), thresholds={}), "small_school_cap_share"),
    ("threshold negative", formula_small_school_update, dict(rate=D("1"), cap_share=D("0"), thresholds={"middle": -3}), "threshold_middle"),
    ("stop-loss above one", formula_transition_update, dict(mode="stop_loss", stop_loss_share=D("1.5")), "stop_loss_share"),
    ("stop-loss negative", formula_transition_update, dict(mode="stop_loss", stop_loss_share=D("-0.1")), "stop_loss_share"),
    ("stop-loss missing", formula_transition_update, dict(mode="stop_loss"), "stop_loss_share"),
    ("gain cap negative", formula_transition_update, dict(mode="stop_loss", stop_loss_share=D("0.05"), gain_cap_share=D("-1")), "gain_cap_share"),
    ("percent zero", formula_transition_update, dict(mode="percent_of_formula", percent_of_formula=D("0")), "percent_of_formula"),
    ("mode unknown", formula_transition_update, dict(mode="hold_everyone"), "transition_mode"),
]  # fmt: skip


@pytest.mark.parametrize(("service", "arguments", "field"), [r[1:] for r in REFUSED], ids=[r[0] for r in REFUSED])
def test_bad_figures_are_refused_naming_the_field_and_nothing_is_saved(finance, draft, service, arguments, field):
    SchoolFactory(grade_band=GradeBand.ELEMENTARY)
    SchoolFactory(grade_band=GradeBand.MIDDLE)  # foundations 250,000 + 300,000: a pool of 400,000 does not cover them
    before = snapshot(draft)
    with pytest.raises(ApplicationError) as refused:
        service(actor=finance, formula_id=draft.pk, **arguments)
    assert field in refused.value.fields, refused.value.fields
    assert snapshot(draft) == before


def test_foundations_a_pool_no_longer_covers_are_refused(finance, draft):
    SchoolFactory.create_batch(3, grade_band=GradeBand.ELEMENTARY)
    formula_base_update(actor=finance, formula_id=draft.pk, base_mode="pool", base_per_pupil=None, pool=D("1000000"))
    before = snapshot(draft)
    with pytest.raises(ApplicationError) as refused:
        formula_foundations_update(actor=finance, formula_id=draft.pk, foundations={"elementary": D("400000")})
    assert "does not cover the foundations" in refused.value.fields["foundations"][0]
    assert "$1,200,000.00" in refused.value.fields["foundations"][0]
    assert snapshot(draft) == before


def test_every_bad_field_of_one_submission_is_named(finance, draft):
    with pytest.raises(ApplicationError) as refused:
        formula_weights_update(
            actor=finance, formula_id=draft.pk, weights={"g68": (M, D("-1")), "poverty": (A, D("99"))}
        )
    assert set(refused.value.fields) == {"weight_g68", "weight_poverty"}


# --- Who, and when --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "function"), [(Role.PRINCIPAL, ""), (Role.REVIEWER, ReviewFunction.HR), (Role.LIAISON, "")]
)
def test_only_finance_writes_the_formula(make_member, school, draft, role, function):
    someone = make_member(role, school=school if role == Role.PRINCIPAL else None, function=function)
    before = snapshot(draft)
    with pytest.raises(NotPermitted):
        formula_base_update(actor=someone, formula_id=draft.pk, base_mode="entered", base_per_pupil=D("1"), pool=None)
    with pytest.raises(NotPermitted):
        formula_draft_create(actor=someone, school_year=draft.school_year)
    assert snapshot(draft) == before


def test_the_autonomy_office_counts_as_finance(make_member, draft):
    admin = make_member(Role.ADMIN)
    formula_details_update(actor=admin, formula_id=draft.pk, name="By the office", notes="")
    assert FormulaVersion.objects.get(pk=draft.pk).name == "By the office"


@pytest.mark.parametrize(
    ("service", "arguments"),
    [
        (formula_base_update, dict(base_mode="entered", base_per_pupil=D("5000"), pool=None)),
        (formula_weights_update, dict(weights={"k5": (M, D("2"))})),
        (formula_foundations_update, dict(foundations={})),
        (formula_concentration_update, dict(curves={})),
        (formula_small_school_update, dict(rate=D("0"), cap_share=D("0"), thresholds={})),
        (formula_transition_update, dict(mode="none")),
        (formula_details_update, dict(name="Changed", notes="")),
    ],
)
def test_a_published_version_is_never_edited(finance, draft, service, arguments):
    formula_publish(actor=finance, formula_id=draft.pk, supersedes_id=None)
    before = snapshot(draft)
    with pytest.raises(Conflict) as refused:
        service(actor=finance, formula_id=draft.pk, **arguments)
    assert "never changes" in refused.value.message
    assert snapshot(draft) == before
