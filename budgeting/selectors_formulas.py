"""Reads of formula versions for finance's pages, each in a fixed number of queries: the list costs the same
with 2 versions or 40, a version's page the same with 3 weights or 30 and 5 changes or 500.

Only finance reads formulas here (budgeting.policies.can_manage_budgeting); the views refuse anyone else
before calling these."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch
from django.http import Http404

from budgeting import formula_words as words
from budgeting.models import (
    BaseMode,
    EnrollmentCategory,
    FormulaEvent,
    FormulaStatus,
    FormulaVersion,
)
from schools.models import GradeBand, SchoolYear


@dataclass(frozen=True)
class YearOfVersions:
    school_year: SchoolYear
    versions: list[FormulaVersion]

    @property
    def in_force(self) -> FormulaVersion | None:
        return next((v for v in self.versions if v.status == FormulaStatus.PUBLISHED), None)


def formula_years() -> list[YearOfVersions]:
    """Every school year, newest first, with its versions (numbered); two queries."""
    versions = FormulaVersion.objects.select_related("created_by").order_by("number")
    years = SchoolYear.objects.order_by("-start_date").prefetch_related(
        Prefetch("formula_versions", queryset=versions, to_attr="versions")
    )
    return [YearOfVersions(year, year.versions) for year in years]


def formula_get(*, pk: int) -> FormulaVersion:
    formula = FormulaVersion.objects.select_related("school_year", "created_by").filter(pk=pk).first()
    if formula is None:
        raise Http404("No such formula version.")
    return formula


def formula_in_force(*, school_year_id: int) -> FormulaVersion | None:
    return FormulaVersion.objects.filter(school_year_id=school_year_id, status=FormulaStatus.PUBLISHED).first()


@dataclass(frozen=True)
class Parameter:
    name: str
    words: str


@dataclass(frozen=True)
class FormulaPage:
    formula: FormulaVersion
    base: list[Parameter]
    foundations: list[Parameter]
    grade_weights: list[Parameter]
    need_weights: list[Parameter]
    concentration: list[Parameter]
    small_school: list[Parameter]
    transition: str
    events: list[FormulaEvent]


def formula_page(formula: FormulaVersion) -> FormulaPage:
    """Every parameter of a version in plain words, and its history: six queries."""
    categories = {category.pk: category for category in EnrollmentCategory.objects.all()}
    weights = list(formula.weights.all())
    grade_weights = [
        Parameter(categories[w.category_id].name, words.weight(w.convention, w.value))
        for w in sorted(weights, key=lambda w: _order(categories[w.category_id]))
        if categories[w.category_id].kind == "grade"
    ]
    need_weights = [
        Parameter(categories[w.category_id].name, words.weight(w.convention, w.value))
        for w in sorted(weights, key=lambda w: _order(categories[w.category_id]))
        if categories[w.category_id].kind == "need"
    ]
    curves = sorted(formula.concentration_curves.all(), key=lambda c: _order(categories[c.category_id]))
    thresholds = {row.grade_band: row.threshold for row in formula.small_school_thresholds.all()}
    return FormulaPage(
        formula=formula,
        base=_base(formula),
        foundations=[
            Parameter(GradeBand(row.grade_band).label, words.money(row.amount)) for row in formula.foundations.all()
        ],
        grade_weights=grade_weights,
        need_weights=need_weights,
        concentration=[
            Parameter(
                categories[c.category_id].name, words.curve(c.start_share, c.full_share, c.max_weight).capitalize()
            )
            for c in curves
        ],
        small_school=_small_school(formula, thresholds),
        transition=words.transition(
            formula.transition_mode,
            stop_loss=formula.stop_loss_share,
            gain_cap=formula.gain_cap_share,
            share=formula.percent_of_formula,
        ),
        events=list(formula.events.select_related("actor").order_by("at", "pk")),
    )


def _order(category: EnrollmentCategory) -> tuple:
    return (category.display_order, category.code)


def _base(formula: FormulaVersion) -> list[Parameter]:
    if formula.base_mode == BaseMode.POOL:
        return [
            Parameter("Base per pupil", "Solved from the pool when allocations are computed"),
            Parameter("Pool", words.money(formula.pool) if formula.pool is not None else "Not entered yet"),
        ]
    base = words.money(formula.base_per_pupil) if formula.base_per_pupil is not None else "Not entered yet"
    return [Parameter("Base per pupil", base)]


def _small_school(formula: FormulaVersion, thresholds: dict[str, int]) -> list[Parameter]:
    if not thresholds or not formula.small_school_rate:
        return []
    rows = [
        Parameter(f"{GradeBand(band).label}, below", f"{threshold:,} students")
        for band, threshold in sorted(thresholds.items())
    ]
    rows.append(Parameter("For each student short of the threshold", words.money(formula.small_school_rate)))
    cap = formula.small_school_cap_share
    rows.append(
        Parameter(
            "Capped at",
            f"{words.percent(cap)} of the school's formula amount" if cap and cap > Decimal(0) else "No cap",
        )
    )
    return rows
