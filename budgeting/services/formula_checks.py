"""The checks and the record shared by the services that change a draft formula's parts
(budgeting.services.formula_edits): every bad figure of one submission named at once, and each change
written as label, before and after in the words the pages use."""

from decimal import Decimal

from core.errors import ApplicationError

Changes = list[dict[str, str]]
Errors = dict[str, list[str]]


class FigureChecker:
    """Collects every refusal of one submission, so a page names all the bad fields at once."""

    def __init__(self):
        self.errors: Errors = {}

    def fail(self, field: str, message: str) -> None:
        self.errors.setdefault(field, []).append(message)

    def decimal(
        self, field: str, label: str, value, *, low: Decimal, high: Decimal, places: int, above_low=False
    ) -> Decimal | None:
        if value is None:
            return None
        if not isinstance(value, Decimal) or not value.is_finite():
            self.fail(field, f"{label}: enter a number.")
            return None
        if value < low or (above_low and value == low):
            self.fail(field, f"{label} must be {'above' if above_low else 'at least'} {low}.")
        elif value > high:
            self.fail(field, f"{label} cannot be more than {high:,}.")
        elif -value.as_tuple().exponent > places:
            self.fail(field, f"{label}: give at most {places} decimal places.")
        return value

    def done(self, message: str = "Some figures are not right: nothing was saved.") -> None:
        if self.errors:
            raise ApplicationError(message, fields=self.errors)


def change_of(label: str, before: str, after: str) -> list[dict[str, str]]:
    return [] if before == after else [{"label": label, "before": before, "after": after}]


def rows_replace(rows: dict, wanted: dict, *, label, say, value_of, write, make) -> Changes:
    """Make a part's rows exactly `wanted` (key → value): change, add and remove; return what changed."""
    changes: Changes = []
    for key in sorted(set(rows) | set(wanted)):
        row, value = rows.get(key), wanted.get(key)
        before = say(value_of(row)) if row is not None else "none"
        after = say(value) if value is not None else "none"
        if before == after and (row is None or value_of(row) == value):
            continue
        if value is None:
            row.delete()
        elif row is None:
            make(key, value).save()
        else:
            write(row, value)
            row.save()
        changes.append({"label": label(key), "before": before, "after": after})
    return changes
