"""A scenario beside the formula it changes, school by school: who gains, who loses, by how much, and how
per-pupil dollars follow the share of students in poverty (the equity question a board asks first).

Nothing here is stored: a scenario's results are computed when asked, in memory, from one read of the
counts (budgeting.services.scenarios.scenario_run). 2,000 schools compare in well under a second.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from budgeting.models import Scenario
from budgeting.services.scenarios import scenario_run

POVERTY = "poverty"  # the need category whose share of students the equity chart reads
BIGGEST = 5  # schools named among the biggest gains and the biggest losses
# The distribution of changes, in percent of the formula's amount (5 and 10 belong to the larger bucket).
BUCKETS = (
    "Loses 10% or more",
    "Loses 5% to 10%",
    "Loses less than 5%",
    "No change",
    "Gains less than 5%",
    "Gains 5% to 10%",
    "Gains 10% or more",
)


@dataclass(frozen=True)
class ComparedSchool:
    school_id: int
    code: str
    name: str
    students: int
    poverty_share: Decimal | None  # percent of the school's students, in the scenario's counts
    published: Decimal
    scenario: Decimal
    difference: Decimal
    change_percent: Decimal | None  # of the formula's amount; None for a school the formula gives nothing
    published_per_pupil: Decimal
    scenario_per_pupil: Decimal


@dataclass(frozen=True)
class Bucket:
    label: str
    count: int


@dataclass(frozen=True)
class Comparison:
    rows: list[ComparedSchool]  # by school name
    published_total: Decimal
    scenario_total: Decimal
    published_base: Decimal
    scenario_base: Decimal
    gainers: int
    losers: int
    unchanged: int
    biggest_gains: list[ComparedSchool]
    biggest_losses: list[ComparedSchool]
    distribution: list[Bucket]

    @property
    def difference(self) -> Decimal:
        return self.scenario_total - self.published_total


def _percent(part: Decimal, whole: Decimal) -> Decimal | None:
    if not whole:
        return None
    return (part * 100 / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _bucket_of(change: Decimal | None, difference: Decimal) -> str:
    """A school's change in words; one the formula gave nothing that now gets something gains 10% or more."""
    if difference == 0:
        return "No change"
    size = abs(change) if change is not None else Decimal("100")
    step = 0 if size < 5 else 1 if size < 10 else 2
    if difference > 0:
        return ("Gains less than 5%", "Gains 5% to 10%", "Gains 10% or more")[step]
    return ("Loses less than 5%", "Loses 5% to 10%", "Loses 10% or more")[step]


def scenario_compare(*, scenario: Scenario) -> Comparison:
    """Every school's formula result beside the scenario's, with the summary the compare page shows."""
    run = scenario_run(formula=scenario.formula, snapshot=scenario.snapshot, changes=scenario.changes)
    published = {a.school_id: a for a in run.published.allocations}
    counts = {c.school_id: c.counts for c in run.scenario_counts}
    rows = []
    for result in run.scenario.allocations:
        before = published[result.school_id]
        code, name = run.schools[result.school_id]
        difference = result.final_amount - before.final_amount
        poor = counts[result.school_id].get(POVERTY)
        rows.append(
            ComparedSchool(
                school_id=result.school_id,
                code=code,
                name=name,
                students=result.students,
                poverty_share=_percent(Decimal(poor), Decimal(result.students)) if poor is not None else None,
                published=before.final_amount,
                scenario=result.final_amount,
                difference=difference,
                change_percent=_percent(difference, before.final_amount),
                published_per_pupil=before.per_pupil,
                scenario_per_pupil=result.per_pupil,
            )
        )
    rows.sort(key=lambda row: (row.name, row.code))
    by_change = sorted(rows, key=lambda row: (row.difference, row.code))
    tally = dict.fromkeys(BUCKETS, 0)
    for row in rows:
        tally[_bucket_of(row.change_percent, row.difference)] += 1
    return Comparison(
        rows=rows,
        published_total=run.published.total,
        scenario_total=run.scenario.total,
        published_base=run.published.base_per_pupil,
        scenario_base=run.scenario.base_per_pupil,
        gainers=sum(1 for row in rows if row.difference > 0),
        losers=sum(1 for row in rows if row.difference < 0),
        unchanged=sum(1 for row in rows if row.difference == 0),
        biggest_gains=[row for row in reversed(by_change) if row.difference > 0][:BIGGEST],
        biggest_losses=[row for row in by_change if row.difference < 0][:BIGGEST],
        distribution=[Bucket(label, tally[label]) for label in BUCKETS],
    )
