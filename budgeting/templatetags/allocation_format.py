"""Money on the allocation and scenario pages, written as people write it: $4,084.80, +$1,200.00, 12.5%."""

from decimal import Decimal

from django import template

from budgeting.allocation_charts import signed_dollars
from budgeting.formula_words import money

register = template.Library()


@register.filter
def dollars(value) -> str:
    return "—" if value is None or value == "" else money(Decimal(value))


@register.filter
def dollars_change(value) -> str:
    return "—" if value is None or value == "" else signed_dollars(Decimal(value))


@register.filter
def percent(value) -> str:
    """A share already in percent (12.5 → "12.5%"); a change keeps its sign."""
    if value is None or value == "":
        return "—"
    number = Decimal(value)
    text = f"{number:,.1f}".rstrip("0").rstrip(".")
    return f"{text}%"


@register.filter
def students(value) -> str:
    return f"{int(value):,}" if value is not None else "—"


@register.filter
def percent_change(value) -> str:
    """A change in percent, signed: "+2.8%", "-0.7%", "0%"."""
    if value is None or value == "":
        return "—"
    text = percent(value)
    return f"+{text}" if Decimal(value) > 0 else text
