"""A district's enrollment categories, a finance officer and a draft formula, built through the formula
services as finance would build them on the pages."""

import datetime
from decimal import Decimal as D

from budgeting.models import CategoryKind, EnrollmentCategory, WeightConvention
from budgeting.services.formula import formula_draft_create
from budgeting.services.formula_edits import (
    formula_base_update,
    formula_concentration_update,
    formula_foundations_update,
    formula_small_school_update,
    formula_transition_update,
    formula_weights_update,
)
from schools.models import ReviewFunction, Role
from tests.factories import MembershipFactory, SchoolYearFactory, UserFactory

M, A = WeightConvention.MULTIPLIER, WeightConvention.ADD_ON


def categories() -> dict[str, EnrollmentCategory]:
    made = {}
    for order, (code, name, kind) in enumerate(
        [
            ("k5", "Grades K-5", CategoryKind.GRADE),
            ("g68", "Grades 6-8", CategoryKind.GRADE),
            ("g912", "Grades 9-12", CategoryKind.GRADE),
            ("poverty", "Students in poverty", CategoryKind.NEED),
            ("ell", "English learners", CategoryKind.NEED),
        ]
    ):
        made[code], _ = EnrollmentCategory.objects.get_or_create(
            code=code, defaults={"name": name, "kind": kind, "display_order": order}
        )
    return made


def school_year(label: str = "2026-27"):
    start = int(label[:4])
    return SchoolYearFactory(
        label=label,
        start_date=datetime.date(start, 7, 1),
        end_date=datetime.date(start + 1, 6, 30),
        first_day=datetime.date(start, 8, 17),
    )


def finance_officer():
    user = UserFactory()
    MembershipFactory(user=user, role=Role.REVIEWER, function=ReviewFunction.FINANCE)
    return user


def nyc_draft(actor, year=None):
    """NYC Fair Student Funding FY2019's shape: grade multipliers, a poverty add-on, a concentration curve,
    a small-school rule and a 5 % stop-loss."""
    categories()
    formula = formula_draft_create(actor=actor, school_year=year or school_year(), name="Fair student funding")
    formula_base_update(actor=actor, formula_id=formula.pk, base_mode="entered", base_per_pupil=D("4084.80"), pool=None)
    formula_foundations_update(
        actor=actor, formula_id=formula.pk, foundations={"elementary": D("250000"), "middle": D("300000")}
    )
    formula_weights_update(
        actor=actor,
        formula_id=formula.pk,
        weights={"k5": (M, D("1.00")), "g68": (M, D("1.08")), "g912": (M, D("1.03")), "poverty": (A, D("0.12"))},
    )
    formula_concentration_update(
        actor=actor, formula_id=formula.pk, curves={"poverty": (D("0.40"), D("0.80"), D("0.10"))}
    )
    formula_small_school_update(
        actor=actor, formula_id=formula.pk, rate=D("1000"), cap_share=D("0.05"), thresholds={"elementary": 400}
    )
    formula_transition_update(
        actor=actor, formula_id=formula.pk, mode="stop_loss", stop_loss_share=D("0.05"), gain_cap_share=None
    )
    formula.refresh_from_db()
    return formula
