"""Adopting a scenario writes the next draft version of its formula through the formula's own services: a
copy of every part of the version (formula_draft_create), then the scenario's base, weights and transition
rule, each through its edit service (budgeting.services.formula_edits), so the draft's record keeps every
change as any edit on the formula pages would. A weight the version lacks is added with the usual
convention of its category's kind. The draft is checked and published on the formula pages.
"""

from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser

from budgeting.models import CategoryKind, EnrollmentCategory, FormulaVersion, Weight, WeightConvention
from budgeting.services.formula import formula_draft_create
from budgeting.services.formula_edits import formula_base_update, formula_transition_update, formula_weights_update

BASE_FIELDS = ("base_mode", "base_per_pupil", "pool")
TRANSITION_FIELDS = ("transition_mode", "stop_loss_share", "gain_cap_share", "percent_of_formula")


def _decimal(value) -> Decimal | None:
    return None if value in (None, "") else Decimal(value)


def formula_draft_from(*, actor: AbstractBaseUser, formula: FormulaVersion, changes: dict, name: str) -> FormulaVersion:
    """Runs inside the caller's transaction: a refusal of any part leaves no draft behind."""
    draft = formula_draft_create(actor=actor, school_year=formula.school_year, copy_from=formula, name=name)
    if any(field in changes for field in BASE_FIELDS):
        draft = formula_base_update(
            actor=actor,
            formula_id=draft.pk,
            base_mode=changes.get("base_mode", draft.base_mode),
            base_per_pupil=_decimal(changes.get("base_per_pupil", draft.base_per_pupil)),
            pool=_decimal(changes.get("pool", draft.pool)),
        )
    if changes.get("weights"):
        draft = formula_weights_update(actor=actor, formula_id=draft.pk, weights=_weights(draft, changes["weights"]))
    if any(field in changes for field in TRANSITION_FIELDS):
        draft = formula_transition_update(
            actor=actor,
            formula_id=draft.pk,
            mode=changes.get("transition_mode", draft.transition_mode),
            stop_loss_share=_decimal(changes.get("stop_loss_share", draft.stop_loss_share)),
            gain_cap_share=_decimal(changes.get("gain_cap_share", draft.gain_cap_share)),
            percent_of_formula=_decimal(changes.get("percent_of_formula", draft.percent_of_formula)),
        )
    return draft


def _weights(draft: FormulaVersion, changed: dict) -> dict[str, tuple[str, Decimal]]:
    """The whole weights part, as its service takes it: the draft's weights with the scenario's values."""
    weights = {
        row.category.code: (row.convention, row.value)
        for row in Weight.objects.filter(formula=draft).select_related("category")
    }
    kinds = dict(EnrollmentCategory.objects.filter(code__in=list(changed)).values_list("code", "kind"))
    for code, value in changed.items():
        grade = kinds.get(code) == CategoryKind.GRADE
        default = WeightConvention.MULTIPLIER if grade else WeightConvention.ADD_ON
        weights[code] = (weights[code][0] if code in weights else default, Decimal(value))
    return weights
