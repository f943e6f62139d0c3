"""A metric's numbers as people write them: metrics.formatting and its template filters."""

from decimal import Decimal

import pytest
from django.db import IntegrityError
from django.template import Context, Template

from metrics.formatting import (
    format_change,
    format_compact,
    format_number,
    format_percentile,
    format_result,
    format_standing,
    format_target,
    format_value,
    precision_of,
    unit_title,
)
from metrics.models import Metric


def metric(unit="percent", precision=None, one="", many=""):
    return Metric(code="m", name="M", unit=unit, precision=precision, count_noun=one, count_noun_plural=many)


PERCENT = metric("percent")
VACANCIES = metric("count", one="vacancy", many="vacancies")
DOLLARS = metric("currency")
RATING = metric("rating", precision=0)


@pytest.mark.parametrize(
    "subject, value, words",
    [
        (PERCENT, Decimal("88.1667"), "88.2%"),
        (PERCENT, Decimal("88.15"), "88.2%"),  # half up, as people round, not to even
        (PERCENT, Decimal("60.0000"), "60%"),
        (PERCENT, Decimal("0.04"), "0%"),
        (DOLLARS, Decimal("1240.4"), "$1,240"),
        (DOLLARS, Decimal("-1240.5"), "-$1,241"),
        (VACANCIES, Decimal("7.0000"), "7 vacancies"),
        (VACANCIES, Decimal("1"), "1 vacancy"),
        (VACANCIES, Decimal("0"), "0 vacancies"),
        (metric("count"), Decimal("1200"), "1,200"),
        (RATING, Decimal("3.6"), "4"),
        (metric("rating"), Decimal("3.25"), "3.3"),
        (metric("rate"), Decimal("0.12345"), "0.12"),
        (metric("percent", precision=2), Decimal("41.555"), "41.56%"),
        (PERCENT, None, "no data"),
        (PERCENT, "", "no data"),
        (PERCENT, "26.0000", "26%"),  # a stored number read back from a flag's evidence
    ],
)
def test_a_value_is_rounded_to_the_metrics_precision_and_carries_its_unit(subject, value, words):
    assert format_value(subject, value) == words


def test_a_compact_value_leaves_a_counts_noun_to_the_axis_title():
    assert format_compact(VACANCIES, Decimal("7.0000")) == "7" and unit_title(VACANCIES) == "Vacancies"
    assert format_compact(PERCENT, Decimal("88.1667")) == "88.2%" and unit_title(PERCENT) == ""
    assert format_compact(DOLLARS, Decimal("1240")) == "$1,240" and format_compact(VACANCIES, None) == "no data"
    assert unit_title(metric("count")) == ""


def test_a_negative_value_rounding_to_zero_is_zero():
    assert format_value(PERCENT, Decimal("-0.01")) == "0%"
    assert format_number(Decimal("-0.04"), 1) == "0"


def test_precision_falls_back_to_the_units_usual():
    assert [precision_of(metric(unit)) for unit in ("percent", "count", "rating", "currency", "rate")] == [
        1,
        0,
        1,
        0,
        2,
    ]
    assert precision_of(metric("percent", precision=0)) == 0


@pytest.mark.parametrize(
    "subject, change, words",
    [
        (PERCENT, Decimal("2.14"), "+2.1 points"),
        (PERCENT, Decimal("-1"), "-1 point"),
        (PERCENT, Decimal("0.02"), "no change"),
        (VACANCIES, Decimal("-1"), "-1 vacancy"),
        (VACANCIES, Decimal("3"), "+3 vacancies"),
        (DOLLARS, Decimal("120"), "+$120"),
        (RATING, Decimal("-2"), "-2"),
        (PERCENT, None, "no data"),
    ],
)
def test_a_change_is_signed_and_in_points_for_a_percent(subject, change, words):
    assert format_change(subject, change) == words


@pytest.mark.parametrize(
    "percentile, words",
    [
        (Decimal("35.4"), "35th percentile"),
        (Decimal("1"), "1st percentile"),
        (Decimal("22"), "22nd percentile"),
        (Decimal("13"), "13th percentile"),
        (Decimal("0.2"), "1st percentile"),  # someone is behind it: never "the lowest"
        (Decimal("0"), "the lowest"),
        (Decimal("99.7"), "99th percentile"),
        (None, "no data"),
    ],
)
def test_a_percentile_is_a_whole_ordinal(percentile, words):
    assert format_percentile(percentile) == words


def test_standing_says_the_value_the_percentile_and_how_many_schools():
    growth = metric("rating", precision=0)
    assert (
        format_standing(growth, Decimal("35.4"), percentile=Decimal("34.2"), schools=38)
        == "35 (34th percentile of 38 schools)"
    )
    assert format_standing(growth, None, percentile=Decimal("34.2"), schools=38) == "34th percentile of 38 schools"
    assert format_standing(growth, None, percentile=Decimal("50"), schools=None) == "50th percentile"
    assert format_standing(growth, Decimal("40"), percentile=Decimal("0"), schools=1) == "40 (the lowest of 1 school)"
    assert format_standing(growth, None, percentile=None, schools=38) == "no data"
    assert format_standing(growth, Decimal("40"), percentile=None, schools=38) == "40 (no standing computed)"


def test_a_result_and_its_target_speak_in_the_terms_of_the_benchmarks_kind():
    assert format_result("value", PERCENT, Decimal("88.1667")) == "88.2%"
    assert format_result("aggregate", PERCENT, Decimal("71.3333")) == "71.3%"
    assert format_result("growth", PERCENT, Decimal("-3.0")) == "-3 points"
    assert format_result("trend", VACANCIES, Decimal("1")) == "+1 vacancy"
    assert (
        format_result("relative", PERCENT, Decimal("35.4"), observed=Decimal("48.25"), schools=38)
        == "48.3% (35th percentile of 38 schools)"
    )
    assert format_target("value", VACANCIES, Decimal("3")) == "3 vacancies"
    assert format_target("growth", PERCENT, Decimal("3")) == "+3 points"
    assert format_target("growth", PERCENT, Decimal("0")) == "0 points"
    assert format_target("trend", VACANCIES, Decimal("0")) == "0 vacancies"
    assert format_target("relative", PERCENT, Decimal("40")) == "the 40th percentile"


def test_the_template_filters_write_what_the_functions_write():
    class Benchmark:
        kind = "relative"
        metric = PERCENT

    html = Template(
        "{% load metric_format %}{{ v|metric_value:m }}|{{ c|metric_change:m }}|{{ p|percentile }}|"
        "{% standing m v p 38 %}|{% result_value b p v 38 %}|{% result_target b 40 %}"
    ).render(Context({"m": PERCENT, "v": Decimal("88.1667"), "c": Decimal("2"), "p": Decimal("35"), "b": Benchmark()}))
    assert html == (
        "88.2%|+2 points|35th percentile|88.2% (35th percentile of 38 schools)|"
        "88.2% (35th percentile of 38 schools)|the 40th percentile"
    )


@pytest.mark.django_db
def test_the_default_catalog_declares_how_its_values_are_written():
    vacancies = Metric.objects.get(code="teacher_vacancies_first_day")
    assert format_value(vacancies, Decimal("7.0000")) == "7 vacancies"
    assert format_value(Metric.objects.get(code="finance_rating"), Decimal("3.0000")) == "3"
    assert format_value(Metric.objects.get(code="ela_proficiency"), Decimal("88.1667")) == "88.2%"
    assert format_value(Metric.objects.get(code="audit_findings"), Decimal("1")) == "1 finding"


@pytest.mark.django_db
def test_a_precision_beyond_the_stored_decimals_is_refused():
    with pytest.raises(IntegrityError):
        Metric.objects.create(
            code="too-fine", name="Too fine", unit="rate", direction="higher", category="academic", precision=5
        )
