"""A department's % positive across survey cycles as the numbers an inline SVG needs: no script, no chart
library. Drawn the way accountability draws a benchmark's trend (a y axis with round ticks, the periods
along the x axis, each value labelled at its point, the target as a labelled dashed line, and a table of
the same figures on the page), but on a fixed 0–100 % scale; support may not import accountability, so the
scale's arithmetic lives here and the points, ticks and periods come from core.charts. A cycle whose
figure is suppressed is a gap in the line, and says so in the chart's description.
"""

from dataclasses import dataclass

from core.charts import ChartPoint, TargetTrend, Tick, period_labels, spread, trend_layout

WIDTH, HEIGHT = 440, 210
LEFT, TOP, BOTTOM = 44, 24, 46  # room under the plot for the term and, below it, the school year
RIGHT = 76  # the target's label sits right of the plot
EDGE_PAD = 30
TICKS = (0, 25, 50, 75, 100)
LABEL_ABOVE, LABEL_BELOW = -9, 19


@dataclass(frozen=True)
class PercentChart(TargetTrend):
    values: list[str]  # polyline points of each unbroken run of shown values


def percent_chart(periods: list[tuple[str, int | None]], *, target: int, hidden_words: str) -> PercentChart | None:
    """`periods` oldest first: (label, whole percent or None where suppressed). None when nothing is shown."""
    if not any(value is not None for _, value in periods):
        return None
    right = WIDTH - RIGHT
    plot_bottom = HEIGHT - BOTTOM
    xs = spread(len(periods), LEFT + EDGE_PAD, right - EDGE_PAD)

    def y(value: float) -> float:
        return round(TOP + (100 - value) / 100 * (plot_bottom - TOP), 1)

    points, runs, run, words = [], [], [], []
    for i, (label, value) in enumerate(periods):
        if value is None:
            words.append(f"{label}: {hidden_words.lower()}")
            if run:
                runs.append(run)
            run = []
            continue
        at = y(value)
        status = "met" if value >= target else "not_met"
        said = f"{label}: {value}% positive ({'target met' if status == 'met' else 'target not met'})"
        words.append(said)
        # above the point, unless that runs off the top or into the target line just above it
        near_target = 0 < target - value <= 8
        label_y = at + (LABEL_BELOW if at + LABEL_ABOVE < TOP or near_target else LABEL_ABOVE)
        points.append(ChartPoint(xs[i], at, f"{value}%", round(label_y, 1), said, status))
        run.append(f"{xs[i]},{at}")
    if run:
        runs.append(run)
    target_y = y(target)
    return PercentChart(
        **trend_layout(width=WIDTH, height=HEIGHT, left=LEFT, right=right, top=TOP, bottom=BOTTOM, period_gap=18),
        values=[" ".join(r) for r in runs if len(r) > 1],
        targets=f"{LEFT},{target_y} {right},{target_y}",
        target_label=f"{target}%",
        target_label_y=target_y,
        points=points,
        ticks=[Tick(y(t), f"{t}%") for t in TICKS],
        periods=period_labels(xs, [label for label, _ in periods]),
        description="; ".join(words) + f". Target: {target}%.",
    )
