"""Formula versions: a new draft (empty, or a copy of any version with every part), the engine's reading of a
version's rows, and publishing, which supersedes the year's version in force in the same transaction.

The steps go through the transition kernel (core.workflows) with budgeting.workflows.FORMULA_WORKFLOW;
changing the parts of a draft is in budgeting.services.formula_edits. A published version never changes:
every service that writes a part takes the kernel's "edit" step, which is open only from draft.
"""

from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import Count, Max
from django.utils import timezone

from budgeting import formula_words as words
from budgeting.models import (
    BaseMode,
    ConcentrationCurve,
    EnrollmentCategory,
    FormulaStatus,
    FormulaVersion,
    Foundation,
    SmallSchoolThreshold,
    TransitionMode,
    Weight,
)
from budgeting.policies import can_manage_budgeting
from budgeting.services.engine import FormulaSpec
from budgeting.workflows import FORMULA_WORKFLOW
from core.errors import ApplicationError, Conflict, NotFound
from core.limits import NOTE_TEXT, SHORT_TEXT
from core.policies import Decision, require
from core.workflows import Actor, Steps, limited_text, raise_conflict
from schools.models import School, SchoolYear

PARAMETERS = (
    "base_mode",
    "base_per_pupil",
    "pool",
    "small_school_rate",
    "small_school_cap_share",
    "transition_mode",
    "stop_loss_share",
    "gain_cap_share",
    "percent_of_formula",
)


def formula_acts_as(user: AbstractBaseUser, formula: FormulaVersion, who: Actor) -> Decision:
    """The kernel's question for the formula: every step is finance's (a rule's step too: superseding)."""
    return can_manage_budgeting(user)


FORMULA_STEPS = Steps(FORMULA_WORKFLOW, formula_acts_as, related=("school_year",))
formula_lock = FORMULA_STEPS.lock


def formula_draft_create(
    *,
    actor: AbstractBaseUser,
    school_year: SchoolYear,
    copy_from: FormulaVersion | None = None,
    name: str = "",
    notes: str = "",
) -> FormulaVersion:
    """The year's next version, as a draft: empty (an entered base, no transition), or a copy of every part
    of `copy_from` (of this year or an earlier one). The year's row is locked so two drafts never share a
    number."""
    require(can_manage_budgeting(actor))
    name = limited_text(name, field="name", max_length=SHORT_TEXT)
    notes = limited_text(notes, field="notes", max_length=NOTE_TEXT)
    with transaction.atomic():
        SchoolYear.objects.select_for_update().get(pk=school_year.pk)
        last = FormulaVersion.objects.filter(school_year=school_year).aggregate(last=Max("number"))["last"]
        formula = FormulaVersion(
            school_year=school_year, number=(last or 0) + 1, name=name, notes=notes, created_by=actor
        )
        if copy_from is not None:
            for field in PARAMETERS:
                setattr(formula, field, getattr(copy_from, field))
            formula.name = name or copy_from.name
            formula.notes = notes or copy_from.notes
        formula.save()
        if copy_from is not None:
            _copy_parts(source=copy_from, target=formula)
        copied = f" from version {copy_from.number} of {copy_from.school_year.label}" if copy_from else ""
        FORMULA_STEPS.created(
            formula,
            actor=actor,
            action="create",
            reason=f"Draft created{copied}.",
            evidence={"copied_from": copy_from.pk} if copy_from else {},
        ).save()
    return formula


def _copy_parts(*, source: FormulaVersion, target: FormulaVersion) -> None:
    Foundation.objects.bulk_create(
        Foundation(formula=target, grade_band=row.grade_band, amount=row.amount) for row in source.foundations.all()
    )
    Weight.objects.bulk_create(
        Weight(formula=target, category_id=row.category_id, convention=row.convention, value=row.value)
        for row in source.weights.all()
    )
    ConcentrationCurve.objects.bulk_create(
        ConcentrationCurve(
            formula=target,
            category_id=row.category_id,
            start_share=row.start_share,
            full_share=row.full_share,
            max_weight=row.max_weight,
        )
        for row in source.concentration_curves.all()
    )
    SmallSchoolThreshold.objects.bulk_create(
        SmallSchoolThreshold(formula=target, grade_band=row.grade_band, threshold=row.threshold)
        for row in source.small_school_thresholds.all()
    )


def formula_spec_of(formula: FormulaVersion) -> FormulaSpec:
    """The engine's reading of a version: five queries, however many parts it has."""
    categories = list(EnrollmentCategory.objects.all())
    return FormulaSpec(
        base_mode=formula.base_mode,
        base_per_pupil=formula.base_per_pupil,
        pool=formula.pool,
        foundations={row.grade_band: row.amount for row in Foundation.objects.filter(formula=formula)},
        weights={
            row.category.code: (row.convention, row.value)
            for row in Weight.objects.filter(formula=formula).select_related("category")
        },
        category_kinds={category.code: category.kind for category in categories},
        category_names={category.code: category.name for category in categories},
        concentration={
            row.category.code: (row.start_share, row.full_share, row.max_weight)
            for row in ConcentrationCurve.objects.filter(formula=formula)
            .select_related("category")
            .order_by("category__display_order", "category__code")
        },
        small_school_rate=formula.small_school_rate,
        small_school_cap_share=formula.small_school_cap_share,
        small_school_thresholds={
            row.grade_band: row.threshold for row in SmallSchoolThreshold.objects.filter(formula=formula)
        },
        transition_mode=formula.transition_mode,
        stop_loss_share=formula.stop_loss_share,
        gain_cap_share=formula.gain_cap_share,
        percent_of_formula=formula.percent_of_formula,
    )


# --- What a version needs before it can be published -------------------------------------------------


def foundations_of_district(foundations: dict[str, Decimal]) -> Decimal:
    """What the foundations cost for the district's schools today: each school gets its type's amount."""
    in_band = School.objects.order_by().values("grade_band").annotate(n=Count("pk")).values_list("grade_band", "n")
    return sum((foundations.get(band, Decimal(0)) * n for band, n in in_band), Decimal(0))


def pool_shortfall(*, pool: Decimal | None, foundations: dict[str, Decimal]) -> str:
    """ "" when the pool covers the foundations of the district's schools, else a sentence saying so."""
    needed = foundations_of_district(foundations)
    if pool is not None and pool <= needed:
        return (
            f"The pool ({words.money(pool)}) does not cover the foundations of the district's schools "
            f"({words.money(needed)}): raise the pool or lower the foundations."
        )
    return ""


def check_publishable(formula: FormulaVersion) -> None:
    """Every part a computation needs: a base or a pool that covers the foundations, at least one weight, and
    the transition rule's figures. Refuses naming each missing field."""
    errors: dict[str, list[str]] = {}
    if formula.base_mode == BaseMode.ENTERED and not formula.base_per_pupil:
        errors["base_per_pupil"] = ["Enter the base per pupil, or solve it from a pool."]
    if formula.base_mode == BaseMode.POOL:
        if not formula.pool:
            errors["pool"] = ["Enter the pool to solve the base from."]
        elif shortfall := pool_shortfall(
            pool=formula.pool, foundations={row.grade_band: row.amount for row in formula.foundations.all()}
        ):
            errors["pool"] = [shortfall]
    if not formula.weights.exists():
        errors["weights"] = ["Give at least one weight."]
    if formula.transition_mode == TransitionMode.STOP_LOSS and formula.stop_loss_share is None:
        errors["stop_loss_share"] = ["A stop-loss needs the most a school may lose."]
    if formula.transition_mode == TransitionMode.PERCENT_OF_FORMULA and formula.percent_of_formula is None:
        errors["percent_of_formula"] = ["Percent of formula needs its percent."]
    if errors:
        raise ApplicationError("This version is not complete yet: nothing was published.", fields=errors)


def formula_publish(
    *,
    actor: AbstractBaseUser,
    formula_id: int,
    supersedes_id: int | None,
    expected_status: str | None = None,
) -> FormulaVersion:
    """Publish a draft and supersede the year's version in force, in one transaction.

    `supersedes_id` is the version the person was told would be superseded (None: none was in force). The
    year's row is locked first, so of two people publishing two drafts of one year at once exactly one
    wins: the other finds a version in force they were not told about and gets a Conflict. The unique
    constraint (one published version per year) holds even for a writer that skips the lock.
    """
    year_id = FormulaVersion.objects.filter(pk=formula_id).values_list("school_year_id", flat=True).first()
    if year_id is None:
        raise NotFound("No such formula version.")
    try:
        with transaction.atomic():
            SchoolYear.objects.select_for_update().get(pk=year_id)
            formula = formula_lock(formula_id)
            FORMULA_STEPS.check(formula, actor=actor, action="publish", expected_status=expected_status)
            check_publishable(formula)
            current = (
                FormulaVersion.objects.select_for_update()
                .filter(school_year_id=year_id, status=FormulaStatus.PUBLISHED)
                .first()
            )
            if (current.pk if current else None) != supersedes_id:
                raise_conflict(_published_first(current, formula))
            if current is not None:
                FORMULA_STEPS.take(
                    current,
                    actor=actor,
                    action="supersede",
                    reason=f"Replaced by version {formula.number}.",
                    evidence={"replaced_by": formula.pk},
                )
            formula.published_at = timezone.now()
            FORMULA_STEPS.take(
                formula,
                actor=actor,
                action="publish",
                reason=f"Published, replacing version {current.number}." if current else "Published.",
                evidence={"supersedes": current.pk if current else None},
                fields=["published_at"],
            )
    except IntegrityError:
        raise Conflict(
            "Another version of this year was published at the same moment. Reload the page to see it."
        ) from None
    return formula


def _published_first(current: FormulaVersion | None, formula: FormulaVersion) -> str:
    if current is None:
        return "The version you were told would be replaced is no longer in force. Reload the page and decide again."
    return (
        f"Version {current.number} of {formula.school_year.label} is in force now (somebody published it first). "
        "Reload the page to see what publishing would replace."
    )
