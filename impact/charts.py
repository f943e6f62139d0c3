"""The event study as the numbers an inline SVG needs, as accountability.charts draws a trend: a y axis
with round ticks in the metric's unit (accountability.charts.y_scale), years since the grant along the x
axis, each estimate a point with its 95% interval as a bar, zero as a line, and the same figures as words
for the SVG's description (the page's table draws from the same horizons)."""

from dataclasses import dataclass
from decimal import Decimal

from accountability.charts import _ticks, y_scale
from core.charts import PlotFrame
from impact.services.event_study import HORIZONS, REFERENCE, EventStudy
from metrics.formatting import format_change, format_number, ordinal, precision_of, unit_title

WIDTH, HEIGHT = 440, 220
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 28, 44


@dataclass(frozen=True)
class EsPoint:
    x: float
    y: float
    low_y: float
    high_y: float
    label: str


@dataclass(frozen=True)
class EsChart(PlotFrame):
    zero_y: float
    title: str
    grant_x: float
    points: list[EsPoint]
    ticks: list[tuple[float, str]]
    years: list[tuple[float, str]]
    description: str


def horizon_words(h: int) -> str:
    """As the x axis numbers it, with what it means: "+1: 2nd year held", "-2: 2 years before"."""
    if h < 0:
        return f"{h}: {-h} year{'s' if h < -1 else ''} before"
    return f"{'+' if h else ''}{h}: {ordinal(h + 1)} year held"


def tick_label(metric, value: Decimal) -> str:
    """A difference on the axis: "+5", "0", "-2.5"; "+$120" for money. The unit is the axis's title."""
    text = format_number(abs(value), precision_of(metric))
    sign = "+" if value > 0 else "-" if value < 0 else ""
    return f"{sign}${text}" if metric.unit == "currency" else f"{sign}{text}"


def axis_title(metric) -> str:
    if metric.unit == "percent":
        return "Difference, percentage points"
    return f"Difference, {(unit_title(metric) or metric.get_unit_display()).lower()}"


def event_study_chart(study: EventStudy, *, metric, against: str = "schools not yet granted") -> EsChart | None:
    shown = [h for h in study.horizons if h.shown]
    if not shown:
        return None
    numbers = [Decimal(str(round(v, 4))) for h in shown for v in (h.low, h.high)] + [Decimal(0)]
    low, high, step = y_scale(numbers, metric=metric)
    right, bottom = WIDTH - RIGHT, HEIGHT - BOTTOM
    span = len(HORIZONS) - 1

    def x(h: int) -> float:
        return round(LEFT + 20 + (h - HORIZONS[0]) * (right - LEFT - 40) / span, 1)

    def y(v) -> float:
        return round(TOP + float((high - Decimal(str(v))) / (high - low)) * (bottom - TOP), 1)

    points = [EsPoint(x(h.years), y(h.estimate), y(h.low), y(h.high), format_change(metric, h.estimate)) for h in shown]
    words = [
        f"{horizon_words(h.years)}, {format_change(metric, h.estimate)} "
        f"(between {format_change(metric, h.low)} and {format_change(metric, h.high)})"
        for h in shown
    ]
    return EsChart(
        width=WIDTH,
        height=HEIGHT,
        plot_left=LEFT,
        plot_right=right,
        plot_top=TOP,
        plot_bottom=bottom,
        zero_y=y(0),
        title=axis_title(metric),
        grant_x=round((x(REFERENCE) + x(0)) / 2, 1),
        points=points,
        ticks=[(y(t), tick_label(metric, t)) for t in _ticks(low, high, step)],
        years=[(x(h), f"{h:+d}" if h else "0") for h in HORIZONS],
        description=f"Effect by year since the grant, against {against}: " + "; ".join(words) + ".",
    )
