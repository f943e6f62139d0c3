"""What every inline-SVG trend chart shares (a benchmark's trend in accountability, a department's survey
scores in support): its points, its y-axis ticks, and the periods along its x axis, of which a phone shows
every other one when there are more than three. Each chart keeps its own scale and layout; no script and no
chart library draws them."""

from dataclasses import dataclass

MAJOR_PERIODS = 3  # more periods than this and a phone labels every other one


@dataclass(frozen=True)
class PlotFrame:
    """The chart's canvas and, inside it, the rectangle its data is plotted in (SVG units)."""

    width: int
    height: int
    plot_left: int
    plot_right: int
    plot_top: int
    plot_bottom: int


@dataclass(frozen=True)
class ChartPoint:
    x: float
    y: float
    label: str  # the value as written on the chart (its unit said once, on the axis), drawn at the point
    label_y: float
    words: str  # the period, value and result, the point's title
    status: str


@dataclass(frozen=True)
class Tick:
    y: float
    label: str


@dataclass(frozen=True)
class PeriodLabel:
    x: float
    label: str
    minor: bool  # left out on a phone, where every period's label does not fit: every other one, the last kept

    @property
    def lines(self) -> list[str]:
        """The label on two lines at its first space ("Fall 2026-27" → "Fall", "2026-27"), so neighbours fit."""
        return self.label.split(" ", 1)


def period_labels(xs: list[float], labels: list[str]) -> list[PeriodLabel]:
    """The periods under the x axis, each at its x; with more than MAJOR_PERIODS, every other one counted
    back from the last is minor (a phone leaves it out)."""
    count = len(labels)
    return [
        PeriodLabel(x=x, label=label, minor=count > MAJOR_PERIODS and (count - 1 - i) % 2 == 1)
        for i, (x, label) in enumerate(zip(xs, labels, strict=True))
    ]


@dataclass(frozen=True)
class TargetTrend(PlotFrame):
    """A trend held to a target: its periods along the x axis, its values as labelled points, the target as
    a labelled dashed line right of which its label sits, and the same figures as words."""

    tick_x: int  # where the tick labels end, left of the plot
    period_y: int  # the baseline of the periods' labels, under the plot
    target_label_x: int
    targets: str  # polyline points of the target ('' when it has none)
    target_label: str
    target_label_y: float
    points: list[ChartPoint]
    ticks: list[Tick]
    periods: list[PeriodLabel]
    description: str

    @property
    def any_not_met(self) -> bool:
        return any(p.status == "not_met" for p in self.points)


def trend_layout(*, width: int, height: int, left: int, right: int, top: int, bottom: int, period_gap: int) -> dict:
    """Where a TargetTrend's plot and labels sit: the plot inside the margins, the tick labels ending just left
    of it, the target's label just right of it, the periods' labels `period_gap` below it."""
    plot_bottom = height - bottom
    return {
        "width": width,
        "height": height,
        "plot_left": left,
        "plot_right": right,
        "plot_top": top,
        "plot_bottom": plot_bottom,
        "tick_x": left - 6,
        "period_y": plot_bottom + period_gap,
        "target_label_x": right + 6,
    }


def spread(count: int, left: float, right: float) -> list[float]:
    """`count` x positions evenly from `left` to `right`; a single one in the middle."""
    if count == 1:
        return [round((left + right) / 2, 1)]
    return [round(left + i * (right - left) / (count - 1), 1) for i in range(count)]
