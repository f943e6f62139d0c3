"""A school opts out of a central service for a school year, as its network's agreement allows (Denver's
first innovation zone learned such choices must be written down), and may take the choice back.

Taking it back deletes the row rather than ending it. An opt-out is the school's standing choice for one
year, not a case with steps: while it stands the department does not serve the school in that function,
and once taken back the department serves it as any other school. The table holds one row per school,
year and department, so an ended row kept beside it would stop the school opting out again that year,
and it has no end date a page could show truthfully. Who recorded the choice stays on the row while it
stands.
"""

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from core.errors import ApplicationError, NotFound
from core.limits import NOTE_TEXT
from core.policies import require
from core.workflows import limited_text
from schools.models import School, SchoolYear
from support.models import Department, OptOutAllowance, ServiceOptOut
from support.policies.networks import can_record_opt_out
from support.selectors.networks import school_network_for_year


def _refuse(field: str, message: str) -> None:
    raise ApplicationError(message, fields={field: [message]})


def service_opt_out_record(
    *, actor: AbstractBaseUser, school: School, school_year: SchoolYear, department: str, reason: str = ""
) -> ServiceOptOut:
    """The principal records that the school runs or buys a department's service itself this year."""
    require(can_record_opt_out(actor, school))
    reason = limited_text(reason, field="reason", max_length=NOTE_TEXT)
    if department not in Department.values:
        _refuse("department", gettext("Choose a service from the list."))
    if school_year is None:
        _refuse("school_year", gettext("Choose the school year."))
    if school_year.end_date < timezone.localdate():
        _refuse(
            "school_year",
            gettext("%(year)s has ended: an opt-out is for this year or a later one.") % {"year": school_year.label},
        )
    label = Department(department).label
    network = school_network_for_year(school=school, school_year=school_year)
    if network is None:
        _refuse(
            "department",
            gettext("%(school)s is in no network for %(year)s, so it may not opt out of %(service)s.")
            % {"school": school.name, "year": school_year.label, "service": label},
        )
    if not OptOutAllowance.objects.filter(network=network, department=department).exists():
        _refuse(
            "department",
            gettext("%(network)s's agreement does not let its schools opt out of %(service)s.")
            % {"network": network.name, "service": label},
        )
    try:
        with transaction.atomic():
            return ServiceOptOut.objects.create(
                school=school,
                school_year=school_year,
                department=department,
                network=network,
                reason=reason,
                recorded_by=actor,
            )
    except IntegrityError:
        _refuse(
            "department",
            gettext("%(school)s has already opted out of %(service)s for %(year)s.")
            % {"school": school.name, "service": label, "year": school_year.label},
        )


def service_opt_out_withdraw(*, actor: AbstractBaseUser, opt_out_id: int, school: School) -> None:
    """The principal takes the choice back: the department serves the school again (see the module's note)."""
    require(can_record_opt_out(actor, school))
    deleted, _ = ServiceOptOut.objects.filter(pk=opt_out_id, school=school).delete()
    if not deleted:
        raise NotFound("No such opt-out.")
