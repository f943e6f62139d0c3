"""Telling a school's principal and liaison that the nightly run opened or raised its flags."""

from django.urls import reverse

from accountability.models import InterventionFlag
from accountability.services.evaluation.ladder import notice_text
from contracts.models import Level
from core.notifications import notify_many
from schools.models import School
from schools.selectors import principals_of


def flags_notify(flags: list[InterventionFlag]) -> None:
    """One notice per flag and rung (keyed so, a re-run sends nothing again), in the caller's transaction."""
    if not flags:
        return
    schools = {s.pk: s for s in School.objects.filter(pk__in={f.school_id for f in flags}).select_related("liaison")}
    principals = principals_of(school_ids=list(schools))
    messages = []
    for flag in flags:
        school = schools[flag.school_id]
        users = principals.get(school.pk, []) + ([school.liaison] if school.liaison else [])
        messages.append(
            (
                users,
                f"flag:{flag.pk}:level:{flag.level}",
                f"{school.name}: {Level(flag.level).label.lower()}",
                notice_text(flag),
                reverse("autonomy:school_detail", args=[school.code]),
            )
        )
    notify_many(messages)
