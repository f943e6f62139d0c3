"""The partnership log: a liaison records a visit, a coaching session, a meeting or a call with a school's
principal, with what they agreed to do next.

Only the school's liaison writes it (the autonomy office may stand in); a liaison naming a school outside
their caseload is refused naming `school`. Every refusal names its field and saves nothing. The principal
is told of agreed next steps through the inbox and the outbox, after commit.
"""

import datetime
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext

from core.errors import ApplicationError, NotFound
from core.limits import NOTE_TEXT
from core.notifications import notify
from core.policies import require
from core.workflows import limited_text
from schools.models import School
from schools.selectors import principals_of
from support.models import ENTRY_MAX_MINUTES, ContactKind, FocusArea, PartnershipEntry
from support.policies.caseloads import can_change_partnership_entry, can_log_contact, is_liaison


@dataclass(frozen=True)
class Contact:
    """What a person typed about one contact, before it is checked."""

    kind: str
    on: datetime.date | None
    minutes: int | None
    with_principal: bool = True
    focus: Iterable[FocusArea] = ()
    notes: str = ""
    next_steps: str = ""
    next_step_due: datetime.date | None = None


def _checked(contact: Contact, *, today: datetime.date) -> dict:
    """The contact's fields, cleaned; every problem at once, each under its field."""
    errors: dict[str, list[str]] = {}
    if contact.kind not in ContactKind.values:
        errors["kind"] = ["Choose what kind of contact it was."]
    if not isinstance(contact.on, datetime.date):
        errors["on"] = ["Enter the date of the contact."]
    elif contact.on > today:
        errors["on"] = ["The contact cannot be in the future: log it once it has happened."]
    minutes = contact.minutes
    if isinstance(minutes, bool) or not isinstance(minutes, int):
        errors["minutes"] = ["Enter the minutes as a whole number."]
    elif not 1 <= minutes <= ENTRY_MAX_MINUTES:
        errors["minutes"] = [f"Enter between 1 and {ENTRY_MAX_MINUTES} minutes (a full working day at most)."]
    texts = {}
    for field in ("notes", "next_steps"):
        try:
            texts[field] = limited_text(getattr(contact, field), field=field, max_length=NOTE_TEXT)
        except ApplicationError as error:
            errors |= error.fields
    due = contact.next_step_due
    if due is not None:
        if not isinstance(due, datetime.date):
            errors["next_step_due"] = ["Enter a date."]
        elif isinstance(contact.on, datetime.date) and due < contact.on:
            errors["next_step_due"] = ["The next step cannot be due before the contact."]
        elif not texts.get("next_steps") and "next_steps" not in errors:
            errors["next_steps"] = ["Say what the next step is, or leave its due date empty."]
    focus = list(contact.focus or ())
    if any(not isinstance(area, FocusArea) or area.pk is None for area in focus):
        errors["focus"] = ["Choose focus areas from the district's list."]
    if errors:
        raise ApplicationError("The contact was not saved: check the fields named.", fields=errors)
    return {
        "kind": contact.kind,
        "on": contact.on,
        "minutes": minutes,
        "with_principal": bool(contact.with_principal),
        "notes": texts["notes"],
        "next_steps": texts["next_steps"],
        "next_step_due": due,
        "focus": focus,
    }


def _require_may_log(actor: AbstractBaseUser, school: School) -> None:
    """A liaison outside this school's caseload is told so about the field they chose; anyone else who may
    not log is refused outright."""
    decision = can_log_contact(actor, school)
    if not decision and is_liaison(actor):
        raise ApplicationError(
            f"{school.name} is not in your caseload.",
            fields={"school": ["Choose a school in your caseload: you log contacts only with your own schools."]},
        )
    require(decision)


def _notify_next_steps(entry: PartnershipEntry) -> None:
    """The principal hears of the next steps agreed; the key carries the text, so a changed step is news
    and the same one saved again is not."""
    if not entry.next_steps:
        return
    digest = hashlib.sha256(f"{entry.next_steps}|{entry.next_step_due}".encode()).hexdigest()[:12]
    notify(
        users=principals_of(school_ids=[entry.school_id]).get(entry.school_id, []),
        key=f"partnership:{entry.pk}:{digest}",
        title=lambda: _next_steps_title(entry),
        body=entry.next_steps,
        url=reverse("support:partnership_log", args=[entry.school.code]),
    )


def partnership_entry_create(
    *, actor: AbstractBaseUser, school: School, contact: Contact, today: datetime.date | None = None
) -> PartnershipEntry:
    """Log one contact at the school, by the school's liaison (or the autonomy office standing in, in whose
    name it is then written)."""
    if not isinstance(school, School):
        raise ApplicationError("Choose a school.", fields={"school": ["Choose a school in your caseload."]})
    _require_may_log(actor, school)
    fields = _checked(contact, today=today or timezone.localdate())
    focus = fields.pop("focus")
    with transaction.atomic():
        entry = PartnershipEntry.objects.create(school=school, liaison=actor, **fields)
        entry.focus.set(focus)
        _notify_next_steps(entry)
    return entry


def _locked_entry(entry_id) -> PartnershipEntry:
    try:
        return PartnershipEntry.objects.select_for_update(of=("self",)).select_related("school").get(pk=entry_id)
    except (PartnershipEntry.DoesNotExist, ValueError, TypeError):
        raise NotFound("No such entry in the partnership log.") from None


def partnership_entry_update(
    *, actor: AbstractBaseUser, entry_id: int, contact: Contact, today: datetime.date | None = None
) -> PartnershipEntry:
    """Correct a contact: its school and its author stay; the principal hears of next steps that changed."""
    with transaction.atomic():
        entry = _locked_entry(entry_id)
        require(can_change_partnership_entry(actor, entry))
        fields = _checked(contact, today=today or timezone.localdate())
        focus = fields.pop("focus")
        before = (entry.next_steps, entry.next_step_due)
        for name, value in fields.items():
            setattr(entry, name, value)
        entry.save()
        entry.focus.set(focus)
        if (entry.next_steps, entry.next_step_due) != before:
            _notify_next_steps(entry)
    return entry


def partnership_entry_delete(*, actor: AbstractBaseUser, entry_id: int) -> None:
    """Remove a contact logged by mistake: the same people who may correct it."""
    with transaction.atomic():
        entry = _locked_entry(entry_id)
        require(can_change_partnership_entry(actor, entry))
        entry.delete()


def _next_steps_title(entry: PartnershipEntry) -> str:
    """In the active language: core.notifications writes it in each reader's."""
    kind = entry.get_kind_display().lower()
    if entry.next_step_due:
        due = date_format(entry.next_step_due, gettext("M j, Y"))
        return gettext("Next steps from your liaison's %(kind)s by %(date)s") % {"kind": kind, "date": due}
    return gettext("Next steps from your liaison's %(kind)s") % {"kind": kind}
