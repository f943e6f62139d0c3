"""A CSV cell never runs as a formula in a spreadsheet, on every CSV the portal writes."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from core.spreadsheets import FORMULA_STARTS, spreadsheet_cell
from tests.factories import SchoolFactory, grant


@pytest.mark.parametrize("start", FORMULA_STARTS, ids=repr)
def test_text_that_starts_like_a_formula_is_quoted_and_numbers_stay_numbers(start):
    assert spreadsheet_cell(f"{start}1+cmd|' /C calc'!A0") == f"'{start}1+cmd|' /C calc'!A0"
    assert spreadsheet_cell(Decimal("-7000.00")) == Decimal("-7000.00")
    assert spreadsheet_cell(-3) == -3
    assert spreadsheet_cell(None) == "" and spreadsheet_cell("Addams") == "Addams"


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["reports:register_csv", "reports:results_csv"])
def test_the_public_files_quote_a_school_name_that_starts_like_a_formula(client, name):
    school = SchoolFactory(name='=HYPERLINK("http://x")')
    grant(school, "people.hiring")
    text = client.get(reverse(name)).content.decode()
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    assert not any(cell.startswith("=") for cell in cells)
    if name == "reports:register_csv":
        assert '\'=HYPERLINK("http://x")' in cells
