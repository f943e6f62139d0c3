"""A liaison's caseload page: their schools with open flags and deadlines, the last contact and the next step
agreed, and their time with principals against the district's target.

The flags live in accountability and the log in support, which may not import accountability; the project
package sits above both, so the page that shows them side by side is drawn here. The liaison sees their
own caseload; central office sees anyone's; anyone else is answered 404. The liaison sees and acknowledges
flags; deciding and escalating stay with the autonomy office.
"""

import datetime
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AbstractBaseUser
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from core.errors import NotFound
from schools.models import School
from sgs_portal.home import CaseFlag, caseload_flags, caseload_for_liaison
from support.policies.caseloads import can_manage_caseloads, can_view_caseload
from support.selectors.caseloads import LiaisonLoad, liaison_get_for_user, liaison_load


@dataclass(frozen=True)
class LiaisonCaseload:
    liaison: AbstractBaseUser
    load: LiaisonLoad
    schools: list[School]
    flags: list[CaseFlag]
    today: datetime.date

    @property
    def steps_due(self) -> list[School]:
        """Schools whose agreed next step has a date, the soonest first."""
        return sorted((s for s in self.schools if s.next_step_due), key=lambda s: s.next_step_due)


def liaison_caseload(*, user: AbstractBaseUser, liaison: AbstractBaseUser, today: datetime.date) -> LiaisonCaseload:
    """Five queries for a caseload of any size: the policy, the year, the liaison's load, the schools with
    their flags and log summary, and the flags."""
    return LiaisonCaseload(
        liaison=liaison,
        load=liaison_load(liaison=liaison, today=today),
        schools=list(caseload_for_liaison(user=user, liaison=liaison)),
        flags=caseload_flags(user=user, today=today, liaison=liaison),
        today=today,
    )


@require_safe
@login_required
def liaison_caseload_view(request, liaison_id: int):
    try:
        liaison = liaison_get_for_user(user=request.user, pk=liaison_id)
    except NotFound:
        raise Http404("No such caseload.") from None
    if not can_view_caseload(request.user, liaison):
        raise Http404("No such caseload.")
    context = {
        "caseload": liaison_caseload(user=request.user, liaison=liaison, today=timezone.localdate()),
        "is_self": liaison.pk == request.user.pk,
        "can_manage": bool(can_manage_caseloads(request.user)),
    }
    return render(request, "caseload_liaison.html", context)
