"""The demo's caseloads, told through support's services: the autonomy office moves schools so that the
first liaison holds exactly the district's limit (12 in a 40-school district) and the second two more than
it (14), the others share the rest, and one school is left without a liaison; then the first liaison's
partnership log since the start of the school year — visits, coaching sessions, meetings and calls, tagged
with the district's focus areas, the latest contacts with next steps, some due in the coming days.

A district too small for one liaison at and one over the limit keeps the builder's caseloads; only its last
school is left without a liaison. Schools move as few as possible: each liaison keeps the first of their
schools, so the first liaison keeps every school the other scenes gave them.
"""

import datetime
import random

from django.utils import timezone

from demo.services.builder import DistrictBuilder
from schools.models import Membership, Role, School
from support.models import ContactKind, FocusArea
from support.selectors.caseloads import service_policy_current
from support.services.caseloads import school_liaison_assign
from support.services.partnership import Contact, partnership_entry_create

NOTES = {
    ContactKind.VISIT: [
        "Walked classrooms together and looked at student work against the unit's goals.",
        "Observed two grade-level planning meetings; talked through what the principal noticed.",
        "Visited the new intervention block; the schedule works, grouping is still loose.",
    ],
    ContactKind.COACHING: [
        "Practised the feedback conversation the principal will have with a new teacher.",
        "Worked through the interim data: which students moved, which did not, and why.",
        "Planned the next cycle of classroom observations and how to share what comes of them.",
    ],
    ContactKind.MEETING: [
        "Met with the leadership team about the spring staffing plan.",
        "Joined the school's data meeting with the assistant principals.",
    ],
    ContactKind.CALL: [
        "Checked in on the family engagement night and the attendance follow-up.",
        "Call about a support request to operations that is past its deadline.",
    ],
}
NEXT_STEPS = [
    "Principal shares the observation schedule with teachers; liaison sends two model feedback notes.",
    "Principal drafts the re-teaching plan for grade 4 math; liaison reviews it before the team meeting.",
    "Liaison follows up with operations on the open request; principal confirms the new bus times.",
    "Principal picks three classrooms for the next walk-through; liaison brings the look-for list.",
]


def caseloads_scene(district: DistrictBuilder, *, rng: random.Random) -> None:
    """After the budget scene: caseloads at and over the limit, one school without a liaison, and the first
    liaison's partnership log."""
    admin = district.staff["admin"]
    liaisons = _liaisons()
    _move_schools(admin=admin, schools=district.schools, liaisons=liaisons)
    if liaisons:
        _partnership_log(district, liaison=liaisons[0], rng=rng)


def _liaisons() -> list:
    memberships = Membership.objects.filter(role=Role.LIAISON, school__isnull=True).select_related("user")
    return [membership.user for membership in memberships.order_by("user_id")]


def _targets(*, school_count: int, liaison_count: int, limit: int) -> list[int] | None:
    """How many schools each liaison holds, leaving one school without a liaison; None when the district
    cannot have one liaison at the limit and one over it with something left for the others."""
    rest = school_count - 1 - (2 * limit + 2)
    others = liaison_count - 2
    if others < 1 or rest < 0:
        return None
    share, extra = divmod(rest, others)
    return [limit, limit + 2] + [share + (1 if i < extra else 0) for i in range(others)]


def _move_schools(*, admin, schools: list[School], liaisons: list) -> None:
    schools = sorted(schools, key=lambda school: school.code)
    targets = _targets(
        school_count=len(schools), liaison_count=len(liaisons), limit=service_policy_current().caseload_limit
    )
    if targets is None:
        school_liaison_assign(actor=admin, school=schools[-1], liaison=None)
        return
    held = {liaison.pk: [s for s in schools if s.liaison_id == liaison.pk] for liaison in liaisons}
    freed = [s for s in schools if s.liaison_id not in held]
    for liaison, target in zip(liaisons, targets, strict=True):
        freed += held[liaison.pk][target:]  # each keeps the first of their schools
    freed.sort(key=lambda school: school.code)
    school_liaison_assign(actor=admin, school=freed.pop(), liaison=None)
    for liaison, target in zip(liaisons, targets, strict=True):
        for _ in range(target - len(held[liaison.pk])):
            school_liaison_assign(actor=admin, school=freed.pop(0), liaison=liaison)


def _partnership_log(district: DistrictBuilder, *, liaison, rng: random.Random) -> None:
    """A contact with each school every two weeks or so since the year began, the oldest first; the two
    latest at each school agreed next steps, the latest due within the coming days."""
    today = timezone.localdate()
    year_start = district.years[-1].start_date
    areas = list(FocusArea.objects.order_by("number"))
    instructional = [area for area in areas if area.instructional]
    services = [area for area in areas if area.number == 5]  # a call is about central office's services
    schools = School.objects.filter(liaison=liaison).order_by("code")
    for index, school in enumerate(schools):
        days = [3 + index % 6 + 14 * k for k in range(40)]
        dates = sorted(
            today - datetime.timedelta(days=d) for d in days if today - datetime.timedelta(days=d) >= year_start
        )
        for number, on in enumerate(dates):
            latest = len(dates) - number  # 1: the latest contact at the school
            kind = rng.choice(
                [ContactKind.VISIT, ContactKind.VISIT, ContactKind.COACHING, ContactKind.MEETING, ContactKind.CALL]
            )
            focus = rng.sample(instructional, 2) if kind != ContactKind.CALL else services
            steps = rng.choice(NEXT_STEPS) if latest <= 2 else ""
            due = today + datetime.timedelta(days=1 + (index % 5)) if latest == 1 else None
            if latest == 2:
                due = on + datetime.timedelta(days=14)
            partnership_entry_create(
                actor=liaison,
                school=school,
                contact=Contact(
                    kind=kind,
                    on=on,
                    minutes=rng.choice([45, 60, 90, 120, 150, 180])
                    if kind != ContactKind.CALL
                    else rng.choice([15, 20, 30]),
                    with_principal=kind != ContactKind.MEETING,
                    focus=focus,
                    notes=rng.choice(NOTES[kind]),
                    next_steps=steps,
                    next_step_due=due if steps else None,
                ),
                today=today,
            )
