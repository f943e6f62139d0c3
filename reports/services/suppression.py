"""The district's suppression policy, applied in one place: every figure a public page, file or endpoint
shows passes through `cells_suppress` first.

A pure function over a table of cells. Each cell has its value, the number of people it was computed on
(n), and optionally the keys that tie it to other cells:

- `total`: the cells that add up to a total (the total itself has `is_total`). Hiding one part while the
  others and the total are published lets anyone subtract, so with complementary suppression on, the next
  smallest part is hidden too (New York's rule; the general complementary rule).
- `pair`: two halves of one group (economically disadvantaged and not). With the pair rule on, both are
  hidden when either is (Wisconsin's rule).

A percent computed on a group is top or bottom coded by the band for its size: Delaware writes above 95 %
as "> 95%"; Utah tightens the band as the group grows (n ≥ 300 → "≥ 99%" / "≤ 1%").

The rules repeat until nothing more changes, as hiding one cell for a pair can expose a total.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal


class Reason:
    SMALL_N = "small_n"
    COMPLEMENTARY = "complementary"
    PAIR = "pair"
    TOP_CODED = "top_coded"
    BOTTOM_CODED = "bottom_coded"

    HIDDEN = frozenset({SMALL_N, COMPLEMENTARY, PAIR})


@dataclass(frozen=True)
class CodingBand:
    """From groups of `min_n` people up (until the next band): values above `high` or below `low` are
    written as the bound, not the value."""

    min_n: int
    high: Decimal
    low: Decimal


@dataclass(frozen=True)
class PolicyRules:
    """The rules of one policy version, as plain values (reports.models.SuppressionPolicy.rules())."""

    minimum_n: int = 10  # a group of fewer people is hidden
    complementary: bool = True
    pair_rule: bool = True
    bands: tuple[CodingBand, ...] = ()
    inclusive_coding: bool = False  # True: a value equal to the bound is coded too (Utah's ≥ 99 %)
    marker: str = "*"
    version: int = 0

    def band_for(self, n: int | None) -> CodingBand | None:
        size = n if n is not None else 0
        fitting = [band for band in self.bands if band.min_n <= size]
        return max(fitting, key=lambda band: band.min_n) if fitting else None


@dataclass(frozen=True)
class Cell:
    """One figure about to be published. `key` identifies it in the table; `school_code`, `field` and
    `period` say what it is, for the record of masked cells."""

    key: str
    value: Decimal | None
    n: int | None
    percent: bool = False
    total: str = ""
    is_total: bool = False
    pair: str = ""
    school_code: str = ""
    field: str = ""
    period: str = ""


@dataclass(frozen=True)
class PublishedCell:
    key: str
    value: Decimal | None  # None when hidden (or there was none)
    text: str  # the marker or the coded bound ("> 95%"); "" when the value is shown as it is
    reason: str = ""  # why it is masked or coded; "" when published as it is

    @property
    def hidden(self) -> bool:
        return self.reason in Reason.HIDDEN


@dataclass(frozen=True)
class MaskedCell:
    key: str
    reason: str
    school_code: str
    field: str
    period: str


@dataclass
class SuppressionResult:
    cells: dict[str, PublishedCell]
    masked: list[MaskedCell] = field(default_factory=list)

    def __getitem__(self, key: str) -> PublishedCell:
        return self.cells[key]


def _is_small(cell: Cell, rules: PolicyRules) -> bool:
    return cell.n is not None and cell.n < rules.minimum_n


def _groups(cells: list[Cell], by: str) -> list[list[Cell]]:
    """The cells that share a pair or a total group (`by`: "pair" or "total"), group by group, in the order
    the groups first appear; a cell in none is left out."""
    groups: dict[str, list[Cell]] = defaultdict(list)
    for cell in cells:
        if group := getattr(cell, by):
            groups[group].append(cell)
    return list(groups.values())


def _hide_pairs(cells: list[Cell], hidden: dict[str, str]) -> bool:
    changed = False
    for members in _groups(cells, "pair"):
        if any(cell.key in hidden for cell in members):
            for cell in members:
                if cell.key not in hidden:
                    hidden[cell.key] = Reason.PAIR
                    changed = True
    return changed


def _hide_complements(cells: list[Cell], hidden: dict[str, str]) -> bool:
    """In each total group with exactly one hidden cell, hide the smallest other one (parts before the
    total), so that no subtraction reveals it."""
    changed = False
    for members in _groups(cells, "total"):
        hidden_members = [cell for cell in members if cell.key in hidden]
        if len(hidden_members) != 1:
            continue
        shown = [cell for cell in members if cell.key not in hidden]
        if not shown:
            continue
        parts = [cell for cell in shown if not cell.is_total] or shown
        smallest = min(parts, key=lambda cell: (cell.n if cell.n is not None else 0, cell.key))
        hidden[smallest.key] = Reason.COMPLEMENTARY
        changed = True
    return changed


def _coded(cell: Cell, rules: PolicyRules) -> PublishedCell | None:
    if not cell.percent or cell.value is None:
        return None
    band = rules.band_for(cell.n)
    if band is None:
        return None
    above = cell.value >= band.high if rules.inclusive_coding else cell.value > band.high
    below = cell.value <= band.low if rules.inclusive_coding else cell.value < band.low
    if not (above or below):
        return None
    sign = ("≥" if above else "≤") if rules.inclusive_coding else (">" if above else "<")
    bound = band.high if above else band.low
    text = f"{sign} {format(bound.normalize(), 'f')}%"
    return PublishedCell(cell.key, bound, text, Reason.TOP_CODED if above else Reason.BOTTOM_CODED)


def cells_suppress(cells: list[Cell], rules: PolicyRules) -> SuppressionResult:
    """The cells as they may be published, and every cell masked or coded with its reason."""
    hidden: dict[str, str] = {cell.key: Reason.SMALL_N for cell in cells if _is_small(cell, rules)}
    changed = True
    while changed:
        changed = False
        if rules.pair_rule:
            changed |= _hide_pairs(cells, hidden)
        if rules.complementary:
            changed |= _hide_complements(cells, hidden)
    result = SuppressionResult(cells={})
    for cell in cells:
        if cell.key in hidden:
            published = PublishedCell(cell.key, None, rules.marker, hidden[cell.key])
        else:
            published = _coded(cell, rules) or PublishedCell(cell.key, cell.value, "")
        result.cells[cell.key] = published
        if published.reason:
            result.masked.append(MaskedCell(cell.key, published.reason, cell.school_code, cell.field, cell.period))
    return result
