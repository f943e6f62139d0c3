"""Changing the parts of a draft formula: the base, foundations, weights, concentration curves, the
small-school rule, the transition rule, its name and notes.

Each service takes one part whole (what the part's page shows), refuses bad figures naming the field —
nothing saved — and keeps every change: a FormulaEvent (the kernel's "edit" step, open only from draft)
whose evidence lists each field before and after, in the words the pages use. A published version is
refused here, whatever the model would let through.
"""

from collections.abc import Callable
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from budgeting import formula_words as words
from budgeting.models import (
    BaseMode,
    CategoryKind,
    ConcentrationCurve,
    EnrollmentCategory,
    FormulaStatus,
    FormulaVersion,
    Foundation,
    SmallSchoolThreshold,
    TransitionMode,
    Weight,
    WeightConvention,
)
from budgeting.services.formula import FORMULA_STEPS, formula_lock, pool_shortfall
from budgeting.services.formula_checks import FigureChecker, change_of, rows_replace
from core.errors import Conflict
from core.limits import NOTE_TEXT, SHORT_TEXT
from core.workflows import limited_text
from schools.models import GradeBand

MAX_WEIGHT = Decimal("20")  # the rows' own bound (weight_within_range)
MAX_BASE = Decimal("100000")  # dollars per pupil: anything above is a typing slip
MAX_POOL = Decimal("100000000000")
MAX_FOUNDATION = Decimal("50000000")
MAX_RATE = Decimal("100000")
MAX_THRESHOLD = 10_000


def _edit(
    *, actor, formula_id: int, expected_status: str | None, part: str, apply: Callable[[FormulaVersion], tuple]
) -> FormulaVersion:
    """Lock the version, check it is finance's draft, apply one part's change and record it, in one transaction."""
    with transaction.atomic():
        formula = formula_lock(formula_id)
        try:
            FORMULA_STEPS.check(formula, actor=actor, action="edit", expected_status=expected_status)
        except Conflict:
            if formula.status == FormulaStatus.DRAFT:
                raise
            raise Conflict(
                f"Version {formula.number} is {formula.get_status_display().lower()}: it never changes. "
                "Make a new draft from it to change the formula."
            ) from None
        changes, fields = apply(formula)
        if changes:
            FORMULA_STEPS.take(
                formula,
                actor=actor,
                action="edit",
                reason=f"{part} changed.",
                evidence={"part": part, "changes": changes},
                fields=fields,
            )
    return formula


# --- The base -----------------------------------------------------------------------------------------


def formula_base_update(
    *,
    actor: AbstractBaseUser,
    formula_id: int,
    base_mode: str,
    base_per_pupil: Decimal | None,
    pool: Decimal | None,
    expected_status: str | None = None,
) -> FormulaVersion:
    """An entered base above $0, or a pool (above the foundations of the district's schools) to solve it from."""

    def apply(formula: FormulaVersion):
        check = FigureChecker()
        if base_mode not in BaseMode.values:
            check.fail("base_mode", "Choose an entered base or a base solved from a pool.")
        base = check.decimal(
            "base_per_pupil",
            "The base per pupil",
            base_per_pupil,
            low=Decimal(0),
            high=MAX_BASE,
            places=2,
            above_low=True,
        )
        total = check.decimal("pool", "The pool", pool, low=Decimal(0), high=MAX_POOL, places=2, above_low=True)
        if base_mode == BaseMode.ENTERED and base is None and "base_per_pupil" not in check.errors:
            check.fail("base_per_pupil", "Enter the base per pupil.")
        if base_mode == BaseMode.POOL:
            if total is None and "pool" not in check.errors:
                check.fail("pool", "Enter the pool to solve the base from.")
            elif total is not None and (shortfall := pool_shortfall(pool=total, foundations=_foundations(formula))):
                check.fail("pool", shortfall)
        check.done()
        before = _base_words(formula)
        formula.base_mode = base_mode
        formula.base_per_pupil = base if base_mode == BaseMode.ENTERED else None
        formula.pool = total if base_mode == BaseMode.POOL else None
        after = _base_words(formula)
        changes = [c for key in before for c in change_of(key, before[key], after[key])]
        return changes, ["base_mode", "base_per_pupil", "pool"]

    return _edit(actor=actor, formula_id=formula_id, expected_status=expected_status, part="Base", apply=apply)


def _base_words(formula: FormulaVersion) -> dict[str, str]:
    return {
        "Base": formula.get_base_mode_display(),
        "Base per pupil": words.money(formula.base_per_pupil),
        "Pool": words.money(formula.pool),
    }


def _foundations(formula: FormulaVersion) -> dict[str, Decimal]:
    return {row.grade_band: row.amount for row in formula.foundations.all()}


# --- Foundations and small schools, by school type ----------------------------------------------------


def formula_foundations_update(
    *,
    actor: AbstractBaseUser,
    formula_id: int,
    foundations: dict[str, Decimal | None],
    expected_status: str | None = None,
) -> FormulaVersion:
    """Each school type's foundation (None or absent: no foundation). In pool mode the pool must still
    cover them."""

    def apply(formula: FormulaVersion):
        check = FigureChecker()
        wanted = {}
        for band, amount in foundations.items():
            if band not in GradeBand.values:
                check.fail(f"foundation_{band}", f"Unknown school type “{band}”.")
                continue
            label = f"The {GradeBand(band).label} foundation"
            value = check.decimal(f"foundation_{band}", label, amount, low=Decimal(0), high=MAX_FOUNDATION, places=2)
            if value is not None:
                wanted[band] = value
        if not check.errors and formula.base_mode == BaseMode.POOL:
            if shortfall := pool_shortfall(pool=formula.pool, foundations=wanted):
                check.fail("foundations", shortfall)
        check.done()
        rows = {row.grade_band: row for row in formula.foundations.all()}
        changes = rows_replace(
            rows,
            wanted,
            label=lambda band: f"Foundation, {GradeBand(band).label}",
            say=words.money,
            value_of=lambda row: row.amount,
            write=lambda row, value: setattr(row, "amount", value),
            make=lambda band, value: Foundation(formula=formula, grade_band=band, amount=value),
        )
        return changes, []

    return _edit(actor=actor, formula_id=formula_id, expected_status=expected_status, part="Foundations", apply=apply)


def formula_small_school_update(
    *,
    actor: AbstractBaseUser,
    formula_id: int,
    rate: Decimal,
    cap_share: Decimal,
    thresholds: dict[str, int | None],
    expected_status: str | None = None,
) -> FormulaVersion:
    """Houston's rule: (threshold − students) × rate below a type's threshold, capped at a share of the
    formula amount (0: no cap)."""

    def apply(formula: FormulaVersion):
        check = FigureChecker()
        check.decimal("small_school_rate", "The rate", rate, low=Decimal(0), high=MAX_RATE, places=2)
        check.decimal("small_school_cap_share", "The cap", cap_share, low=Decimal(0), high=Decimal(1), places=4)
        wanted = {}
        for band, threshold in thresholds.items():
            if band not in GradeBand.values:
                check.fail(f"threshold_{band}", f"Unknown school type “{band}”.")
            elif threshold is not None and not (isinstance(threshold, int) and 0 <= threshold <= MAX_THRESHOLD):
                check.fail(f"threshold_{band}", f"A threshold is a number of students from 0 to {MAX_THRESHOLD:,}.")
            elif threshold is not None:
                wanted[band] = threshold
        check.done()
        changes = change_of("Small-school rate", words.money(formula.small_school_rate), words.money(rate))
        changes += change_of(
            "Small-school cap", words.percent(formula.small_school_cap_share), words.percent(cap_share)
        )
        formula.small_school_rate, formula.small_school_cap_share = rate, cap_share
        rows = {row.grade_band: row for row in formula.small_school_thresholds.all()}
        changes += rows_replace(
            rows,
            wanted,
            label=lambda band: f"Small-school threshold, {GradeBand(band).label}",
            say=lambda n: f"{n:,} students",
            value_of=lambda row: row.threshold,
            write=lambda row, value: setattr(row, "threshold", value),
            make=lambda band, value: SmallSchoolThreshold(formula=formula, grade_band=band, threshold=value),
        )
        return changes, ["small_school_rate", "small_school_cap_share"]

    return _edit(actor=actor, formula_id=formula_id, expected_status=expected_status, part="Small school", apply=apply)


# --- Weights and concentration, by enrollment category ------------------------------------------------


def formula_weights_update(
    *,
    actor: AbstractBaseUser,
    formula_id: int,
    weights: dict[str, tuple[str, Decimal] | None],
    expected_status: str | None = None,
) -> FormulaVersion:
    """Each category's weight, by code: (convention, value) from 0 to 20, or None for no weight."""
    categories = {category.code: category for category in EnrollmentCategory.objects.all()}

    def apply(formula: FormulaVersion):
        check = FigureChecker()
        wanted = {}
        for code, weight in weights.items():
            if code not in categories:
                check.fail(f"weight_{code}", f"Unknown category “{code}”.")
                continue
            if weight is None:
                continue
            convention, value = weight
            if convention not in WeightConvention.values:
                check.fail(f"convention_{code}", f"{categories[code].name}: choose a multiplier or an add-on.")
            label = f"The {categories[code].name} weight"
            checked = check.decimal(f"weight_{code}", label, value, low=Decimal(0), high=MAX_WEIGHT, places=4)
            if checked is not None:
                wanted[code] = (convention, checked)
        check.done()
        rows = {row.category.code: row for row in formula.weights.select_related("category")}
        changes = rows_replace(
            rows,
            wanted,
            label=lambda code: f"Weight, {categories[code].name}",
            say=lambda pair: words.weight(*pair),
            value_of=lambda row: (row.convention, row.value),
            write=lambda row, pair: (setattr(row, "convention", pair[0]), setattr(row, "value", pair[1])),
            make=lambda code, pair: Weight(
                formula=formula, category=categories[code], convention=pair[0], value=pair[1]
            ),
        )
        return changes, []

    return _edit(actor=actor, formula_id=formula_id, expected_status=expected_status, part="Weights", apply=apply)


def formula_concentration_update(
    *,
    actor: AbstractBaseUser,
    formula_id: int,
    curves: dict[str, tuple[Decimal, Decimal, Decimal] | None],
    expected_status: str | None = None,
) -> FormulaVersion:
    """Each need's curve, by code: (start share, full share, maximum weight), or None for no curve."""
    categories = {category.code: category for category in EnrollmentCategory.objects.all()}

    def apply(formula: FormulaVersion):
        check = FigureChecker()
        wanted = {}
        for code, curve in curves.items():
            category = categories.get(code)
            if category is None or category.kind != CategoryKind.NEED:
                check.fail(f"start_{code}", f"“{code}” is not a need category: only needs have concentration.")
                continue
            if curve is None:
                continue
            start, full, most = curve
            name = category.name
            one = Decimal(1)
            start = check.decimal(f"start_{code}", f"{name}: the start", start, low=Decimal(0), high=one, places=4)
            full = check.decimal(f"full_{code}", f"{name}: the full share", full, low=Decimal(0), high=one, places=4)
            most = check.decimal(f"max_{code}", f"{name}: the weight", most, low=Decimal(0), high=MAX_WEIGHT, places=4)
            if None in (start, full, most):
                check.fail(f"start_{code}", f"{name}: give the start, the full share and the weight, or none of them.")
            elif full <= start and f"full_{code}" not in check.errors:
                check.fail(f"full_{code}", f"{name}: the full share must be above the start.")
            else:
                wanted[code] = (start, full, most)
        check.done()
        rows = {row.category.code: row for row in formula.concentration_curves.select_related("category")}
        changes = rows_replace(
            rows,
            wanted,
            label=lambda code: f"Concentration, {categories[code].name}",
            say=lambda curve: words.curve(*curve),
            value_of=lambda row: (row.start_share, row.full_share, row.max_weight),
            write=lambda row, c: (
                setattr(row, "start_share", c[0]),
                setattr(row, "full_share", c[1]),
                setattr(row, "max_weight", c[2]),
            ),
            make=lambda code, c: ConcentrationCurve(
                formula=formula, category=categories[code], start_share=c[0], full_share=c[1], max_weight=c[2]
            ),
        )
        return changes, []

    return _edit(actor=actor, formula_id=formula_id, expected_status=expected_status, part="Concentration", apply=apply)


# --- The transition rule, name and notes --------------------------------------------------------------


def formula_transition_update(
    *,
    actor: AbstractBaseUser,
    formula_id: int,
    mode: str,
    stop_loss_share: Decimal | None = None,
    gain_cap_share: Decimal | None = None,
    percent_of_formula: Decimal | None = None,
    expected_status: str | None = None,
) -> FormulaVersion:
    """None; a stop-loss (the most a school may lose, 0–1) paid by a gain cap (entered 0–1, or blank to
    solve it); or percent of formula (above 0, at most 1). Figures of another rule are cleared."""

    def apply(formula: FormulaVersion):
        check = FigureChecker()
        one, zero = Decimal(1), Decimal(0)
        if mode not in TransitionMode.values:
            check.fail("transition_mode", "Choose none, a stop-loss or percent of formula.")
        stop = check.decimal("stop_loss_share", "The stop-loss", stop_loss_share, low=zero, high=one, places=4)
        cap = check.decimal("gain_cap_share", "The gain cap", gain_cap_share, low=zero, high=one, places=4)
        share = check.decimal(
            "percent_of_formula",
            "The percent of formula",
            percent_of_formula,
            low=zero,
            high=one,
            places=4,
            above_low=True,
        )
        if mode == TransitionMode.STOP_LOSS and stop is None and "stop_loss_share" not in check.errors:
            check.fail("stop_loss_share", "A stop-loss needs the most a school may lose.")
        if mode == TransitionMode.PERCENT_OF_FORMULA and share is None and "percent_of_formula" not in check.errors:
            check.fail("percent_of_formula", "Percent of formula needs its percent.")
        check.done()
        before = _transition_words(formula)
        formula.transition_mode = mode
        formula.stop_loss_share = stop if mode == TransitionMode.STOP_LOSS else None
        formula.gain_cap_share = cap if mode == TransitionMode.STOP_LOSS else None
        formula.percent_of_formula = share if mode == TransitionMode.PERCENT_OF_FORMULA else None
        changes = change_of("Transition rule", before, _transition_words(formula))
        return changes, ["transition_mode", "stop_loss_share", "gain_cap_share", "percent_of_formula"]

    return _edit(
        actor=actor, formula_id=formula_id, expected_status=expected_status, part="Transition rule", apply=apply
    )


def _transition_words(formula: FormulaVersion) -> str:
    return words.transition(
        formula.transition_mode,
        stop_loss=formula.stop_loss_share,
        gain_cap=formula.gain_cap_share,
        share=formula.percent_of_formula,
    )


def formula_details_update(
    *, actor: AbstractBaseUser, formula_id: int, name: str, notes: str, expected_status: str | None = None
) -> FormulaVersion:
    name = limited_text(name, field="name", max_length=SHORT_TEXT)
    notes = limited_text(notes, field="notes", max_length=NOTE_TEXT)

    def apply(formula: FormulaVersion):
        changes = change_of("Name", formula.name or "none", name or "none")
        changes += change_of("Notes", formula.notes or "none", notes or "none")
        formula.name, formula.notes = name, notes
        return changes, ["name", "notes"]

    return _edit(
        actor=actor, formula_id=formula_id, expected_status=expected_status, part="Name and notes", apply=apply
    )
