"""The support categories the autonomy office sets: what schools may ask for, which department answers, and
its service deadline in business days. A category in use is never deleted (its requests keep it): it is
retired (inactive), and schools no longer see it when they ask for help."""

import re

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction

from core.errors import ApplicationError, NotFound
from core.limits import SHORT_TEXT
from core.policies import require
from core.workflows import required_text
from support.models import Department, SupportCategory
from support.policies.requests import can_manage_support_categories

DEADLINE_MIN, DEADLINE_MAX = 1, 60


def _checked(*, name: str, department: str, deadline_business_days) -> dict:
    name = required_text(name, field="name", message="Name the category.", max_length=SHORT_TEXT)
    if department not in Department.values:
        raise ApplicationError("Choose the department that answers.", fields={"department": ["Choose a department."]})
    days = deadline_business_days
    if isinstance(days, bool) or not isinstance(days, int) or not DEADLINE_MIN <= days <= DEADLINE_MAX:
        raise ApplicationError(
            "The deadline is a number of business days.",
            fields={
                "deadline_business_days": [
                    f"Give a whole number of business days from {DEADLINE_MIN} to {DEADLINE_MAX}."
                ]
            },
        )
    return {"name": name, "department": department, "deadline_business_days": days}


def support_category_create(
    *, actor: AbstractBaseUser, code: str, name: str, department: str, deadline_business_days: int
) -> SupportCategory:
    require(can_manage_support_categories(actor))
    code = required_text(code, field="code", message="Give the category a short code.", max_length=40)
    if not re.fullmatch(r"[a-z0-9][a-z0-9_-]*", code):
        raise ApplicationError(
            "The code is lower-case letters, digits and dashes.",
            fields={"code": ["Use lower-case letters, digits, dashes or underscores, such as facilities-repair."]},
        )
    values = _checked(name=name, department=department, deadline_business_days=deadline_business_days)
    if SupportCategory.objects.filter(code=code).exists():
        raise ApplicationError("That code is taken.", fields={"code": [f"A category with the code {code} exists."]})
    try:
        with transaction.atomic():
            return SupportCategory.objects.create(code=code, **values)
    except IntegrityError:  # two people adding the same code at once
        raise ApplicationError(
            "That code is taken.", fields={"code": [f"A category with the code {code} exists."]}
        ) from None


def support_category_update(
    *,
    actor: AbstractBaseUser,
    category_id: int,
    name: str,
    department: str,
    deadline_business_days: int,
    active: bool,
) -> SupportCategory:
    """Change a category: requests already made keep the department and due date they were given."""
    require(can_manage_support_categories(actor))
    values = _checked(name=name, department=department, deadline_business_days=deadline_business_days)
    with transaction.atomic():
        category = SupportCategory.objects.select_for_update().filter(pk=category_id).first()
        if category is None:
            raise NotFound("No such support category.")
        for field, value in {**values, "active": bool(active)}.items():
            setattr(category, field, value)
        category.save()
    return category
