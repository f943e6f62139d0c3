"""What-if scenarios: a formula with some parameters changed, compared school by school before anything is
published, and adopted as the formula's next draft version.

A scenario stores only what differs (`Scenario.changes`, as text so a Decimal survives JSON):

    {"base_mode": "entered", "base_per_pupil": "4100.00", "pool": "250000000.00",
     "weights": {"poverty": "0.15"}, "transition_mode": "stop_loss", "stop_loss_share": "0.05",
     "gain_cap_share": "0.03", "percent_of_formula": "0.90", "enrollment": {"S0001": {"poverty": 120}}}

`enrollment` sets a school's count in a category (it replaces the snapshot's count, it does not add to it).
The checks here are the one home of what a scenario may say; the page's form only checks shapes.
"""

import dataclasses
import re
from decimal import Decimal, InvalidOperation

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from budgeting.models import (
    BaseMode,
    CategoryKind,
    EnrollmentCategory,
    EnrollmentSnapshot,
    FormulaVersion,
    Scenario,
    ScenarioStatus,
    TransitionMode,
    WeightConvention,
)
from budgeting.policies import can_manage_budgeting
from budgeting.services import engine
from budgeting.services.allocations import previous_finals_of, school_counts_of
from budgeting.services.formula import formula_spec_of
from budgeting.services.scenario_adoption import formula_draft_from
from core.errors import ApplicationError, Conflict
from core.limits import NOTE_TEXT, SHORT_TEXT
from core.policies import require
from schools.models import School

MAX_WEIGHT = Decimal("20")  # the same bound as the formula's rows (Weight's weight_within_range)
MAX_STUDENTS = 100_000  # a count above this in one school and category is a typing slip
MONEY_FIELDS = ("base_per_pupil", "pool")
SHARE_FIELDS = ("stop_loss_share", "gain_cap_share", "percent_of_formula")
NEGATIVE_SCHOOL = re.compile(r"School (\d+) would receive a negative allocation")
KNOWN_KEYS = {"base_mode", "transition_mode", "weights", "enrollment", *MONEY_FIELDS, *SHARE_FIELDS}


def _decimal(value) -> Decimal | None:
    try:
        number = Decimal(str(value).strip().replace(",", "").lstrip("$"))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def _clean_money(changes: dict, errors: dict) -> dict:
    cleaned = {}
    for name, words in (("base_per_pupil", "The base per pupil"), ("pool", "The pool")):
        if changes.get(name) in (None, ""):
            continue
        number = _decimal(changes[name])
        if number is None:
            errors[name] = [f"{words} must be an amount in dollars, such as 4084.80."]
        elif number <= 0:
            errors[name] = [f"{words} must be more than $0."]
        elif number >= Decimal("1e12"):
            errors[name] = [f"{words} is too large: it must be under $1,000,000,000,000."]
        else:
            cleaned[name] = str(number.quantize(Decimal("0.01")))
    for name in SHARE_FIELDS:
        if changes.get(name) in (None, ""):
            continue
        number = _decimal(changes[name])
        if number is None or not (0 <= number <= 1):
            errors[name] = ["Give a share between 0 and 1 (0.05 for 5%)."]
        else:
            cleaned[name] = str(number.quantize(Decimal("0.0001")))
    return cleaned


def _clean_modes(changes: dict, errors: dict) -> dict:
    cleaned = {}
    if changes.get("base_mode"):
        if changes["base_mode"] not in BaseMode.values:
            errors["base_mode"] = ["Choose an entered base or a base solved from a pool."]
        else:
            cleaned["base_mode"] = changes["base_mode"]
    if changes.get("transition_mode"):
        if changes["transition_mode"] not in TransitionMode.values:
            errors["transition_mode"] = ["Choose none, stop-loss or percent of formula."]
        else:
            cleaned["transition_mode"] = changes["transition_mode"]
    return cleaned


def _clean_weights(weights: dict, categories: dict[str, EnrollmentCategory], errors: dict) -> dict:
    cleaned, problems = {}, []
    for code, value in (weights or {}).items():
        if code not in categories:
            problems.append(f"“{code}” is not a category of the district's enrollment.")
            continue
        number = _decimal(value)
        name = categories[code].name
        if number is None:
            problems.append(f"{name}: the weight must be a number, such as 0.12.")
        elif number < 0:
            problems.append(f"{name}: a weight cannot be negative.")
        elif number > MAX_WEIGHT:
            problems.append(f"{name}: a weight of {number} is not plausible; weights run from 0 to {MAX_WEIGHT}.")
        else:
            cleaned[code] = str(number.quantize(Decimal("0.0001")))
    if problems:
        errors["weights"] = problems
    return cleaned


def _clean_enrollment(enrollment: dict, categories: dict[str, EnrollmentCategory], errors: dict) -> dict:
    codes = set(School.objects.filter(code__in=list(enrollment or {})).values_list("code", flat=True))
    cleaned, problems = {}, []
    for school_code, counts in (enrollment or {}).items():
        if school_code not in codes:
            problems.append(f"“{school_code}” is not a school code of the district.")
            continue
        for code, students in (counts or {}).items():
            if code not in categories:
                problems.append(f"{school_code}: “{code}” is not a category of the district's enrollment.")
                continue
            number = _decimal(students)
            if number is None or number != number.to_integral_value() or not (0 <= number <= MAX_STUDENTS):
                problems.append(f"{school_code}, {categories[code].name}: give a whole number of students, 0 or more.")
                continue
            cleaned.setdefault(school_code, {})[code] = int(number)
    if problems:
        errors["enrollment"] = problems
    return cleaned


def scenario_changes_clean(*, formula: FormulaVersion, changes: dict) -> dict:
    """The changes as stored, or a refusal naming each field that is wrong (nothing is saved)."""
    if not isinstance(changes, dict):
        raise ApplicationError("The changes must be a set of named parameters.", fields={"changes": ["Not readable."]})
    errors: dict[str, list[str]] = {}
    unknown = sorted(set(changes) - KNOWN_KEYS)
    if unknown:
        errors["changes"] = [f"“{key}” is not a parameter a scenario can change." for key in unknown]
    categories = {c.code: c for c in EnrollmentCategory.objects.all()}
    cleaned = _clean_money(changes, errors) | _clean_modes(changes, errors)
    if weights := _clean_weights(changes.get("weights") or {}, categories, errors):
        cleaned["weights"] = weights
    if enrollment := _clean_enrollment(changes.get("enrollment") or {}, categories, errors):
        cleaned["enrollment"] = enrollment
    if not errors:
        _check_complete(formula=formula, cleaned=cleaned, errors=errors)
    if errors:
        raise ApplicationError("The scenario was not saved: please check the parameters named.", fields=errors)
    return cleaned


def _check_complete(*, formula: FormulaVersion, cleaned: dict, errors: dict) -> None:
    """A mode needs its parameter: a pool to solve from, a base to use, a stop-loss or a percent."""
    value = lambda name: cleaned.get(name, getattr(formula, name))  # noqa: E731
    if value("base_mode") == BaseMode.POOL and value("pool") in (None, ""):
        errors["pool"] = ["A base solved from a pool needs the pool."]
    if value("base_mode") == BaseMode.ENTERED and value("base_per_pupil") in (None, ""):
        errors["base_per_pupil"] = ["An entered base needs the base per pupil."]
    if value("transition_mode") == TransitionMode.STOP_LOSS and value("stop_loss_share") in (None, ""):
        errors["stop_loss_share"] = ["A stop-loss needs the most a school may lose."]
    if value("transition_mode") == TransitionMode.PERCENT_OF_FORMULA and value("percent_of_formula") in (None, ""):
        errors["percent_of_formula"] = ["Percent of formula needs its percent."]


def scenario_spec_of(*, spec: engine.FormulaSpec, changes: dict, categories: dict) -> engine.FormulaSpec:
    """The formula's parameters with the scenario's changes. A weight the formula lacks takes the usual
    convention of its kind: a grade weight multiplies the base, a need weight adds to it."""
    updates: dict = {}
    for name in ("base_mode", "transition_mode"):
        if name in changes:
            updates[name] = changes[name]
    for name in (*MONEY_FIELDS, *SHARE_FIELDS):
        if name in changes:
            updates[name] = Decimal(changes[name])
    weights = dict(spec.weights)
    kinds, names = dict(spec.category_kinds), dict(spec.category_names)
    for code, value in changes.get("weights", {}).items():
        category = categories[code]
        grade = category.kind == CategoryKind.GRADE
        convention = (
            weights[code][0] if code in weights else (WeightConvention.MULTIPLIER if grade else WeightConvention.ADD_ON)
        )
        weights[code] = (convention, Decimal(value))
        kinds.setdefault(code, category.kind)
        names.setdefault(code, category.name)
    updates |= {"weights": weights, "category_kinds": kinds, "category_names": names}
    if updates.get("base_mode", spec.base_mode) == BaseMode.POOL:
        updates["base_per_pupil"] = None
    return dataclasses.replace(spec, **updates)


def scenario_counts_of(*, schools: list[engine.SchoolCounts], enrollment: dict, codes: dict[int, str]):
    """The snapshot's counts with the scenario's replaced; a school the snapshot lacks is not added."""
    if not enrollment:
        return schools
    return [
        dataclasses.replace(school, counts=school.counts | enrollment[codes[school.school_id]])
        if codes.get(school.school_id) in enrollment
        else school
        for school in schools
    ]


@dataclasses.dataclass(frozen=True)
class ScenarioRun:
    """Both computations over the same schools: the formula as it is and the formula as changed, each
    school's amounts without its lines."""

    published: engine.ComputedFormula
    scenario: engine.ComputedFormula
    published_counts: list[engine.SchoolCounts]
    scenario_counts: list[engine.SchoolCounts]
    schools: dict[int, tuple[str, str]]  # id → (code, name)


def scenario_run(*, formula: FormulaVersion, snapshot: EnrollmentSnapshot, changes: dict) -> ScenarioRun:
    """Compute both in memory: a fixed number of queries, whatever the number of schools. A scenario that
    leaves any school below zero is refused, naming the school."""
    spec = formula_spec_of(formula)
    categories = {c.code: c for c in EnrollmentCategory.objects.all()}
    counts = school_counts_of(snapshot=snapshot, previous=previous_finals_of(school_year=formula.school_year))
    schools = {
        pk: (code, name)
        for pk, code, name in School.objects.filter(pk__in=[c.school_id for c in counts]).values_list(
            "pk", "code", "name"
        )
    }
    changed_counts = scenario_counts_of(
        schools=counts, enrollment=changes.get("enrollment", {}), codes={pk: v[0] for pk, v in schools.items()}
    )
    # A comparison reads each school's amounts, never its lines: neither side builds them.
    published = engine.formula_compute(spec=spec, schools=counts, lines=False)
    changed_spec = scenario_spec_of(spec=spec, changes=changes, categories=categories)
    try:
        scenario = engine.formula_compute(spec=changed_spec, schools=changed_counts, lines=False)
    except ApplicationError as error:
        if "school" not in error.fields:
            raise
        # The engine names the school by its id; a person knows it by its name and code.
        found = NEGATIVE_SCHOOL.search(error.message)
        school = schools.get(int(found.group(1))) if found else None
        if school is None:
            raise
        message = f"This scenario would leave {school[1]} ({school[0]}) with a negative allocation."
        raise ApplicationError(message, fields={"school": [message]}) from error
    return ScenarioRun(published, scenario, counts, changed_counts, schools)


# --- create, edit, adopt -------------------------------------------------------------------------------


def _check_text(*, name: str, notes: str) -> None:
    errors = {}
    if not name.strip():
        errors["name"] = ["Give the scenario a name."]
    elif len(name) > SHORT_TEXT:
        errors["name"] = [f"A name has at most {SHORT_TEXT} characters."]
    if len(notes) > NOTE_TEXT:
        errors["notes"] = [f"Notes have at most {NOTE_TEXT:,} characters."]
    if errors:
        raise ApplicationError("The scenario was not saved: please check the fields named.", fields=errors)


def _check_snapshot(*, formula: FormulaVersion, snapshot: EnrollmentSnapshot) -> None:
    if snapshot.school_year_id != formula.school_year_id:
        raise ApplicationError(
            "The enrollment must be of the formula's school year.",
            fields={"snapshot": [f"Choose an enrollment of {formula.school_year.label}."]},
        )


def _scenario_checked(
    *,
    actor: AbstractBaseUser,
    name: str,
    formula: FormulaVersion,
    snapshot: EnrollmentSnapshot,
    changes: dict,
    notes: str,
) -> dict:
    """Everything a saved scenario must pass, creating or editing alike: the changes as stored, after a trial
    run (a scenario that would leave a school below zero is never saved)."""
    require(can_manage_budgeting(actor))
    _check_text(name=name, notes=notes)
    _check_snapshot(formula=formula, snapshot=snapshot)
    cleaned = scenario_changes_clean(formula=formula, changes=changes)
    scenario_run(formula=formula, snapshot=snapshot, changes=cleaned)
    return cleaned


def scenario_create(
    *,
    actor: AbstractBaseUser,
    name: str,
    formula: FormulaVersion,
    snapshot: EnrollmentSnapshot,
    changes: dict,
    notes: str = "",
) -> Scenario:
    cleaned = _scenario_checked(
        actor=actor, name=name, formula=formula, snapshot=snapshot, changes=changes, notes=notes
    )
    return Scenario.objects.create(
        name=name.strip(), formula=formula, snapshot=snapshot, changes=cleaned, notes=notes, created_by=actor
    )


def scenario_update(
    *,
    actor: AbstractBaseUser,
    scenario: Scenario,
    name: str,
    formula: FormulaVersion,
    snapshot: EnrollmentSnapshot,
    changes: dict,
    notes: str = "",
) -> Scenario:
    """Only a draft changes; adopted or discarded, a scenario is a record of what was decided."""
    cleaned = _scenario_checked(
        actor=actor, name=name, formula=formula, snapshot=snapshot, changes=changes, notes=notes
    )
    with transaction.atomic():
        locked = Scenario.objects.select_for_update().get(pk=scenario.pk)
        if locked.status != ScenarioStatus.DRAFT:
            raise Conflict(f"This scenario is {locked.get_status_display().lower()}: it no longer changes.")
        locked.name, locked.formula, locked.snapshot = name.strip(), formula, snapshot
        locked.changes, locked.notes = cleaned, notes
        locked.save()
    return locked


def scenario_adopt(*, actor: AbstractBaseUser, scenario: Scenario) -> FormulaVersion:
    """The scenario's parameters become the next draft version of its formula's year (the draft is checked
    and published through the formula pages). Enrollment changes are not formula parameters: not carried."""
    require(can_manage_budgeting(actor))
    with transaction.atomic():
        locked = Scenario.objects.select_for_update().select_related("formula__school_year").get(pk=scenario.pk)
        if locked.status != ScenarioStatus.DRAFT:
            raise Conflict(f"This scenario is already {locked.get_status_display().lower()}.")
        cleaned = scenario_changes_clean(formula=locked.formula, changes=locked.changes)
        scenario_run(formula=locked.formula, snapshot=locked.snapshot, changes=cleaned)
        draft = formula_draft_from(
            actor=actor,
            formula=locked.formula,
            changes=cleaned,
            name=f"Adopted from the scenario “{locked.name}”"[:200],
        )
        locked.status, locked.adopted_as = ScenarioStatus.ADOPTED, draft
        locked.save(update_fields=["status", "adopted_as", "updated_at"])
    return draft
