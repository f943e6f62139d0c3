"""The trend chart builder: round ticks in the metric's unit, values and target placed on the same scale,
school years along the x axis, and the same figures as words."""

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accountability.charts import TrendPoint, nice_step, trend_chart, y_scale
from metrics.models import Metric

PERCENT = Metric(code="p", name="Proficiency", unit="percent", min_value=Decimal(0), max_value=Decimal(100))
VACANCIES = Metric(
    code="v",
    name="Vacancies",
    unit="count",
    min_value=Decimal(0),
    max_value=Decimal(500),
    count_noun="vacancy",
    count_noun_plural="vacancies",
)
BALANCE = Metric(code="b", name="Fund balance", unit="currency")  # no bounds: may be negative


def series(*values, target=None, statuses=None):
    periods = [f"{2020 + i}-{21 + i}" for i in range(len(values))]
    statuses = statuses or [""] * len(values)
    return [
        TrendPoint(
            period=period,
            value=None if v is None else Decimal(str(v)),
            target=None if target is None else Decimal(str(target)),
            status=status,
            status_words={"met": "met", "not_met": "not met"}.get(status, ""),
        )
        for period, v, status in zip(periods, values, statuses, strict=True)
    ]


def value_at(chart, y: float) -> Decimal:
    """The value a height stands for, read back from the chart's ticks (which are evenly spaced)."""
    (y0, v0), (y1, v1) = [(t.y, Decimal(t.label.rstrip("%").replace(",", ""))) for t in chart.ticks[:2]]
    return v0 + (v1 - v0) * Decimal(str((y - y0) / (y1 - y0)))


@pytest.mark.parametrize(
    "span, smallest, step",
    [
        (Decimal(40), Decimal("0.1"), Decimal(10)),
        (Decimal(9), Decimal("0.1"), Decimal(5)),
        (Decimal(3), Decimal("0.1"), Decimal(1)),
        (Decimal("0.3"), Decimal("0.1"), Decimal("0.1")),
        (Decimal("0.3"), Decimal(1), Decimal(1)),  # a count is never ticked in halves
        (Decimal(3000), Decimal(1), Decimal(1000)),
    ],
)
def test_the_step_is_round_and_never_finer_than_the_metric_shows(span, smallest, step):
    assert nice_step(span, smallest=smallest) == step


def test_the_axis_runs_from_a_round_tick_below_the_lowest_to_one_above_the_highest():
    low, high, step = y_scale([Decimal("41.5"), Decimal("57.25"), Decimal(50)], metric=PERCENT)
    assert (low, high, step) == (Decimal(40), Decimal(60), Decimal(5))


def test_the_axis_stays_within_the_metrics_range():
    low, high, _ = y_scale([Decimal("0.5"), Decimal("99")], metric=PERCENT)
    assert low >= 0 and high == 100


def test_ticks_are_round_values_in_the_metrics_unit_from_bottom_to_top():
    chart = trend_chart(series(41.5, 44.25, 57.25, target=50), metric=PERCENT)
    assert [t.label for t in chart.ticks] == ["40%", "45%", "50%", "55%", "60%"]
    heights = [t.y for t in chart.ticks]
    assert heights == sorted(heights, reverse=True)  # the higher the value, the higher on the page
    assert heights[0] == chart.plot_bottom and heights[-1] == chart.plot_top
    gaps = {round(a - b, 1) for a, b in zip(heights, heights[1:], strict=False)}
    assert max(gaps) - min(gaps) <= 0.2  # evenly spaced, give or take the rounding to 0.1


def test_points_are_placed_and_labelled_on_the_scale_of_the_ticks():
    chart = trend_chart(series(41.5, 44.25, 57.25, target=50), metric=PERCENT)
    assert [p.label for p in chart.points] == ["41.5%", "44.3%", "57.3%"]
    for point, value in zip(chart.points, ("41.5", "44.25", "57.25"), strict=True):
        assert abs(value_at(chart, point.y) - Decimal(value)) < Decimal("0.05")
    xs = [p.x for p in chart.points]
    assert xs == sorted(xs) and chart.plot_left < xs[0] and xs[-1] < chart.plot_right
    assert [(p.label, p.x) for p in chart.periods] == [("2020-21", xs[0]), ("2021-22", xs[1]), ("2022-23", xs[2])]


def test_the_target_line_is_at_the_targets_height_and_labelled_with_it():
    chart = trend_chart(series(41.5, 44.25, 57.25, target=50), metric=PERCENT)
    fifty = next(t.y for t in chart.ticks if t.label == "50%")
    heights = {float(pair.split(",")[1]) for pair in chart.targets.split()}
    assert heights == {fifty} and chart.target_label_y == fifty
    assert chart.target_label == "50%"
    assert chart.targets.split()[-1].startswith(f"{chart.plot_right},")  # drawn to its label
    assert chart.description == "2020-21: 41.5%; 2021-22: 44.3%; 2022-23: 57.3%. Target: 50%."


def test_a_target_that_changes_follows_its_periods():
    points = series(40, 42, 45)
    points = [p.__class__(**{**p.__dict__, "target": Decimal(t)}) for p, t in zip(points, (40, 40, 46), strict=True)]
    chart = trend_chart(points, metric=PERCENT)
    drawn = chart.targets.split()
    assert len(drawn) == 4 and drawn[1].split(",")[1] != drawn[2].split(",")[1]
    assert chart.target_label == "46%" and chart.description.endswith("Target: 40%, 46%.")


def test_no_target_no_line_and_more_room():
    chart = trend_chart(series(3, 1, 0), metric=VACANCIES)
    assert chart.targets == "" and chart.target_label == ""
    assert trend_chart(series(40), metric=PERCENT).unit_title == ""  # its ticks say "%"
    with_target = trend_chart(series(3, 1, 0, target=3), metric=VACANCIES)
    assert chart.plot_right > with_target.plot_right


def test_an_empty_series_draws_nothing():
    assert trend_chart([], metric=PERCENT) is None
    assert trend_chart(series(None, None), metric=PERCENT) is None


def test_a_single_point_sits_in_the_middle_with_a_level_target_and_round_ticks_around_it():
    chart = trend_chart(series(6, target=3), metric=VACANCIES)
    (point,) = chart.points
    assert point.x == pytest.approx((chart.plot_left + chart.plot_right) / 2, abs=0.1)
    assert point.label == "6"  # the axis says what is counted, once
    assert [t.label for t in chart.ticks] == ["0", "2", "4", "6"] and chart.unit_title == "Vacancies"
    left, right = chart.targets.split()
    assert left.split(",")[1] == right.split(",")[1] == str(chart.target_label_y)
    assert float(left.split(",")[0]) == chart.plot_left and float(right.split(",")[0]) == chart.plot_right
    assert chart.target_label == "3"
    assert chart.description == "2020-21: 6 vacancies. Target: 3 vacancies."  # the words say it in full


def test_a_single_level_value_still_gets_an_axis():
    chart = trend_chart(series(0, 0), metric=VACANCIES)
    assert len(chart.ticks) >= 2 and chart.ticks[0].label == "0"
    assert {p.y for p in chart.points} == {chart.plot_bottom}


def test_a_series_with_negative_values_puts_zero_between_them():
    chart = trend_chart(series(-1200, 300, 2500, target=0), metric=BALANCE)
    labels = [t.label for t in chart.ticks]
    assert labels[0].startswith("-$") and "$0" in labels and labels[-1] == "$3,000"
    zero = next(t.y for t in chart.ticks if t.label == "$0")
    below, above, far = chart.points
    assert below.y > zero > above.y > far.y  # a loss is drawn under the zero line
    assert chart.target_label_y == zero and chart.target_label == "$0"
    assert below.label == "-$1,200"


def test_gaps_are_left_out_of_the_line_and_named_in_the_words():
    chart = trend_chart(series(40, None, 44, statuses=["", "", "not_met"]), metric=PERCENT)
    assert len(chart.points) == 2 and len(chart.periods) == 3
    assert chart.description == "2020-21: 40%; 2022-23: 44% (not met). No data for 2021-22."
    assert chart.any_not_met and [p.status for p in chart.points] == ["before", "not_met"]
    assert chart.any_before
    assert not trend_chart(series(40, statuses=["met"]), metric=PERCENT).any_before


def test_a_label_too_near_the_top_goes_under_its_point():
    chart = trend_chart(series(40, 60), metric=PERCENT)
    low, high = sorted(chart.points, key=lambda p: p.y, reverse=True)
    assert low.label_y < low.y  # above the point
    assert high.label_y > high.y or high.label_y >= chart.plot_top  # under it when there is no room above


def test_a_phone_labels_every_other_year_of_a_long_trend_and_always_the_last():
    chart = trend_chart(series(40, 41, 42, 43, 44), metric=PERCENT)
    assert [p.minor for p in chart.periods] == [False, True, False, True, False]
    assert not any(p.minor for p in trend_chart(series(40, 41, 42), metric=PERCENT).periods)


values = st.decimals(min_value=-5000, max_value=5000, places=2, allow_nan=False, allow_infinity=False)


@settings(max_examples=200, deadline=None)
@given(
    numbers=st.lists(st.one_of(st.none(), values), min_size=1, max_size=8),
    target=st.one_of(st.none(), values),
    unit=st.sampled_from(["percent", "count", "rating", "currency", "rate"]),
)
def test_any_series_fits_its_plot_with_distinct_round_ticks(numbers, target, unit):
    metric = Metric(code="x", name="X", unit=unit)  # no bounds: any value, negatives too
    chart = trend_chart(series(*numbers, target=target), metric=metric)
    if all(n is None for n in numbers):
        assert chart is None
        return
    heights = [p.y for p in chart.points] + ([chart.target_label_y] if target is not None else [])
    assert all(chart.plot_top <= h <= chart.plot_bottom for h in heights)
    labels = [t.label for t in chart.ticks]
    assert 2 <= len(labels) <= 12 and len(set(labels)) == len(labels)
    assert [t.y for t in chart.ticks] == sorted((t.y for t in chart.ticks), reverse=True)
    assert all(chart.plot_left < p.x < chart.plot_right for p in chart.points)
