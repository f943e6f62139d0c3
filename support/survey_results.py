"""The one place a service survey's figures are made fit to show: every page, the API and the CSV read
their cells from here, and nothing else turns answers into figures.

A cell (a department, a statement of it, or a department within one network) shows its figures only where
at least ServicePolicy.survey_min_respondents principals answered it; below that it says "Fewer than 5
answered" and carries no figure at all, not even the count. Networks split a department's total, so a
single hidden network could be worked out as the total minus the networks shown: where exactly one network
with answers is hidden, the next smallest is hidden too (complementary suppression). Filters (a department,
a network) pick cells from results already suppressed as a whole, so no filter can narrow a group below
the minimum or reveal a complement.

Percentages are whole (as people write them); a grade and "target met" are read from that whole percent,
so a page never says 90% beside a B.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext, gettext_lazy

from support.models import SCALE_MAX, Department

NO_NETWORK = "none"  # the key of schools in no network, in filters, the API and the CSV
NO_NETWORK_NAME = gettext_lazy("Schools in no network")
COMPLEMENT_WORDS = gettext_lazy("Not shown, so that a smaller group's figure cannot be worked out")

# Palm Beach turns % positive into letter grades.
GRADE_BANDS = ((90, "A"), (80, "B"), (70, "C"), (60, "D"), (0, "F"))


@dataclass
class Tally:
    """What was answered in one cell, before suppression. Never leaves this module's functions unsuppressed."""

    respondents: int = 0
    answers: int = 0
    total: int = 0
    positive: int = 0

    def add(self, other: "Tally") -> None:
        self.respondents += other.respondents
        self.answers += other.answers
        self.total += other.total
        self.positive += other.positive


@dataclass(frozen=True)
class Cell:
    """A cell as it may be shown: figures, or none and the words why."""

    respondents: int | None = None
    percent_positive: int | None = None
    mean: Decimal | None = None
    hidden: str = ""

    @property
    def shown(self) -> bool:
        return not self.hidden

    @property
    def grade(self) -> str:
        return letter_grade(self.percent_positive) if self.shown else ""


@dataclass(frozen=True)
class NetworkCell:
    key: str  # the network's id, or NO_NETWORK
    name: str
    cell: Cell


@dataclass(frozen=True)
class ItemCell:
    position: int
    text: str
    cell: Cell


@dataclass(frozen=True)
class DepartmentResults:
    department: str
    name: str
    overall: Cell
    items: list[ItemCell] = field(default_factory=list)
    networks: list[NetworkCell] = field(default_factory=list)

    def network(self, key: str) -> Cell | None:
        return next((n.cell for n in self.networks if n.key == key), None)


def few_words(minimum: int) -> str:
    return gettext("Fewer than %(minimum)s answered") % {"minimum": minimum}


def letter_grade(percent: int | None) -> str:
    if percent is None:
        return ""
    return next(grade for floor, grade in GRADE_BANDS if percent >= floor)


def whole_percent(part: int, whole: int) -> int:
    return int((Decimal(100 * part) / whole).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def cell(tally: Tally | None, *, minimum: int) -> Cell:
    """The one rule: figures only where at least `minimum` answered."""
    if tally is None or tally.respondents < minimum or not tally.answers:
        return Cell(hidden=few_words(minimum))
    mean = (Decimal(tally.total) / tally.answers).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return Cell(
        respondents=tally.respondents,
        percent_positive=whole_percent(tally.positive, tally.answers),
        mean=min(mean, Decimal(SCALE_MAX)),
    )


def network_cells(tallies: dict[str, Tally], names: dict[str, str], *, minimum: int) -> list[NetworkCell]:
    """Each network's cell of one department, with complementary suppression across them."""
    cells = {key: cell(tallies.get(key), minimum=minimum) for key in names}
    hidden_with_answers = [k for k in names if not cells[k].shown and tallies.get(k) and tallies[k].respondents]
    if len(hidden_with_answers) == 1:
        shown = sorted((k for k in names if cells[k].shown), key=lambda k: (tallies[k].respondents, names[k]))
        if shown:
            cells[shown[0]] = Cell(hidden=COMPLEMENT_WORDS)
    return [NetworkCell(key=key, name=name, cell=cells[key]) for key, name in names.items()]


def department_results(
    *,
    departments: list[str],
    items: list,
    item_tallies: dict[tuple[str, int], Tally],
    network_tallies: dict[tuple[str, str], Tally],
    network_names: dict[str, str],
    minimum: int,
) -> list[DepartmentResults]:
    """Every department's cells from the tallies read by the selector: `item_tallies` by (department, item
    id), `network_tallies` by (department, network key); a department's total is the sum of its networks'
    (each response has one network, or none)."""
    labels = dict(Department.choices)
    results = []
    for department in departments:
        overall = Tally()
        for (d, _), tally in network_tallies.items():
            if d == department:
                overall.add(tally)
        by_network = {key: t for (d, key), t in network_tallies.items() if d == department}
        results.append(
            DepartmentResults(
                department=department,
                name=labels[department],
                overall=cell(overall, minimum=minimum),
                items=[
                    ItemCell(item.position, item.text, cell(item_tallies.get((department, item.pk)), minimum=minimum))
                    for item in items
                ],
                networks=network_cells(by_network, network_names, minimum=minimum),
            )
        )
    return results


def tally_from_row(row: dict) -> Tally:
    """A Tally from a selector's aggregate row (respondents, answers, total, positive)."""
    return Tally(
        respondents=row["respondents"], answers=row["answers"], total=row["total"] or 0, positive=row["positive"]
    )


@dataclass(frozen=True)
class ResultRow:
    """One cell of the results as the API and the CSV list them: a department's total (no network, no
    statement), one of its statements, or its share within one network."""

    department: str
    department_name: str
    network: str | None  # a network's key, NO_NETWORK, or None for the whole district
    network_name: str
    item: int | None  # the statement's number, or None for the department as a whole
    item_text: str
    cell: Cell


def result_rows(departments: list[DepartmentResults], *, department=None, network=None) -> list[ResultRow]:
    """The suppressed cells, picked by the filters: a filter chooses among cells, it never makes new ones."""
    rows = []
    for result in departments:
        if department and result.department != department:
            continue
        base = {"department": result.department, "department_name": result.name}
        if network is None:
            rows.append(ResultRow(**base, network=None, network_name="", item=None, item_text="", cell=result.overall))
            for item in result.items:
                rows.append(
                    ResultRow(
                        **base, network=None, network_name="", item=item.position, item_text=item.text, cell=item.cell
                    )
                )
        for shared in result.networks:
            if network in (None, shared.key):
                rows.append(
                    ResultRow(
                        **base, network=shared.key, network_name=shared.name, item=None, item_text="", cell=shared.cell
                    )
                )
    return rows


CSV_HEADER = ["Department", "Network", "Statement", "Answered", "% positive", "Mean of 5", "Grade", "Note"]


def results_rows(results, *, department=None, network=None) -> list[list]:
    """The CSV's header and rows: figures only where shown, the words why where not."""
    table = [CSV_HEADER]
    for row in result_rows(results.departments, department=department, network=network):
        c = row.cell
        table.append(
            [
                row.department_name,
                row.network_name or "Whole district",
                row.item_text or "All statements",
                c.respondents if c.shown else "",
                c.percent_positive if c.shown else "",
                c.mean if c.shown else "",
                c.grade,
                c.hidden,
            ]
        )
    return table
