"""Writes to the district planning calendar: the autonomy office's milestones, and each person's feed address.

A milestone is checked whole before anything is written, and every problem is reported at once, each under
the field it is about, so the office fixes a form in one pass and nothing is saved on a refusal.

A feed address carries its token, because a calendar app fetches it without signing in. Only the token's
SHA-256 is stored: a copy of the database (a backup, a support dump) then holds no working address, and a
token cannot be read back out of it. The price is that the page can show the address only in the answer
that makes or replaces it; a person who loses it replaces it, which ends the old one at once.
"""

import datetime
import secrets

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction

from core.errors import ApplicationError, Conflict, NotFound
from core.limits import NOTE_TEXT, SHORT_TEXT
from core.policies import require
from core.workflows import limited_text
from schools.models import SchoolYear
from support.models import CalendarFeed, Milestone, MilestoneKind
from support.policies.calendar import can_manage_milestones, can_subscribe_calendar
from support.selectors.calendar import feed_token_digest

# --- milestones -------------------------------------------------------------------------------------


def _milestone_fields(*, school_year, kind: str, title: str, on, ends_on, description: str) -> dict[str, object]:
    """The milestone's values, cleaned; every problem raised together, each naming its field."""
    problems: dict[str, list[str]] = {}
    if not isinstance(school_year, SchoolYear):
        problems["school_year"] = ["Choose the school year."]
    if kind not in MilestoneKind.values:
        problems["kind"] = [f"Choose a kind of milestone; “{str(kind)[:40]}” is not one."]
    clean_title = (title or "").strip() if isinstance(title, str) else ""
    if not clean_title:
        problems["title"] = ["Give the milestone a title, as “Staffing plans due”."]
    elif len(clean_title) > SHORT_TEXT:
        problems["title"] = [f"Ensure this value has at most {SHORT_TEXT} characters (it has {len(clean_title)})."]
    try:
        clean_description = limited_text(description, field="description", max_length=NOTE_TEXT)
    except ApplicationError as error:
        problems.update(error.fields)
        clean_description = ""
    if not isinstance(on, datetime.date):
        problems["on"] = ["Give the date (the first day, for a span of days)."]
    if ends_on is not None and not isinstance(ends_on, datetime.date):
        problems["ends_on"] = ["Give the last day as a date, or leave it empty for a single day."]
    if "on" not in problems and "ends_on" not in problems and ends_on is not None and ends_on < on:
        problems["ends_on"] = ["The last day comes before the first; it must be on or after it."]
    if "school_year" not in problems:
        first, last = school_year.start_date, school_year.end_date
        for field, day in (("on", on), ("ends_on", ends_on)):
            if field not in problems and isinstance(day, datetime.date) and not first <= day <= last:
                problems[field] = [
                    f"{day:%B} {day.day}, {day.year} is outside the {school_year.label} school year "
                    f"({first:%B} {first.day}, {first.year} to {last:%B} {last.day}, {last.year})."
                ]
    if problems:
        raise ApplicationError("Nothing was saved: check the fields named.", fields=problems)
    return {
        "school_year": school_year,
        "kind": kind,
        "title": clean_title,
        "on": on,
        # A span that ends the day it starts is a single day.
        "ends_on": ends_on if ends_on and ends_on != on else None,
        "description": clean_description,
    }


def milestone_create(
    *,
    actor: AbstractBaseUser,
    school_year: SchoolYear,
    kind: str,
    title: str,
    on: datetime.date,
    ends_on: datetime.date | None = None,
    description: str = "",
) -> Milestone:
    require(can_manage_milestones(actor))
    values = _milestone_fields(
        school_year=school_year, kind=kind, title=title, on=on, ends_on=ends_on, description=description
    )
    return Milestone.objects.create(**values)


def _milestone_locked(milestone_id: int) -> Milestone:
    milestone = Milestone.objects.select_for_update().filter(pk=milestone_id).first()
    if milestone is None:
        raise NotFound("This milestone is no longer on the calendar: somebody deleted it.")
    return milestone


def milestone_update(
    *,
    actor: AbstractBaseUser,
    milestone_id: int,
    school_year: SchoolYear,
    kind: str,
    title: str,
    on: datetime.date,
    ends_on: datetime.date | None = None,
    description: str = "",
) -> Milestone:
    """Every field is written as given (the form and the API send the whole milestone). Locks the row, so
    an edit and a deletion at once cannot both succeed: the later one is told the milestone is gone."""
    require(can_manage_milestones(actor))
    values = _milestone_fields(
        school_year=school_year, kind=kind, title=title, on=on, ends_on=ends_on, description=description
    )
    with transaction.atomic():
        milestone = _milestone_locked(milestone_id)
        for name, value in values.items():
            setattr(milestone, name, value)
        milestone.save()
    return milestone


def milestone_delete(*, actor: AbstractBaseUser, milestone_id: int) -> Milestone:
    """Returns the deleted milestone (without its id), so the page can say what went."""
    require(can_manage_milestones(actor))
    with transaction.atomic():
        milestone = _milestone_locked(milestone_id)
        milestone.delete()
    return milestone


# --- feeds ------------------------------------------------------------------------------------------

TOKEN_BYTES = 32  # 43 characters of [A-Za-z0-9_-]: a slug in the address


def _new_token() -> tuple[str, str]:
    token = secrets.token_urlsafe(TOKEN_BYTES)
    return token, feed_token_digest(token)


def calendar_feed_for(*, user: AbstractBaseUser) -> tuple[CalendarFeed, str | None]:
    """The person's feed, made on first use. Returns the token only when this call made it (None when the
    feed existed already: its token was shown once and is not kept)."""
    require(can_subscribe_calendar(user))
    existing = CalendarFeed.objects.filter(user=user).first()
    if existing is not None:
        return existing, None
    token, digest = _new_token()
    try:
        with transaction.atomic():
            feed = CalendarFeed.objects.create(user=user, token=digest)
    except IntegrityError:  # the same person made one in another tab a moment ago
        raise Conflict(
            "You made a private address a moment ago, in another window; replace it to see a new one."
        ) from None
    return feed, token


def calendar_feed_replace(*, user: AbstractBaseUser) -> tuple[CalendarFeed, str]:
    """A new token for the person's feed (made if there was none); the old address answers 404 from now on,
    as it is no longer stored anywhere."""
    require(can_subscribe_calendar(user))
    token, digest = _new_token()
    try:
        with transaction.atomic():
            feed = CalendarFeed.objects.select_for_update().filter(user=user).first()
            if feed is None:
                feed = CalendarFeed.objects.create(user=user, token=digest)
            else:
                feed.token = digest
                feed.save(update_fields=["token", "updated_at"])
    except IntegrityError:  # made in another window at the same moment
        raise Conflict("Your private address changed a moment ago, in another window; replace it again.") from None
    return feed, token
