"""The principal's home, the first page a principal sees, in Spanish: every word the page writes (the
needs, their dates and days left, the decision grid, the layout), with only the district's data left as
it was typed."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from autonomy.models import Autonomy
from schools.models import Role
from tests.autonomy.factories import CallFactory
from tests.factories import UserFactory, grant
from tests.home.builders import admin_user, open_flag, proposed_contract, returned_request
from tests.translation_kit import english_left

pytestmark = pytest.mark.django_db


@pytest.fixture
def busy_school(school, make_member):
    """A school with one of each need: a contract to sign, an open call, a request returned, a flag overdue
    and one due later; and decisions held, at risk and not held."""
    admin = admin_user()
    principal = make_member(Role.PRINCIPAL, school=school, first_name="Ana", last_name="Ruiz")
    contract = proposed_contract(school, admin=admin)
    returned_request(
        school,
        principal=principal,
        admin=admin,
        call=CallFactory(title="Convocatoria uno", offers=["program.curriculum"]),
    )
    CallFactory(title="Convocatoria dos", created_by=admin, offers=["time.calendar"])
    open_flag(school, contract=contract, days_left=-3, deficiency="Asistencia: 80 %, meta 90 %.")
    open_flag(school, contract=contract, days_left=12, deficiency="Lectura: 40, meta 50.")
    grant(school, "people.hiring")
    return principal


def _data(school) -> tuple[str, ...]:
    """What the district typed, the same in both languages: names, the catalog's entries, notes."""
    return (
        school.name,
        "Ana Ruiz",
        *Autonomy.objects.values_list("name", flat=True),
        "Submit an improvement plan.",  # a flag's remedy, as the contract's rule states it
        "Granted in a test.",
    )


def test_the_principals_home_is_spanish(busy_school, school, client_for):
    english = english_left(reverse("home"), as_user=busy_school, data=_data(school))
    assert english == []


def test_the_needs_and_their_dates_are_in_spanish(busy_school, school, client_for):
    page = client_for(busy_school).get(reverse("home"), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    needs = re.search(r'<section class="needs".*?</section>', page, re.S)[0]
    assert "Requiere su atención" in needs
    assert "Contrato de desempeño de 2026-27 a 2027-28, versión 1: en espera de su firma" in needs
    assert ">Leer y firmar el contrato</a>" in needs
    assert "Su solicitud en “Convocatoria uno” fue devuelta para cambios" in needs
    assert "Convocatoria de propuestas abierta: “Convocatoria dos”" in needs
    late = timezone.localdate() - datetime.timedelta(days=3)
    months = "ene feb mar abr may jun jul ago sep oct nov dic".split()
    assert f"Antes del {late.day} {months[late.month - 1]} {late.year}</strong> — 3 días de retraso" in needs
    assert "quedan 12 días" in needs
    # Overdue is still marked when the words are Spanish (it was read from the English words once).
    overdue = re.findall(r'<li class="need need-flag( need-overdue)?">', needs)
    assert sorted(overdue) == ["", " need-overdue"]


def test_the_decision_grid_is_in_spanish(busy_school, client_for):
    page = client_for(busy_school).get(reverse("home"), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Decisiones que toma esta escuela: 1 de" in page
    assert '<span class="status status-held">Vigente</span>' in page
    assert ">Personal <span" in page and ">Presupuesto <span" in page
    assert "Hoy es " in page


def test_the_same_home_in_english_is_unchanged(busy_school, client_for):
    page = client_for(busy_school).get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Performance contract 2026-27 to 2027-28, version 1: waiting for your signature" in page
    assert "3 days overdue" in page and "12 days left" in page
    assert '<span class="status status-held">Held</span>' in page


@pytest.fixture
def liaison(school, make_member):
    """A liaison whose caseload holds the school, with a flag overdue and one due later."""
    person = make_member(Role.LIAISON, first_name="Luis", last_name="Mora")
    school.liaison = person
    school.save(update_fields=["liaison"])
    contract = proposed_contract(school, admin=admin_user())
    open_flag(school, contract=contract, days_left=-2, deficiency="Asistencia: 80 %, meta 90 %.")
    open_flag(school, contract=contract, days_left=9, deficiency="Lectura: 40, meta 50.")
    return person


@pytest.mark.parametrize("page", ["home", "caseload"])
def test_the_liaisons_home_and_caseload_are_spanish(liaison, school, page):
    url = reverse("home") if page == "home" else reverse("liaison_caseload", args=[liaison.pk])
    assert english_left(url, as_user=liaison, data=(school.name, "Luis Mora")) == []


def test_the_liaisons_flags_keep_their_overdue_mark_in_spanish(liaison, client_for):
    page = client_for(liaison).get(reverse("home"), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert re.findall(r'<li class="need need-flag( need-overdue)?">', page) == [" need-overdue", ""]
    assert "2 días de retraso" in page and "quedan 9 días" in page


def test_a_person_without_a_role_is_welcomed_in_spanish(db):
    person = UserFactory(first_name="Eva", last_name="Sol")
    assert english_left(reverse("home"), as_user=person, data=("Eva Sol",)) == []
