"""The district writes its own words in Spanish (core.translated): the catalog page edits an entry's
Spanish beside its English and keeps the change in the history; a metric's and a survey's term likewise.
A principal and the public reading in Spanish see the district's Spanish, on the next request; readers in
English and the API's scripts keep the English."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from autonomy.models import Autonomy
from autonomy.models.catalog import CATALOG_TEXT_FIELDS, AutonomyRevision
from core.translated import stored
from metrics.models import Metric
from schools.models import Role
from support.models import SurveyCycle
from support.services.surveys import survey_cycle_open
from tests.factories import SchoolYearFactory
from tests.reports.public_world import public_world
from tests.reports.test_translation import visible_text

pytestmark = pytest.mark.django_db

HIRING = "people.hiring"
EDIT = reverse("autonomy:catalog_edit", args=[HIRING])
ENTRY = reverse("autonomy:catalog_entry", args=[HIRING])


def in_spanish(client: Client) -> Client:
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "es"
    return client


def _untouched(entry) -> dict:
    return {name: stored(entry, name) for name in CATALOG_TEXT_FIELDS} | {"note": "", "seen_revision": ""}


def test_the_office_writes_an_entry_in_spanish_and_a_principal_reads_it(make_member, client_for, school):
    office = make_member(Role.ADMIN)
    principal = make_member(Role.PRINCIPAL, school=school)
    entry = Autonomy.objects.get(code=HIRING)
    form = client_for(office).get(EDIT).content.decode()
    assert 'name="name_es"' in form and "Contratar y despedir al personal" in form  # the default's Spanish

    response = client_for(office).post(
        EDIT,
        _untouched(entry)
        | {
            "name_es": "Seleccionar al personal",
            "school_decides_es": "Elegir a quién contratar.\nRechazar asignaciones.",
        },
    )

    assert response.status_code == 302
    revision = AutonomyRevision.objects.get()
    assert revision.changes == {
        "name_es": {"from": "Contratar y despedir al personal", "to": "Seleccionar al personal"},
        "school_decides_es": {"from": "", "to": "Elegir a quién contratar.\nRechazar asignaciones."},
    }
    entry.refresh_from_db()
    assert stored(entry, "name") == "Hire and dismiss staff"  # the English is untouched
    spanish = in_spanish(client_for(principal))
    html = spanish.get(ENTRY).content.decode()
    assert "<title>Seleccionar al personal" in html and "Elegir a quién contratar." in visible_text(html)
    assert "Seleccionar al personal" in visible_text(spanish.get(reverse("autonomy:catalog")).content.decode())
    assert "<title>Hire and dismiss staff" in client_for(principal).get(ENTRY).content.decode()
    history = client_for(office).get(EDIT).content.decode()
    assert "changed name in spanish, what the school decides, in spanish." in history


def test_a_spanish_reader_editing_the_english_saves_the_english(make_member, client_for):
    office = in_spanish(client_for(make_member(Role.ADMIN)))
    entry = Autonomy.objects.get(code=HIRING)
    form = office.get(EDIT).content.decode()
    assert 'value="Hire and dismiss staff"' in form  # the English box holds the English

    office.post(EDIT, _untouched(entry) | {"description": "Full say over hiring."})

    row = Autonomy.objects.values("name", "name_es", "description").get(code=HIRING)
    assert row == {
        "name": "Hire and dismiss staff",
        "name_es": "Contratar y despedir al personal",
        "description": "Full say over hiring.",
    }
    assert list(AutonomyRevision.objects.get().changes) == ["description"]


def test_a_spanish_text_longer_than_its_limit_is_refused_naming_the_field(make_member, client_for):
    office = client_for(make_member(Role.ADMIN))
    entry = Autonomy.objects.get(code=HIRING)
    response = office.post(EDIT, _untouched(entry) | {"name_es": "x" * 201})
    assert response.status_code == 400
    assert response.context["form"].errors["name_es"]
    assert not AutonomyRevision.objects.exists()


def test_the_public_pages_show_the_new_spanish_on_the_next_request(make_member, client_for):
    world = public_world()
    public = Client(HTTP_ACCEPT_LANGUAGE="es")
    autonomy_page = reverse("reports:autonomy", args=[HIRING])
    school_page = reverse("reports:school", args=[world["own"].code])
    assert "Contratar y despedir al personal" in visible_text(public.get(autonomy_page).content.decode())
    assert "Dominio en lengua y literatura en inglés" in visible_text(public.get(school_page).content.decode())

    entry = Autonomy.objects.get(code=HIRING)
    client_for(make_member(Role.ADMIN)).post(EDIT, _untouched(entry) | {"name_es": "Seleccionar al personal"})
    metric = Metric.objects.get(code="ela_proficiency")
    metric.name_es = "Lectura y escritura en inglés"
    metric.save()  # as the admin saves it

    assert "Seleccionar al personal" in visible_text(public.get(autonomy_page).content.decode())
    assert "Seleccionar al personal" in visible_text(public.get(reverse("reports:register")).content.decode())
    assert "Lectura y escritura en inglés" in visible_text(public.get(school_page).content.decode())
    english = visible_text(Client().get(school_page).content.decode())
    assert "Proficiency in ELA" in english and "Lectura y escritura" not in english


def test_a_survey_term_in_spanish_is_what_a_spanish_reading_principal_sees(make_member, client_for, school):
    admin = make_member(Role.ADMIN)
    office = client_for(admin)
    principal = make_member(Role.PRINCIPAL, school=school)
    year = SchoolYearFactory()
    today = timezone.localdate()
    response = office.post(
        reverse("support:survey_cycle_new"),
        {
            "school_year": year.pk,
            "term": "Fall",
            "term_es": "Otoño",
            "opens_on": today - datetime.timedelta(days=1),
            "closes_on": today + datetime.timedelta(days=10),
            "item_1": "Answers our calls the same day.",
            "item_es_1": "Contesta nuestras llamadas el mismo día.",
            "item_2": "The department's staff are courteous and helpful.",  # a default: translated already
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    cycle = SurveyCycle.objects.get()
    assert (stored(cycle, "term"), cycle.term_es) == ("Fall", "Otoño")
    edit = in_spanish(office).get(reverse("support:survey_cycle_edit", args=[cycle.pk])).content.decode()
    assert 'value="Answers our calls the same day."' in edit  # the English box holds the English
    assert 'value="Contesta nuestras llamadas el mismo día."' in edit
    survey_cycle_open(actor=admin, cycle_id=cycle.pk)

    answer = reverse("support:survey_answer", args=[cycle.pk, school.code])
    spanish = visible_text(in_spanish(client_for(principal)).get(answer).content.decode())
    assert f"Otoño {year}" in spanish and "Fall" not in spanish
    assert "Contesta nuestras llamadas el mismo día." in spanish and "Answers our calls" not in spanish
    assert "courteous" not in spanish
    english = visible_text(client_for(principal).get(answer).content.decode())
    assert f"Fall {year}" in english and "Answers our calls the same day." in english


def test_a_term_too_long_or_a_statement_without_its_english_is_refused_naming_the_field(make_member, client_for):
    office = client_for(make_member(Role.ADMIN))
    today = timezone.localdate()
    response = office.post(
        reverse("support:survey_cycle_new"),
        {
            "school_year": SchoolYearFactory().pk,
            "term": "Fall",
            "term_es": "O" * 41,
            "item_es_2": "Sin su inglés.",
            "opens_on": today,
            "closes_on": today + datetime.timedelta(days=10),
            **{f"item_{n}": f"Statement {n}." for n in range(1, 7)},
        },
    )
    assert response.status_code == 400 and response.context["form"].errors["term_es"]
    assert not SurveyCycle.objects.exists()
    response = office.post(
        reverse("support:survey_cycle_new"),
        {
            "school_year": SchoolYearFactory().pk,
            "term": "Fall",
            "opens_on": today,
            "closes_on": today + datetime.timedelta(days=10),
            "item_1": "Answers our calls.",
            "item_es_2": "Una frase sin su inglés.",
        },
    )
    assert response.status_code == 400
    assert response.context["form"].errors["item_2"] == ["A statement in Spanish needs its English beside it."]
    assert not SurveyCycle.objects.exists()


def test_the_api_answers_the_english_and_the_spanish_whatever_the_clients_language(make_member):
    client = APIClient(HTTP_ACCEPT_LANGUAGE="es")
    client.force_authenticate(make_member(Role.ADMIN))
    entry = client.get(f"/api/v1/autonomies/{HIRING}/").json()
    assert (entry["name"], entry["name_es"]) == ("Hire and dismiss staff", "Contratar y despedir al personal")
    metric = client.get("/api/v1/metrics/teacher_vacancies_first_day/").json()
    assert (metric["name"], metric["name_es"]) == (
        "Teacher vacancies on the first day",
        "Vacantes docentes el primer día",
    )
