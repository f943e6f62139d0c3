"""Telling a school's principal and liaison what the nightly run did to its flags: one message per
person per event (a flag opened or raised, with what its rung did to the school's autonomy; grants
cured), keyed by the event so that a re-run sends nothing again."""

from dataclasses import dataclass, field
from functools import partial

from django.urls import reverse
from django.utils.translation import gettext as _

from accountability.models import InterventionFlag
from accountability.services.evaluation.ladder import Consequence, cure_notice_words, notice_words, rung_label
from contracts.models import InterventionRule
from core.notifications import notify_many
from schools.models import School
from schools.selectors import principals_of


@dataclass
class FlagNotice:
    flag: InterventionFlag
    key: str  # what happened to the flag, unique per event: "level:4", "cured:2027-01-15"
    consequences: list[Consequence] = field(default_factory=list)
    cured: bool = False
    lead: str = ""  # a first line before the notice: why it is sent again (the clock resumed)


def flags_notify(notices: list[FlagNotice]) -> None:
    """One message per notice and person, in the caller's transaction (sent after it commits)."""
    if not notices:
        return
    flags = [n.flag for n in notices]
    schools = {s.pk: s for s in School.objects.filter(pk__in={f.school_id for f in flags}).select_related("liaison")}
    rules = InterventionRule.objects.select_related("benchmark__metric").in_bulk({f.rule_id for f in flags})
    principals = principals_of(school_ids=list(schools))
    messages = []
    for notice in notices:
        flag = notice.flag
        flag.rule = rules[flag.rule_id]
        school = schools[flag.school_id]
        users = principals.get(school.pk, []) + ([school.liaison] if school.liaison else [])
        url = reverse("accountability:flag_detail", args=[flag.pk])
        title, body = partial(_title, school, flag, notice.cured), partial(_body, flag, notice)
        messages.append((users, f"flag:{flag.pk}:{notice.key}", title, body, url))
    notify_many(messages)


def _title(school: School, flag: InterventionFlag, cured: bool) -> str:
    """In the reader's language (core.notifications writes it for each)."""
    if cured:
        return _("%(school)s: autonomy cured") % {"school": school.name}
    return f"{school.name}: {rung_label(flag.level)}"


def _body(flag: InterventionFlag, notice: FlagNotice) -> str:
    text = cure_notice_words(flag, notice.consequences) if notice.cured else notice_words(flag, notice.consequences)
    return f"{notice.lead}\n{text}" if notice.lead else text
