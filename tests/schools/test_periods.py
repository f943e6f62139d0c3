"""The school year as a period label: one rule, in schools.periods, for every model, form, API and import."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from schools.models import SchoolYear
from schools.periods import (
    previous_school_years,
    school_year_label,
    school_year_problem,
    validate_school_year,
)

ARABIC_INDIC = "٢٠٢٥-٢٦"
FULL_WIDTH = "２０２５-２６"


@pytest.mark.parametrize("label", ["2025-26", "2099-00", "1999-00", "0000-01"])
def test_a_school_year_is_four_digits_a_hyphen_and_the_next_year(label):
    assert school_year_problem(label) == ""
    validate_school_year(label)


@pytest.mark.parametrize(
    ("label", "problem"),
    [
        ("", "is empty"),
        ("2025-99", "'2025-99' is not a school year: 99 is not the year after 2025 (write 2025-26)"),
        ("2025-25", "'2025-25' is not a school year: 25 is not the year after 2025 (write 2025-26)"),
        ("2099-01", "'2099-01' is not a school year: 01 is not the year after 2099 (write 2099-00)"),
        (ARABIC_INDIC, f"'{ARABIC_INDIC}' is not a school year written as 2025-26 with the digits 0-9"),
        (FULL_WIDTH, f"'{FULL_WIDTH}' is not a school year written as 2025-26 with the digits 0-9"),
        ("2025/26", "'2025/26' is not a school year written as 2025-26 with the digits 0-9"),
        ("2025-26\n", "'2025-26\n' is not a school year written as 2025-26 with the digits 0-9"),
        (" 2025-26", "' 2025-26' is not a school year written as 2025-26 with the digits 0-9"),
        ("2025-2026", "'2025-2026' is not a school year written as 2025-26 with the digits 0-9"),
        ("x" * 50, f"'{'x' * 39}…' is not a school year written as 2025-26 with the digits 0-9"),
        ("%s-%(x)s", "'%s-%(x)s' is not a school year written as 2025-26 with the digits 0-9"),
    ],
)
def test_each_wrong_label_is_refused_saying_what_is_wrong(label, problem):
    assert school_year_problem(label) == problem
    with pytest.raises(ValidationError) as refused:
        validate_school_year(label)
    assert refused.value.messages == [problem]


@pytest.mark.parametrize(("start", "label"), [(2025, "2025-26"), (2099, "2099-00"), (2000, "2000-01")])
def test_the_label_of_a_start_year(start, label):
    assert school_year_label(start) == label
    assert school_year_problem(label) == ""


def test_the_previous_school_years_end_with_the_one_given_oldest_first():
    assert previous_school_years("2025-26", 3) == ("2023-24", "2024-25", "2025-26")
    assert previous_school_years("2000-01", 2) == ("1999-00", "2000-01")
    assert previous_school_years("2025-26", 1) == ("2025-26",)


@pytest.mark.django_db
@pytest.mark.parametrize("label", ["2025-99", ARABIC_INDIC, FULL_WIDTH])
def test_a_school_year_row_refuses_a_wrong_label_naming_the_field(label):
    year = SchoolYear(
        label=label,
        start_date=datetime.date(2025, 7, 1),
        end_date=datetime.date(2026, 6, 30),
        first_day=datetime.date(2025, 8, 20),
    )
    with pytest.raises(ValidationError) as refused:
        year.full_clean()
    assert list(refused.value.message_dict) == ["label"]
    year.label = "2025-26"
    year.full_clean()
