"""The figures budgeting feeds to accountability, written as observations through the metrics services
(all or nothing, corrections keep their history), so a contract can hold a benchmark on them and an
earned Money autonomy can name them as a criterion. The metrics themselves are part of the default
catalog (metrics migration 0007).

- per_pupil_funding and percent_of_formula: each school's released allocation, when it is released
  (a true-up released later corrects them, keeping the earlier value as a revision);
- discretionary_share and budget_plan_days_late: each plan, when it is first submitted (and the share
  again when it is approved, as approved).
"""

from decimal import ROUND_HALF_UP, Decimal

from budgeting.models import AllocationSet, BudgetPlan
from core.errors import ApplicationError
from metrics.services.observations import observations_import_records

PER_PUPIL = "per_pupil_funding"
PERCENT_OF_FORMULA = "percent_of_formula"
DISCRETIONARY_SHARE = "discretionary_share"
DAYS_LATE = "budget_plan_days_late"
BUDGET_METRICS = (PER_PUPIL, PERCENT_OF_FORMULA, DISCRETIONARY_SHARE, DAYS_LATE)
SOURCE = "Student-based budgeting"


def _percent(part: Decimal, whole: Decimal) -> Decimal:
    if not whole:
        return Decimal("0")
    return (part * 100 / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _write(records: list[dict], *, label: str) -> None:
    if not records:
        return
    report = observations_import_records(records=records, label=label, first_row=0)
    if not report.ok:  # the metrics' ranges hold the figures the formula can produce; a refusal is a defect
        raise ApplicationError(f"The budget figures could not be recorded: {report.errors[0].reason}")


def allocation_metrics_record(*, allocation_set: AllocationSet) -> None:
    """Per-pupil funding and percent of formula of every school in a released set, in one import."""
    period = allocation_set.formula.school_year.label
    records = []
    for code, final, formula_amount, per_pupil in allocation_set.allocations.values_list(
        "school__code", "final_amount", "formula_amount", "per_pupil"
    ):
        records.append(dict(school=code, metric=PER_PUPIL, period=period, value=per_pupil, source=SOURCE))
        records.append(
            dict(
                school=code,
                metric=PERCENT_OF_FORMULA,
                period=period,
                value=_percent(final, formula_amount) if formula_amount else Decimal("100"),
                source=SOURCE,
            )
        )
    _write(records, label=f"Allocations released {allocation_set.released_on:%Y-%m-%d}")


def plan_metrics_record(*, plan: BudgetPlan, discretionary: Decimal, total: Decimal, days_late: int | None) -> None:
    """A plan's discretionary share (spending in categories the school decides, of all its spending) and,
    at its first submission, how many days after its due date it came (0 when on time)."""
    period = plan.school_year.label
    code = plan.school.code
    records = [dict(school=code, metric=DISCRETIONARY_SHARE, period=period, value=_percent(discretionary, total))]
    if days_late is not None:
        records.append(dict(school=code, metric=DAYS_LATE, period=period, value=Decimal(max(days_late, 0))))
    for record in records:
        record["source"] = SOURCE
    _write(records, label=f"Budget plan of {code} for {period}")
