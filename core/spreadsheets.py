"""The one rule for a cell of a CSV file a person may open in a spreadsheet: text that starts like a formula
(=, +, -, @, a tab or a carriage return) gets a leading quote, so the spreadsheet shows it and never runs
it. A number stays a number: a negative amount is data, not a formula. Every CSV the portal writes —
the decision-rights matrix, the allocation lines, the public register and results, the auditor's dossier —
writes its cells through here."""

from decimal import Decimal

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(value):
    if value is None:
        return ""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return value
    text = str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text
