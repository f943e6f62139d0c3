"""A benchmark's trend as the numbers an inline SVG needs: no script, no chart library.

The template draws what this returns; the text alternative (each period's value and the target) is
built here too, so the chart and its words always say the same thing.
"""

from dataclasses import dataclass
from decimal import Decimal

WIDTH, HEIGHT = 260, 96
LEFT, RIGHT, TOP, BOTTOM = 12, 12, 10, 22  # room for the period labels under the plot


@dataclass(frozen=True)
class TrendPoint:
    """One period of a trend: the observed value, the target it is held to (None where the target is
    not in the value's units) and the result's status ('' before the contract)."""

    period: str
    value: Decimal | None
    target: Decimal | None
    status: str
    status_words: str


@dataclass(frozen=True)
class ChartPoint:
    x: float
    y: float
    words: str
    status: str


@dataclass(frozen=True)
class TrendChart:
    width: int
    height: int
    values: str  # polyline points of the observed values
    targets: str  # polyline points of the target ('' when it has none in these units)
    points: list[ChartPoint]
    first_period: str
    last_period: str
    baseline_y: float
    description: str


def number(value: Decimal) -> str:
    return f"{value.normalize():f}"


def _words(point: TrendPoint) -> str:
    status = f" ({point.status_words})" if point.status_words else ""
    return f"{point.period}: {number(point.value)}{status}"


def trend_chart(points: list[TrendPoint]) -> TrendChart | None:
    """`points` oldest first; None when no period has a value."""
    known = [p for p in points if p.value is not None]
    if not known:
        return None
    targets = [p for p in points if p.target is not None]
    numbers = [p.value for p in known] + [p.target for p in targets]
    low, high = min(numbers), max(numbers)
    span = high - low or abs(high) or Decimal(1)
    low, high = low - span / 10, high + span / 10
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    single = len(points) == 1
    step = 0 if single else plot_w / (len(points) - 1)

    def x(i: int) -> float:
        return round(LEFT + (plot_w / 2 if single else i * step), 1)

    def y(value: Decimal) -> float:
        return round(TOP + float((high - value) / (high - low)) * plot_h, 1)

    drawn = [
        ChartPoint(x=x(i), y=y(p.value), words=_words(p), status=p.status or "before")
        for i, p in enumerate(points)
        if p.value is not None
    ]
    if single and targets:
        target_line = f"{LEFT},{y(targets[0].target)} {WIDTH - RIGHT},{y(targets[0].target)}"
    else:
        target_line = " ".join(f"{x(i)},{y(p.target)}" for i, p in enumerate(points) if p.target is not None)
    description = "; ".join(p.words for p in drawn) + "."
    if targets:
        description += f" Target: {', '.join(sorted({number(p.target) for p in targets}))}."
    missing = [p.period for p in points if p.value is None]
    if missing:
        description += f" No data for {', '.join(missing)}."
    return TrendChart(
        width=WIDTH,
        height=HEIGHT,
        values=" ".join(f"{p.x},{p.y}" for p in drawn),
        targets=target_line,
        points=drawn,
        first_period=points[0].period,
        last_period=points[-1].period,
        baseline_y=HEIGHT - BOTTOM,
        description=description,
    )
