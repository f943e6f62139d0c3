"""A benchmark's trend as the numbers an inline SVG needs: no script, no chart library.

A trend is a chart with axes and a table behind it: a y axis with round ticks in the metric's unit, the
school years along the x axis, each value labelled at its point, the contract's target as a labelled
dashed line, and the same figures as words (the SVG's description; the page's table draws from the
same points). Every number is written by metrics.formatting, so the chart and its words agree.
"""

import math
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from core.charts import ChartPoint, TargetTrend, Tick, period_labels, spread, trend_layout
from metrics.formatting import format_compact, format_value, precision_of, unit_title

WIDTH, HEIGHT = 440, 210
LEFT, TOP, BOTTOM = 52, 24, 34  # room for the tick labels, the top point's label, the school years
RIGHT_PLAIN, RIGHT_TARGET = 16, 76  # a target's label sits right of the plot
EDGE_PAD = 30  # the first and last points sit this far inside the plot, so their labels fit
LABEL_ABOVE, LABEL_BELOW = -9, 19  # a point's label, from its centre
TICKS_WANTED = 4


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
class TrendChart(TargetTrend):
    unit_title: str  # above the y axis when the ticks do not carry the unit: "Vacancies"
    values: str  # polyline points of the observed values

    @property
    def any_before(self) -> bool:
        """Whether a point comes from before the contract (drawn grey)."""
        return any(p.status == "before" for p in self.points)


def number(value: Decimal) -> str:
    """A stored number without trailing zeros: 26.0000 → 26 (never 2.6E+1)."""
    return f"{value.normalize():f}"


def nice_step(span: Decimal, *, smallest: Decimal) -> Decimal:
    """The round step (1, 2 or 5 times a power of ten) that cuts `span` into about four, never finer
    than the metric shows (`smallest`): tick labels are written at the metric's precision."""
    rough = span / TICKS_WANTED
    if rough <= 0:
        return smallest
    power = Decimal(10) ** math.floor(math.log10(rough))
    for factor in (1, 2, 5, 10):
        step = power * factor
        if step >= rough:
            return max(step, smallest)
    return max(power * 10, smallest)  # not reached: 10 × power is at least `rough`


def y_scale(numbers: list[Decimal], *, metric) -> tuple[Decimal, Decimal, Decimal]:
    """The axis (low, high, step): round ticks around every number, kept within the metric's range."""
    smallest = Decimal(1).scaleb(-precision_of(metric))
    low, high = min(numbers), max(numbers)
    if metric.unit == "count" and low > 0:  # a count is read against none at all
        low = Decimal(0)
    if low == high:  # one value, or all level: a little room either side
        pad = max(abs(low) / 10, smallest * 2)
        low, high = low - pad, high + pad
    step = nice_step(high - low, smallest=smallest)
    floor, ceiling = (
        (low / step).to_integral_value(rounding="ROUND_FLOOR"),
        (high / step).to_integral_value(rounding="ROUND_CEILING"),
    )
    low, high = floor * step, ceiling * step
    if metric.min_value is not None and low < metric.min_value <= min(numbers):
        low = metric.min_value
    if metric.max_value is not None and high > metric.max_value >= max(numbers):
        high = metric.max_value
    return low, high, step


def _ticks(low: Decimal, high: Decimal, step: Decimal) -> list[Decimal]:
    first = (low / step).to_integral_value(rounding="ROUND_CEILING") * step
    count = int((high - first) / step) + 1
    return [first + i * step for i in range(count)]


def _words(point: TrendPoint, metric) -> str:
    status = f" ({point.status_words})" if point.status_words else ""
    return f"{point.period}: {format_value(metric, point.value)}{status}"


def trend_chart(points: list[TrendPoint], *, metric) -> TrendChart | None:
    """`points` oldest first, in `metric`'s units; None when no period has a value."""
    known = [p for p in points if p.value is not None]
    if not known:
        return None
    targets = [(i, p.target) for i, p in enumerate(points) if p.target is not None]
    low, high, step = y_scale([p.value for p in known] + [t for _, t in targets], metric=metric)
    right = WIDTH - (RIGHT_TARGET if targets else RIGHT_PLAIN)
    plot_bottom = HEIGHT - BOTTOM
    xs = spread(len(points), LEFT + EDGE_PAD, right - EDGE_PAD)

    def y(value: Decimal) -> float:
        return round(TOP + float((high - value) / (high - low)) * (plot_bottom - TOP), 1)

    drawn = []
    for i, p in enumerate(points):
        if p.value is None:
            continue
        at = y(p.value)
        label_y = at + (LABEL_BELOW if at + LABEL_ABOVE < TOP else LABEL_ABOVE)
        drawn.append(
            ChartPoint(
                x=xs[i],
                y=at,
                label=format_compact(metric, p.value),
                label_y=round(label_y, 1),
                words=_words(p, metric),
                status=p.status or "before",
            )
        )
    if len(targets) == 1 or len(points) == 1:  # one target: a level across the plot
        line_y = y(targets[0][1]) if targets else 0
        target_line = f"{LEFT},{line_y} {right},{line_y}" if targets else ""
    else:
        target_line = " ".join(f"{xs[i]},{y(t)}" for i, t in targets)
        if targets:  # carried to the plot's edge, where its label is
            last_y = y(targets[-1][1])
            target_line += f" {right},{last_y}"
    description = "; ".join(p.words for p in drawn) + "."
    if targets:
        shown = sorted({t for _, t in targets})
        description += _(" Target: %(targets)s.") % {"targets": ", ".join(format_value(metric, t) for t in shown)}
    missing = [p.period for p in points if p.value is None]
    if missing:
        description += _(" No data for %(periods)s.") % {"periods": ", ".join(missing)}
    return TrendChart(
        **trend_layout(width=WIDTH, height=HEIGHT, left=LEFT, right=right, top=TOP, bottom=BOTTOM, period_gap=20),
        unit_title=unit_title(metric),
        values=" ".join(f"{p.x},{p.y}" for p in drawn),
        targets=target_line,
        target_label=format_compact(metric, targets[-1][1]) if targets else "",
        target_label_y=y(targets[-1][1]) if targets else 0,
        points=drawn,
        ticks=[Tick(y=y(t), label=format_compact(metric, t)) for t in _ticks(low, high, step)],
        periods=period_labels(xs, [p.period for p in points]),
        description=description,
    )
