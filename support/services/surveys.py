"""The service surveys' cycles: the autonomy office creates one per term (with the district's default
statements, editable while it is a draft), opens it to principals and closes it; the nightly job closes a
cycle whose closing date has passed. Status changes go through core.workflows with SURVEY_WORKFLOW.

The answers themselves are written by support.services.survey_answers.
"""

import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext, gettext_noop

from core.errors import ApplicationError, Conflict
from core.hooks import announce_on_commit, publication_changed
from core.notifications import notify
from core.policies import require
from core.workflows import Steps, limited_text, raise_conflict, required_text
from schools.models import School, SchoolYear
from schools.selectors import principals_of
from support.models import SurveyCycle, SurveyItem, SurveyStatus
from support.policies.surveys import can_manage_surveys, survey_acts_as
from support.workflows import SURVEY_WORKFLOW

SURVEY_STEPS = Steps(SURVEY_WORKFLOW, survey_acts_as, related=("school_year",))

# Prince William County asks the same three questions of every department; a district may change them (up
# to six, as Palm Beach asks) while the cycle is a draft.
# Stored in English as written; marked for the catalog so the answer page shows the district's usual
# statements in the reader's language (a statement the office typed itself is shown as typed).
DEFAULT_ITEMS = (
    gettext_noop("The department's services meet my school's needs."),
    gettext_noop("The department responds to my school in a timely way."),
    gettext_noop("The department's staff are courteous and helpful."),
)
MAX_ITEMS = 6
ITEM_TEXT = SurveyItem._meta.get_field("text").max_length
TERM_TEXT = SurveyCycle._meta.get_field("term").max_length


def _items_checked(items, items_es=None) -> list[tuple[str, str]]:
    """The statements with their Spanish (`items_es`, by the same numbers; blank: the English is shown),
    stripped, blanks left out; refused naming `items[n]` or `items_es[n]` (1-based, as the form numbers them)."""
    spanish = list(items_es or [])
    texts = []
    for number, text in enumerate(items, start=1):
        text = limited_text(text, field=f"items[{number}]", max_length=ITEM_TEXT)
        text_es = spanish[number - 1] if number <= len(spanish) else ""
        text_es = limited_text(text_es, field=f"items_es[{number}]", max_length=ITEM_TEXT)
        if text:
            texts.append((text, text_es))
        elif text_es:
            message = "A statement in Spanish needs its English beside it."
            raise ApplicationError(message, fields={f"items[{number}]": [message]})
    if not texts:
        raise ApplicationError("Write at least one statement.", fields={"items[1]": ["Write at least one statement."]})
    if len(texts) > MAX_ITEMS:
        message = f"A survey asks at most {MAX_ITEMS} statements of each department."
        raise ApplicationError(message, fields={"items": [message]})
    return texts


def _items_written(cycle: SurveyCycle, texts: list[tuple[str, str]]) -> None:
    SurveyItem.objects.bulk_create(
        SurveyItem(cycle=cycle, position=number, text=text, text_es=text_es)
        for number, (text, text_es) in enumerate(texts, start=1)
    )


def _dates_checked(opens_on: datetime.date, closes_on: datetime.date) -> None:
    if closes_on < opens_on:
        message = "The closing date must be on or after the opening date."
        raise ApplicationError(message, fields={"closes_on": [message]})


def survey_cycle_create(
    *,
    actor: AbstractBaseUser,
    school_year: SchoolYear,
    term: str,
    opens_on: datetime.date,
    closes_on: datetime.date,
    items: list[str] | None = None,
    term_es: str = "",
    items_es: list[str] | None = None,
) -> SurveyCycle:
    """A draft cycle for a term, with the default statements unless others are given. `term_es` is the
    term as Spanish readers see it (English when blank)."""
    require(can_manage_surveys(actor))
    term = required_text(term, field="term", message="Name the term, as Fall or Spring.", max_length=TERM_TEXT)
    term_es = limited_text(term_es, field="term_es", max_length=TERM_TEXT)
    _dates_checked(opens_on, closes_on)
    texts = _items_checked(DEFAULT_ITEMS if items is None else items, items_es)
    taken = f"There is already a {term} {school_year} survey."
    if SurveyCycle.objects.filter(school_year=school_year, term__iexact=term).exists():
        raise ApplicationError(taken, fields={"term": [taken]})
    try:
        with transaction.atomic():
            cycle = SurveyCycle.objects.create(
                school_year=school_year, term=term, term_es=term_es, opens_on=opens_on, closes_on=closes_on
            )
            _items_written(cycle, texts)
            SURVEY_STEPS.created(cycle, actor=actor, action="create", reason="Created as a draft.").save()
    except IntegrityError:  # the same term created at the same moment by somebody else
        raise ApplicationError(taken, fields={"term": [taken]}) from None
    return cycle


def survey_cycle_edit(
    *,
    actor: AbstractBaseUser,
    cycle_id: int,
    opens_on: datetime.date,
    closes_on: datetime.date,
    items: list[str],
    items_es: list[str] | None = None,
) -> SurveyCycle:
    """Change a draft's dates and statements; once open, what principals were asked stays as it was."""
    require(can_manage_surveys(actor))
    _dates_checked(opens_on, closes_on)
    texts = _items_checked(items, items_es)
    with transaction.atomic():
        cycle = SURVEY_STEPS.lock(cycle_id)
        if cycle.status != SurveyStatus.DRAFT:
            raise_conflict(f"The {cycle} survey is {cycle.get_status_display().lower()}: only a draft is changed.")
        cycle.opens_on, cycle.closes_on = opens_on, closes_on
        cycle.save(update_fields=["opens_on", "closes_on", "updated_at"])
        cycle.items.all().delete()
        _items_written(cycle, texts)
    return cycle


def _tell_principals(cycle: SurveyCycle, event) -> None:
    users = [user for people in principals_of(school_ids=School.objects.values("pk")).values() for user in people]
    notify(
        users=users,
        key=f"survey:{cycle.pk}:event:{event.pk}",
        title=lambda: (
            gettext("Rate central office: the %(survey)s survey is open until %(date)s")
            % {"survey": cycle, "date": date_format(cycle.closes_on, gettext("F j, Y"))}
        ),
        body=lambda: gettext("Your answers are kept without your name or your school's."),
        url=reverse("support:surveys"),
    )


def survey_cycle_open(*, actor: AbstractBaseUser, cycle_id: int, expected_status: str | None = None) -> SurveyCycle:
    """Open a draft to answers and tell every principal."""
    cycle, _ = SURVEY_STEPS.apply(
        pk=cycle_id,
        actor=actor,
        action="open",
        reason="Opened for answers.",
        expected_status=expected_status,
        notify=_tell_principals,
    )
    return cycle


def survey_cycle_close(*, actor: AbstractBaseUser, cycle_id: int, expected_status: str | None = None) -> SurveyCycle:
    cycle, _ = SURVEY_STEPS.apply(
        pk=cycle_id,
        actor=actor,
        action="close",
        reason="Closed by the autonomy office.",
        expected_status=expected_status,
    )
    # A closed cycle's results are published (the public pages' service scores): their cache moves on.
    announce_on_commit(publication_changed, reason="service survey closed")
    return cycle


def survey_cycles_close_due(*, today: datetime.date) -> int:
    """The nightly job: close each open cycle whose closing date has passed. Only cycles still open are
    selected, so a second run the same night finds nothing to do. Returns how many it closed."""
    due = list(SurveyCycle.objects.filter(status=SurveyStatus.OPEN, closes_on__lt=today).values_list("pk", flat=True))
    closed = 0
    for pk in due:
        try:
            SURVEY_STEPS.apply(
                pk=pk,
                actor=None,
                action="close_on_date",
                reason=f"Its closing date passed ({today:%B %-d, %Y}).",
                expected_status=SurveyStatus.OPEN,
            )
        except Conflict:  # the autonomy office closed it meanwhile: nothing left to do
            continue
        closed += 1
    if closed:
        announce_on_commit(publication_changed, reason="service survey closed")
    return closed
