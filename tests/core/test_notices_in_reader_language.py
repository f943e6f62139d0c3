"""Each person reads a message in the language they chose for the portal (core.notifications, with the
choice kept by accounts): the nightly run's flag notice, a returned request, in the inbox and the email
alike. What a person wrote (a reviewer's note) reaches every reader as written."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.translation import gettext

from accountability.services import evaluation_run
from accounts.models import LanguagePreference
from autonomy.services import request_return
from core.models import Notification, OutboxEmail
from core.notifications import notify
from schools.models import Role
from tests.accountability.test_engine import AS_OF, VACANCIES, _active_contract, _observe, _template, admin, years
from tests.autonomy.factories import CallFactory, complete_request
from tests.factories import SchoolFactory, UserFactory, grant
from tests.home.builders import admin_user

pytestmark = pytest.mark.django_db

__all__ = ["admin", "years"]  # fixtures shared with the engine's tests


def _spanish(text: str) -> str:
    with translation.override("es"):
        return gettext(text)


def _reading(user, language: str):
    LanguagePreference.objects.create(user=user, language=language)
    return user


def test_a_flag_notice_reaches_each_principal_in_their_language(years, admin, make_member):
    school = SchoolFactory(name="Addams Elementary")
    hiring = grant(school, "people.hiring")
    template = _template([VACANCIES], [dict(key="binding", condition="binding_missed", count=1, level=4)])
    template.benchmarks.update(binding_autonomy=hiring.autonomy)
    _contract, spanish_reader = _active_contract(
        school, template, admin, make_member, start=years["2026-27"], end=years["2027-28"]
    )
    _reading(spanish_reader, "es")
    english_reader = make_member(Role.LIAISON)  # no choice made: the district's language
    school.liaison = english_reader
    school.save(update_fields=["liaison"])
    _observe(school, "teacher_vacancies_first_day", "2026-27", 6)

    evaluation_run(as_of=AS_OF)

    english = Notification.objects.get(user=english_reader, key__startswith="flag:")
    spanish = Notification.objects.get(user=spanish_reader, key__startswith="flag:")
    provision = "Contract provision: "
    assert provision in english.body and provision not in spanish.body
    assert _spanish("Contract provision: %(quote)s").split("%(")[0] in spanish.body
    assert spanish.title == f"Addams Elementary: {_spanish('Autonomy at risk (cure period)').lower()}"
    assert english.title == "Addams Elementary: autonomy at risk (cure period)"
    email = OutboxEmail.objects.get(recipient=spanish_reader, key=spanish.key)
    assert (email.subject, email.body.split("\n\n")[0]) == (spanish.title, spanish.body.split("\n\n")[0])


@pytest.mark.parametrize(
    ("language", "title"),
    [
        ("es", "Su solicitud en “Spring call” fue devuelta para cambios"),
        ("en", "Your request in “Spring call” was returned for changes"),
    ],
)
def test_a_returned_request_is_told_in_the_readers_language_with_the_note_as_written(
    school, make_member, language, title
):
    office = admin_user()
    principal = _reading(make_member(Role.PRINCIPAL, school=school), language)
    call = CallFactory(title="Spring call", created_by=office, offers=None)
    request = complete_request(principal=principal, school=school, call=call, submit=True)

    request_return(actor=office, request_id=request.pk, note="Add the dates, please.")

    notice = Notification.objects.get(user=principal, key__contains=":event:")
    assert (notice.title, notice.body) == (title, "Add the dates, please.")


def test_a_message_in_words_costs_one_query_for_the_languages_and_plain_text_none():
    readers = [UserFactory(), _reading(UserFactory(), "es")]
    with CaptureQueriesContext(connection) as plain:
        notify(users=readers, key="plain", title="As written")
    with CaptureQueriesContext(connection) as words:
        notify(users=readers, key="words", title=lambda: gettext("Your budget plan was approved"))
    assert len(words) == len(plain) + 1
    titles = dict(Notification.objects.filter(key="words").values_list("user_id", "title"))
    assert titles == {
        readers[0].pk: "Your budget plan was approved",
        readers[1].pk: "Su plan de presupuesto fue aprobado",
    }


def test_a_title_longer_than_the_inbox_keeps_is_cut_in_any_language():
    reader = _reading(UserFactory(), "es")
    notify(users=[reader], key="long", title=lambda: "x" * 250)
    notify(users=[reader], key="long-plain", title="y" * 250)  # a long school or network name
    for key in ("long", "long-plain"):
        title = Notification.objects.get(key=key).title
        assert len(title) == 200 and title.endswith("…")
