"""The autonomy office's side of the caseloads: who is each school's liaison, and the district's caseload
limit, working week and target share of time with principals.

Assigning a school to a liaison already at the limit is allowed (a district short of liaisons must still
give every school one) but never silent: the answer says the liaison is over the limit, and the pages say
so wherever that liaison is listed.
"""

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from core.errors import ApplicationError
from core.policies import require
from schools.models import School
from schools.services.liaisons import school_liaison_set
from support.models import ServicePolicy
from support.policies.caseloads import can_manage_caseloads
from support.selectors.service_policy import service_policy_current

# The bounds the model's validators hold each setting to, with the words a refusal says.
POLICY_BOUNDS = {
    "caseload_limit": (1, 100, "schools"),
    "liaison_hours_per_week": (1, 80, "hours a week"),
    "principal_time_target_percent": (1, 100, "percent"),
}


@dataclass(frozen=True)
class Assignment:
    """What an assignment did: the school, its liaison now, and the liaison's caseload against the limit."""

    school: School
    liaison: AbstractBaseUser | None
    caseload: int
    limit: int

    @property
    def over_limit(self) -> bool:
        return self.liaison is not None and self.caseload > self.limit

    @property
    def warning(self) -> str:
        if not self.over_limit:
            return ""
        name = self.liaison.get_full_name() or self.liaison.get_username()
        return (
            f"{name} now holds {self.caseload} schools, over the district's limit of {self.limit}: "
            "consider moving a school to another liaison."
        )


def school_liaison_assign(*, actor: AbstractBaseUser, school: School, liaison: AbstractBaseUser | None) -> Assignment:
    """Give the school a liaison (or none): the autonomy office's; the person must hold the liaison role
    (schools.services.liaisons). Over the limit is allowed and said in the answer's `warning`."""
    require(can_manage_caseloads(actor))
    with transaction.atomic():
        school_liaison_set(school=school, liaison=liaison)
        caseload = School.objects.filter(liaison=liaison).count() if liaison is not None else 0
    return Assignment(school=school, liaison=liaison, caseload=caseload, limit=service_policy_current().caseload_limit)


def service_policy_caseloads_update(
    *,
    actor: AbstractBaseUser,
    caseload_limit: int,
    liaison_hours_per_week: int,
    principal_time_target_percent: int,
) -> ServicePolicy:
    """Set the caseload limit, the liaison's working week and the target share of time with principals;
    each value out of bounds is refused naming its field, and nothing is saved."""
    require(can_manage_caseloads(actor))
    values = {
        "caseload_limit": caseload_limit,
        "liaison_hours_per_week": liaison_hours_per_week,
        "principal_time_target_percent": principal_time_target_percent,
    }
    errors = {}
    for field, value in values.items():
        low, high, unit = POLICY_BOUNDS[field]
        if isinstance(value, bool) or not isinstance(value, int):
            errors[field] = ["Enter a whole number."]
        elif not low <= value <= high:
            errors[field] = [f"Enter between {low} and {high} {unit}."]
    if errors:
        raise ApplicationError("The settings were not saved: check the fields named.", fields=errors)
    with transaction.atomic():
        policy, _ = ServicePolicy.objects.select_for_update().get_or_create(key=1)
        for field, value in values.items():
            setattr(policy, field, value)
        policy.save(update_fields=[*values, "updated_at"])
    return policy
