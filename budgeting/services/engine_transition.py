"""The formula engine's money arithmetic (budgeting.services.engine) and its transition rule: each school's
adjustment from last year's final and this year's formula amount, with the search for a gain cap (the
largest, to four places, whose cut gains pay a stop-loss). Arithmetic on lists of amounts alone, checked
against the plain Decimal computation (tests/budgeting/test_engine_oracle.py).
"""

from collections.abc import Callable
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from budgeting.models.formula import TransitionMode

if TYPE_CHECKING:
    from budgeting.services.engine import FormulaSpec

CENT = Decimal("0.01")
WEIGHT_PLACES = Decimal("0.0001")
ZERO = Decimal("0")
ONE = Decimal("1")


def cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def gain_cuts(previous: list[Decimal | None], amounts: list[Decimal], gain_cap: Decimal | None) -> list[Decimal]:
    if gain_cap is None:
        return [ZERO] * len(amounts)
    return [
        ZERO if before is None else max(amount - cents(before * (ONE + gain_cap)), ZERO)
        for before, amount in zip(previous, amounts, strict=True)
    ]


def whole_cents(value: Decimal) -> int | None:
    """The value in cents when it is a whole number of cents, not negative and well within 28 digits."""
    scaled = value.scaleb(2)
    if value < 0 or value >= Decimal("1e20") or scaled != scaled.to_integral_value():
        return None
    return int(scaled)


def _cut_total_of(previous: list[Decimal | None], amounts: list[Decimal]) -> Callable[[int], Decimal]:
    """The gains cut at a cap of `steps` ten-thousandths, as a function. In whole cents when every
    previous amount and every formula amount with one is a whole number of cents (as stored), else in
    Decimal: cents(before × (1 + steps / 10,000)) rounds half up, which for whole cents c ≥ 0 is
    (c × (10,000 + steps) + 5,000) // 10,000."""
    pairs = []
    for before, amount in zip(previous, amounts, strict=True):
        if before is None:
            continue
        before_cents, amount_cents = whole_cents(before), whole_cents(amount)
        if before_cents is None or amount_cents is None:
            return lambda steps: sum(gain_cuts(previous, amounts, Decimal(steps) * WEIGHT_PLACES), ZERO)
        pairs.append((before_cents, amount_cents))

    def cut_total(steps: int) -> Decimal:
        scale = 10_000 + steps
        total = 0
        for before_cents, amount_cents in pairs:
            cut = amount_cents - (before_cents * scale + 5_000) // 10_000
            if cut > 0:
                total += cut
        return Decimal(total).scaleb(-2)

    return cut_total


def gain_cap_solved(previous: list[Decimal | None], amounts: list[Decimal], cost: Decimal) -> Decimal | None:
    """The largest gain cap, to four places, whose cut gains pay the whole stop-loss, so the transition
    never adds to the formula's total. No school protected: no cap. Gains too small to pay: a cap of 0."""
    if cost <= 0:
        return None
    cut_total = _cut_total_of(previous, amounts)
    if cut_total(0) < cost:
        return ZERO
    growth = [amount / before - ONE for before, amount in zip(previous, amounts, strict=True) if before]
    low, high = 0, int((max(growth, default=ZERO) / WEIGHT_PLACES).to_integral_value(rounding=ROUND_DOWN)) + 1
    while high - low > 1:  # cut_total(low) ≥ cost > cut_total(high)
        middle = (low + high) // 2
        low, high = (middle, high) if cut_total(middle) >= cost else (low, middle)
    return Decimal(low) * WEIGHT_PLACES


def transition_adjustments(
    spec: "FormulaSpec", previous: list[Decimal | None], amounts: list[Decimal]
) -> tuple[list[Decimal], Decimal | None]:
    """Each school's adjustment, and the gain cap used (entered or solved). A new school (no previous
    allocation, or one of $0: no base to cap a gain against) is funded at its formula amount under every rule."""
    if spec.transition_mode == TransitionMode.PERCENT_OF_FORMULA:
        share = spec.percent_of_formula if spec.percent_of_formula is not None else ONE
        return [
            ZERO if before is None else cents(share * amount) - amount
            for before, amount in zip(previous, amounts, strict=True)
        ], spec.gain_cap_share
    if spec.transition_mode != TransitionMode.STOP_LOSS:
        return [ZERO] * len(amounts), spec.gain_cap_share
    loss = spec.stop_loss_share if spec.stop_loss_share is not None else ONE
    floors = [None if before is None else cents(before * (ONE - loss)) for before in previous]
    protections = [
        max(floor - amount, ZERO) if floor is not None else ZERO for floor, amount in zip(floors, amounts, strict=True)
    ]
    gain_cap = spec.gain_cap_share
    if gain_cap is None:
        gain_cap = gain_cap_solved(previous, amounts, sum(protections, ZERO))
    cuts = gain_cuts(previous, amounts, gain_cap)
    return [protect - cut for protect, cut in zip(protections, cuts, strict=True)], gain_cap
