"""The roster mapping: what each OneRoster role becomes in the portal. The autonomy office sets it on the
import page; every write of it is here."""

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from core.errors import ApplicationError
from core.policies import require
from schools.policies import autonomy_office
from schools.roster.models import PortalRole, RosterRoleMapping

# The roles of OneRoster 1.1 and 1.2, the ones a page offers to map. "" means not mapped: refused.
ONEROSTER_ROLES = (
    "administrator",
    "principal",
    "siteAdministrator",
    "districtAdministrator",
    "systemAdministrator",
    "teacher",
    "aide",
    "counselor",
    "proctor",
    "student",
    "guardian",
    "parent",
    "relative",
)
NOT_MAPPED = ""


def roster_mapping_read() -> dict[str, str]:
    """Every known role with its portal role ("" when not mapped), then any other role the office mapped."""
    mapped = dict(RosterRoleMapping.objects.values_list("oneroster_role", "portal_role"))
    return {role: mapped.pop(role, NOT_MAPPED) for role in ONEROSTER_ROLES} | mapped


def roster_mapping_set(*, actor: AbstractBaseUser, mapping: dict[str, str]) -> None:
    """Replace the mapping of the roles named; a role set to "" is no longer mapped (a file with it is refused)."""
    require(autonomy_office(actor, "Only the autonomy office sets the roster mapping."))
    allowed = {*PortalRole.values, NOT_MAPPED}
    bad = sorted(role for role, value in mapping.items() if value not in allowed)
    if bad:
        raise ApplicationError(
            "Choose what each role becomes.", fields={role: ["Choose from the list."] for role in bad}
        )
    with transaction.atomic():
        unmapped = [role for role, value in mapping.items() if value == NOT_MAPPED]
        RosterRoleMapping.objects.filter(oneroster_role__in=unmapped).delete()
        for role, value in mapping.items():
            if value != NOT_MAPPED:
                RosterRoleMapping.objects.update_or_create(oneroster_role=role, defaults={"portal_role": value})
