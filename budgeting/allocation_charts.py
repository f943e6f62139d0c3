"""Two charts as the numbers an inline SVG needs (no script, no chart library), each with a table behind it
on its page:

- where a school's change from last year comes from: one bar per kind of line, right of the zero line for
  a gain and left for a loss, each labelled with its signed amount (so no meaning rests on colour);
- the equity chart of a scenario: each school's dollars per pupil against its share of students in
  poverty, the formula's as hollow circles and the scenario's as filled squares.
"""

from dataclasses import dataclass
from decimal import Decimal

from accountability.charts import nice_step
from core.charts import PlotFrame


def compact_dollars(value: Decimal) -> str:
    """An axis label: $0, $250K, -$1.2M."""
    sign, size = ("-" if value < 0 else ""), abs(value)
    if size >= 1_000_000:
        text = f"{size / 1_000_000:.1f}".rstrip("0").rstrip(".") + "M"
    elif size >= 1_000:
        text = f"{size / 1_000:.1f}".rstrip("0").rstrip(".") + "K"
    else:
        text = f"{size:,.0f}"
    return f"{sign}${text}"


def signed_dollars(value: Decimal) -> str:
    return f"+${value:,.2f}" if value > 0 else f"-${-value:,.2f}" if value < 0 else "$0.00"


def _ticks(low: Decimal, high: Decimal) -> list[Decimal]:
    step = nice_step(high - low, smallest=Decimal("1"))
    first = (low / step).to_integral_value(rounding="ROUND_FLOOR") * step
    ticks = []
    value = first
    while True:  # up to the first tick at or past the highest value, so no bar runs off the axis
        ticks.append(value)
        if value >= high:
            return ticks
        value += step


@dataclass(frozen=True)
class Bar:
    label: str
    y: float
    x: float
    width: float
    value_label: str
    value_x: float
    anchor: str  # where the value's label is drawn from (its own column, right of the plot)


@dataclass(frozen=True)
class Tick:
    at: float
    label: str


@dataclass(frozen=True)
class ChangeChart:
    width: int
    height: int
    zero_x: float
    plot_top: int
    plot_bottom: int
    label_x: int
    bars: list[Bar]
    ticks: list[Tick]
    description: str


def change_chart(changes) -> ChangeChart | None:
    """`changes`: objects with `label` and `change` (Decimal), one per kind of line."""
    if not changes:
        return None
    # The figures stand in a column of their own right of the plot, so they never cover a bar or a label.
    width, left, right, row, top = 560, 150, 120, 30, 12
    values = [c.change for c in changes]
    ticks = _ticks(min(min(values), Decimal("0")), max(max(values), Decimal("0")))
    low, high = ticks[0], ticks[-1]
    span = high - low or Decimal("1")
    plot_width = width - left - right

    def x(value: Decimal) -> float:
        return round(left + float((value - low) / span) * plot_width, 1)

    zero = x(Decimal("0"))
    bars = []
    for i, item in enumerate(changes):
        end = x(item.change)
        bars.append(
            Bar(
                label=item.label,
                y=top + i * row,
                x=min(zero, end),
                width=max(abs(end - zero), 1.0),
                value_label=signed_dollars(item.change),
                value_x=width - right + 12,
                anchor="start",
            )
        )
    bottom = top + len(changes) * row
    return ChangeChart(
        width=width,
        height=bottom + 28,
        zero_x=zero,
        plot_top=top,
        plot_bottom=bottom,
        label_x=left - 8,
        bars=bars,
        ticks=[Tick(x(t), compact_dollars(t)) for t in ticks],
        description="; ".join(f"{c.label}: {signed_dollars(c.change)}" for c in changes) + ".",
    )


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    words: str

    @property
    def corner_x(self) -> float:
        """Where a square of side 6 centred on the point starts."""
        return round(self.x - 3, 1)

    @property
    def corner_y(self) -> float:
        return round(self.y - 3, 1)


@dataclass(frozen=True)
class EquityChart(PlotFrame):
    published: list[Point]
    scenario: list[Point]
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    description: str


def equity_chart(rows) -> EquityChart | None:
    """`rows`: ComparedSchool (budgeting.services.scenario_comparison); schools without a poverty count
    are left out of the chart (and said to be in its description)."""
    shown = [r for r in rows if r.poverty_share is not None and r.students]
    if not shown:
        return None
    width, height, left, right, top, bottom = 560, 300, 72, 16, 16, 40
    per_pupil = [r.published_per_pupil for r in shown] + [r.scenario_per_pupil for r in shown]
    y_ticks = _ticks(min(min(per_pupil), Decimal("0")), max(per_pupil))
    low, high = y_ticks[0], y_ticks[-1]
    span = high - low or Decimal("1")
    plot_bottom = height - bottom

    def x(share: Decimal) -> float:
        return round(left + float(min(share, Decimal("100")) / 100) * (width - left - right), 1)

    def y(value: Decimal) -> float:
        return round(top + float((high - value) / span) * (plot_bottom - top), 1)

    left_out = len(rows) - len(shown)
    description = (
        f"{len(shown):,} schools: dollars per pupil (from {compact_dollars(min(per_pupil))} to "
        f"{compact_dollars(max(per_pupil))}) against the share of students in poverty."
        + (f" {left_out:,} schools without a poverty count are not drawn." if left_out else "")
    )
    return EquityChart(
        width=width,
        height=height,
        plot_left=left,
        plot_right=width - right,
        plot_top=top,
        plot_bottom=plot_bottom,
        published=[
            Point(x(r.poverty_share), y(r.published_per_pupil), f"{r.name}: formula ${r.published_per_pupil:,.2f}")
            for r in shown
        ],
        scenario=[
            Point(x(r.poverty_share), y(r.scenario_per_pupil), f"{r.name}: scenario ${r.scenario_per_pupil:,.2f}")
            for r in shown
        ],
        x_ticks=[Tick(x(Decimal(p)), f"{p}%") for p in range(0, 101, 20)],
        y_ticks=[Tick(y(t), compact_dollars(t)) for t in y_ticks],
        description=description,
    )


@dataclass(frozen=True)
class PovertyBand:
    label: str
    schools: int
    published_per_pupil: Decimal | None
    scenario_per_pupil: Decimal | None


def poverty_bands(rows) -> list[PovertyBand]:
    """The table behind the equity chart: average dollars per pupil (weighted by students) by fifth of
    poverty share, before and after the scenario."""
    bands = []
    for low in range(0, 100, 20):
        high = low + 20
        inside = [
            r
            for r in rows
            if r.poverty_share is not None
            and r.students
            and low <= r.poverty_share
            and (r.poverty_share < high or high == 100)
        ]
        students = sum(r.students for r in inside)
        bands.append(
            PovertyBand(
                label=f"{low}% to {'under ' if high < 100 else ''}{high}%",
                schools=len(inside),
                published_per_pupil=(sum(r.published for r in inside) / students).quantize(Decimal("0.01"))
                if students
                else None,
                scenario_per_pupil=(sum(r.scenario for r in inside) / students).quantize(Decimal("0.01"))
                if students
                else None,
            )
        )
    return bands
