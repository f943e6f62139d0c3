"""The one check of observation rows, for both ways in: each row good or bad, in the words of import_rules.

Both paths (`import_postgres`, `import_python`) stream their rows through `RowCheck.good_rows`, so a
file gets the same report whichever database takes it. A row is good when its school and metric are
known, its period is a school year, its value a number within the metric's range, its n (if any) a
whole number, and no earlier good row had the same school, metric and period.

A file of a million rows repeats a few schools, metrics, periods and value texts many times: each
distinct period and (metric, value) text is checked once and remembered, up to a bound, so most rows
cost a few dictionary look-ups. A bad row is described by the same functions as ever (`_problems`).
"""

from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal

from metrics.models import Metric
from metrics.services.import_rows import MAX_LISTED_ERRORS, Row, RowError
from metrics.services.import_rules import (
    REASONS,
    SOURCE_CHARS,
    n_problem,
    parse_n,
    parse_number,
    period_problem,
    shown,
    stored_value,
    value_problem,
)
from schools.models import School

# How many distinct periods and (metric, value) texts are remembered: a file of all-different values
# is still checked, only without the shortcut once the bound is reached.
REMEMBERED = 100_000
_BAD = object()
_UNKNOWN = (None, {}, {})  # an unknown metric's: no id, and nothing is remembered for it

# (school id, metric id, period, value, source cut to SOURCE_CHARS, n or None); the value as the path wants it.
GoodRow = tuple[int, int, str, object, str, int | None]


class RowCheck:
    """Checks rows in order; yields the good ones until the first bad one, and keeps the first bad ones.

    `value_form` turns a value, once rounded as stored (a Decimal), into what the path writes: the Decimal
    itself for the ORM, its text for COPY. It runs once per distinct value text, not once a row.
    """

    def __init__(self, *, value_form: Callable[[Decimal], object] = lambda value: value):
        self.schools: dict[str, int] = dict(School.objects.values_list("code", "pk"))
        self.metrics: dict[str, Metric] = {metric.code: metric for metric in Metric.objects.all()}
        self.errors: list[RowError] = []  # the first MAX_LISTED_ERRORS bad rows, in row order
        self.error_count = 0
        self._value_form = value_form
        # metric code → (its id, its value texts checked so far → what each is stored as or _BAD, and
        # period → school id → the row that first had them)
        self._known: dict[str, tuple[int, dict[str, object], dict[str, dict[int, int]]]] = {
            code: (metric.pk, {}, {}) for code, metric in self.metrics.items()
        }
        self._periods: dict[str, bool] = {}  # period → whether it is a school year
        self._remembered = 0

    def good_rows(self, rows: Iterable[Row]) -> Iterator[GoodRow]:
        """The good rows, typed, while no row is bad; every row is checked all the same (errors, error_count)."""
        schools, known, periods = self.schools, self._known, self._periods
        for row in rows:
            line, school_code, metric_code, period, raw, source, raw_n = row
            school_id = schools.get(school_code)
            metric_id, values, first_rows = known.get(metric_code, _UNKNOWN)
            value = values.get(raw)
            if value is None:
                value = self._value(metric_code, raw)
            good_period = periods.get(period)
            if good_period is None:
                good_period = self._period(period)
            n = parse_n(raw_n) if raw_n else None
            if school_id is None or value is _BAD or not good_period or (raw_n and n is None):
                self._refuse(line, self._problems(row))
                continue
            # The first row of each school, by metric and period: many small dictionaries fill faster than
            # one of a million entries.
            by_school = first_rows.get(period)
            if by_school is None:
                by_school = first_rows[period] = {}
            first = by_school.setdefault(school_id, line)
            if first != line:
                self._refuse(line, [REASONS["duplicate"].format(first, school_code, metric_code, period)])
            elif not self.error_count:
                yield school_id, metric_id, period, value, source[:SOURCE_CHARS], n

    def _value(self, metric_code: str, raw: str) -> object:
        """What a good value text is stored as, or _BAD; remembered while there is room."""
        if metric_code not in self.metrics:
            return _BAD
        number = parse_number(raw)
        bad = value_problem(raw, number, self.metrics[metric_code]) is not None
        value = _BAD if bad else self._value_form(stored_value(number))
        if self._remembered < REMEMBERED:
            self._remembered += 1
            self._known[metric_code][1][raw] = value
        return value

    def _period(self, period: str) -> bool:
        """Whether the period is a school year; remembered (every school year, the others while there is room)."""
        good = period_problem(period) is None
        if good or self._remembered < REMEMBERED:
            self._remembered += not good
            self._periods[period] = good
        return good

    def _problems(self, row: Row) -> list[str]:
        """Everything wrong with a row, in the order the report names it."""
        _, school_code, metric_code, period, raw, _, raw_n = row
        problems = []
        if not school_code:
            problems.append(REASONS["school_empty"])
        elif school_code not in self.schools:
            problems.append(REASONS["school_unknown"].format(shown(school_code)))
        metric = self.metrics.get(metric_code)
        if not metric_code:
            problems.append(REASONS["metric_empty"])
        elif metric is None:
            problems.append(REASONS["metric_unknown"].format(shown(metric_code)))
        if problem := period_problem(period):
            problems.append(problem)
        if problem := value_problem(raw, parse_number(raw), metric):
            problems.append(problem)
        if problem := n_problem(raw_n):
            problems.append(problem)
        return problems

    def _refuse(self, line: int, problems: list[str]) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_LISTED_ERRORS:
            self.errors.append(RowError(line, "; ".join(problems)))
