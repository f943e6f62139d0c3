"""Who is a school's liaison: the one write of `School.liaison`, so every app that moves a school between
caseloads (support's caseload pages, the demo) goes through the same check."""

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from core.errors import ApplicationError
from schools.models import Membership, Role, School


def school_liaison_set(*, school: School, liaison: AbstractBaseUser | None) -> School:
    """Make `liaison` the school's liaison (None: the school has none for now).

    The person must hold the liaison role: a school's liaison is a district role, not whoever happens to be
    picked. Who may move schools between caseloads is the caller's policy (support.policies.caseloads);
    this function holds only what a school's row must always satisfy. It locks the school's row, so two
    assignments of the same school at once are applied one after the other.
    """
    if liaison is not None and not Membership.objects.filter(user=liaison, role=Role.LIAISON).exists():
        raise ApplicationError(
            f"{liaison.get_full_name() or liaison.get_username()} is not a liaison.",
            fields={"liaison": ["Choose a person who holds the liaison role."]},
        )
    with transaction.atomic():
        locked = School.objects.select_for_update().get(pk=school.pk)
        locked.liaison = liaison
        locked.updated_at = timezone.now()
        locked.save(update_fields=["liaison", "updated_at"])
    school.liaison, school.updated_at = locked.liaison, locked.updated_at
    return locked
