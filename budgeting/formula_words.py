"""Budget figures in the words finance and principals use: dollars and cents ("$4,084.80", "-$1,200.00"),
"1.08 × the base", "+12% of the base", the transition rule as a sentence. One home, so the formula's and the
allocation's pages, the record of changes and the plan's messages say a figure the same way."""

from decimal import Decimal

from budgeting.models import TransitionMode, WeightConvention


def money(value: Decimal | None) -> str:
    if value is None:
        return "none"
    return f"-${-value:,.2f}" if value < 0 else f"${value:,.2f}"


def number(value: Decimal) -> str:
    """1.0800 → 1.08, 4.3 → 4.30, 1 → 1.00: at least two places, no trailing zeros beyond them."""
    text = f"{value.normalize():f}"
    whole, _, places = text.partition(".")
    return f"{whole}.{places.ljust(2, '0')}"


def percent(share: Decimal | None) -> str:
    """0.05 → "5%", 0.125 → "12.5%"."""
    if share is None:
        return "none"
    text = f"{(share * 100).normalize():f}"
    return f"{text}%"


def weight(convention: str, value: Decimal) -> str:
    if convention == WeightConvention.ADD_ON:
        return f"+{percent(value)} of the base"
    return f"{number(value)} × the base"


def curve(start: Decimal, full: Decimal, most: Decimal) -> str:
    return (
        f"nothing up to {percent(start)} of the school's students, rising evenly to +{percent(most)} of the base "
        f"at {percent(full)} and above"
    )


def transition(mode: str, *, stop_loss: Decimal | None, gain_cap: Decimal | None, share: Decimal | None) -> str:
    """The transition rule as one sentence."""
    if mode == TransitionMode.STOP_LOSS:
        cap = (
            f"gains are capped at {percent(gain_cap)} above last year"
            if gain_cap is not None
            else "gains are capped at the share that pays for it, worked out when allocations are computed"
        )
        return f"No school loses more than {percent(stop_loss)} of last year's allocation; to pay for it, {cap}."
    if mode == TransitionMode.PERCENT_OF_FORMULA:
        return (
            f"Every school with an allocation last year is funded at {percent(share)} of its formula amount; "
            "a new school at its full formula amount."
        )
    return "None: every school receives its formula amount."
