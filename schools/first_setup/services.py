"""The first setup's writes and its checklist. Every write asks the autonomy office policy first."""

import datetime
import zoneinfo
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.errors import ApplicationError
from core.limits import SHORT_TEXT
from core.policies import require
from schools.first_setup.models import SetupStep, SetupStepKey
from schools.models import District, SchoolYear
from schools.policies import autonomy_office
from schools.roster.models import RosterImport, RosterImportStatus

REFUSAL = "Only the autonomy office sets the district up."


@dataclass(frozen=True)
class Step:
    key: str
    title: str
    done: bool
    summary: str  # what is there now, in a few words


def setup_checklist() -> list[Step]:
    """The steps in order, each done or not, read from the data: four queries, whatever the district's size."""
    district = District.objects.first()
    year = SchoolYear.objects.order_by("-start_date").first()
    confirmed = {step.key: step for step in SetupStep.objects.select_related("done_by")}
    roster = RosterImport.objects.filter(status=RosterImportStatus.APPLIED).defer("data").first()

    def confirmed_summary(key: str) -> str:
        step = confirmed.get(key)
        return f"Confirmed on {timezone.localtime(step.done_at):%b %-d, %Y}" if step else "Not confirmed yet"

    return [
        Step("district", "The district", bool(district), f"{district.name}, {district.time_zone}" if district else ""),
        Step("school_year", "The school year", bool(year), f"The latest is {year.label}" if year else ""),
        *(
            Step(key, SetupStepKey(key).label, key in confirmed, confirmed_summary(key))
            for key in (SetupStepKey.AUTONOMY_CATALOG, SetupStepKey.METRICS_CATALOG)
        ),
        Step(
            "roster",
            "The first roster import",
            roster is not None,
            f"{roster.file_name} applied on {timezone.localtime(roster.finished_at):%b %-d, %Y}" if roster else "",
        ),
        Step(
            SetupStepKey.IDENTITY_PROVIDER,
            SetupStepKey.IDENTITY_PROVIDER.label,
            SetupStepKey.IDENTITY_PROVIDER in confirmed,
            confirmed_summary(SetupStepKey.IDENTITY_PROVIDER),
        ),
    ]


def setup_district_save(*, actor: AbstractBaseUser, name: str, time_zone: str) -> District:
    """Name the district and its time zone; the one district row is created the first time."""
    require(autonomy_office(actor, REFUSAL))
    name = name.strip()
    errors = {}
    if not name:
        errors["name"] = ["Name the district."]
    elif len(name) > SHORT_TEXT:
        errors["name"] = [f"Use at most {SHORT_TEXT} characters."]
    if time_zone not in zoneinfo.available_timezones():
        errors["time_zone"] = ["Choose the district's time zone from the list, as America/Chicago."]
    if errors:
        raise ApplicationError("The district was not saved.", fields=errors)
    with transaction.atomic():
        district = District.objects.select_for_update().first() or District(key=1)
        district.name, district.time_zone = name, time_zone
        district.save()
    return district


def setup_school_year_add(
    *,
    actor: AbstractBaseUser,
    label: str,
    start_date: datetime.date,
    end_date: datetime.date,
    first_day: datetime.date,
) -> SchoolYear:
    """Add a school year; its dates checked by the model (the end after the start, the first day within)."""
    require(autonomy_office(actor, REFUSAL))
    year = SchoolYear(label=label.strip(), start_date=start_date, end_date=end_date, first_day=first_day)
    try:
        year.full_clean()
    except ValidationError as error:
        raise ApplicationError("The school year was not added.", fields=error.message_dict) from None
    try:
        with transaction.atomic():
            year.save()
    except IntegrityError:
        raise ApplicationError(
            "The school year was not added.", fields={"label": [f"The school year {year.label} exists already."]}
        ) from None
    return year


def setup_step_confirm(*, actor: AbstractBaseUser, key: str) -> SetupStep:
    """Record that the office did a step it confirms by hand; confirming again keeps the first record."""
    require(autonomy_office(actor, REFUSAL))
    if key not in SetupStepKey.values:
        raise ApplicationError("There is no such step.")
    step, _ = SetupStep.objects.get_or_create(key=key, defaults={"done_at": timezone.now(), "done_by": actor})
    return step
