"""The support pages a principal reads are in Spanish: the catalog is complete and compiled, and no English is
left on a Spanish page. The district below is named and written in Spanish (schools, networks, people, what
they typed), so whatever English is left on a page comes from the product, never from the data."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from schools.models import NetworkKind, Role
from support.models import (
    FocusArea,
    Milestone,
    MilestoneKind,
    OptOutAllowance,
    PartnershipEntry,
    SupportCategory,
    SurveyCycle,
    TeamSeat,
)
from support.services.networks_opt_outs import service_opt_out_record
from support.services.support_request_steps import STEP_SERVICES
from support.services.support_requests import support_request_create
from tests.factories import MembershipFactory, SchoolFactory, UserFactory
from tests.support.networks_world import department_staff, network, window_open, years_now_and_next
from tests.support.surveys_world import admin_user, closed_cycle, networks_with, open_cycle
from tests.translation_kit import assert_catalog_complete, english_left

pytestmark = pytest.mark.django_db

SUBJECT = "Goteras en el gimnasio"
BODY = "Cuando llueve entra agua por el techo del gimnasio."
RESOLUTION = "Se cambió la lámina del techo."
MILESTONE = "Entrega de horarios a la oficina"
NOTES = "Revisamos juntos el plan de lectura."
NEXT_STEPS = "Enviar los datos de asistencia."


@pytest.fixture(autouse=True)
def _back_to_the_sites_language():
    """A page rendered in Spanish leaves Spanish active in this thread (the locale middleware activates a
    language and nothing deactivates it outside a server); the tests that run next expect the default."""
    yield
    translation.deactivate()


@pytest.fixture
def district():
    """A school in a network with a team and an opt-out, its principal and liaison; a second network with
    places; the window to choose open; a support request resolved and waiting to be closed; an open survey;
    a milestone on the calendar; a contact in the partnership log."""
    today = timezone.localdate()
    now, following = years_now_and_next()
    window_open(following)
    home = network("Red Norte", offers="Acompañamiento y datos.")
    network("Zona de Innovación", kind=NetworkKind.INNOVATION_ZONE, capacity=3, offers="Horarios propios.")
    liaison = MembershipFactory(role=Role.LIAISON, user=UserFactory(first_name="Lucía", last_name="Pérez")).user
    school = SchoolFactory(name="Escuela Benito Juárez", code="BJ001", network=home, liaison=liaison)
    principal = MembershipFactory(
        role=Role.PRINCIPAL, school=school, user=UserFactory(first_name="Marta", last_name="Gómez")
    ).user
    finance = department_staff("finance", head=True, first_name="Jorge", last_name="Ruiz")
    TeamSeat.objects.create(network=home, department="finance", user=finance, title="Asesor financiero")
    OptOutAllowance.objects.create(network=home, department="operations", terms="La escuela contrata la limpieza.")
    service_opt_out_record(
        actor=principal, school=school, school_year=now, department="operations", reason="Limpieza propia."
    )
    category = SupportCategory.objects.create(code="reparaciones", name="Reparaciones", department="finance")
    support_request = support_request_create(
        actor=principal, school=school, category=category, subject=SUBJECT, body=BODY
    )
    STEP_SERVICES["resolve"](actor=finance, request_id=support_request.pk, expected_status="open", message=RESOLUTION)
    admin = admin_user()
    open_cycle(admin, term="Otoño", year=now, today=today)
    Milestone.objects.create(
        school_year=now, kind=MilestoneKind.SCHEDULES_DUE, title=MILESTONE, on=today + datetime.timedelta(days=5)
    )
    entry = PartnershipEntry.objects.create(
        school=school,
        liaison=liaison,
        kind="visit",
        on=today - datetime.timedelta(days=2),
        minutes=45,
        notes=NOTES,
        next_steps=NEXT_STEPS,
        next_step_due=today + datetime.timedelta(days=7),
    )
    entry.focus.set(FocusArea.objects.filter(number__in=[2, 5]))
    return {"school": school, "principal": principal, "home": home, "request": support_request, "admin": admin}


def test_the_catalog_is_complete_and_compiled():
    assert_catalog_complete("support", at_least=400)


def _urls(district) -> dict[str, str]:
    code = district["school"].code
    survey = SurveyCycle.objects.get()
    return {
        "home": reverse("support:home"),
        "network_school": reverse("support:network_school", args=[code]),
        "network_list": reverse("support:network_list"),
        "network_detail": reverse("support:network_detail", args=[district["home"].pk]),
        "school_requests": reverse("support:school_requests", args=[code]),
        "request_new": reverse("support:request_new", args=[code]),
        "request_detail": reverse("support:request_detail", args=[district["request"].pk]),
        "surveys": reverse("support:surveys"),
        "survey_answer": reverse("support:survey_answer", args=[survey.pk, code]),
        "calendar": reverse("support:calendar"),
        "partnership_log": reverse("support:partnership_log", args=[code]),
    }


PAGES = [
    "home",
    "network_school",
    "network_list",
    "network_detail",
    "school_requests",
    "request_new",
    "request_detail",
    "surveys",
    "survey_answer",
    "calendar",
    "partnership_log",
]


@pytest.mark.parametrize("page", PAGES)
def test_a_principals_support_page_is_in_spanish(district, page):
    assert not english_left(_urls(district)[page], as_user=district["principal"])


def test_the_requests_record_is_in_the_readers_language(client, district):
    """The reasons the product writes on the record (where the request went, the rating it was closed with)
    are kept as written, in the site's language, and read in the reader's; the comment stays as typed."""
    support_request = district["request"]
    STEP_SERVICES["close"](
        actor=district["principal"],
        request_id=support_request.pk,
        expected_status="resolved",
        rating=4,
        comment="Rápido y claro.",
    )
    assert support_request.events.get(action="create").reason == "Assigned to Jorge Ruiz."
    client.force_login(district["principal"])
    url = reverse("support:request_detail", args=[support_request.pk])
    spanish = client.get(url, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Asignada a Jorge Ruiz." in spanish
    assert "Valorada con 4 de 5. Rápido y claro." in spanish
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Assigned to Jorge Ruiz." in english
    assert "Rated 4 of 5. Rápido y claro." in english


def test_the_results_of_a_closed_survey_are_in_spanish(district):
    """Seven schools answered in one network and two in another: the second's figures are hidden, and
    so is the first's (a hidden network's figure could be worked out from the district's total)."""
    _, pairs = networks_with(7, 2)
    cycle = closed_cycle(district["admin"], [*pairs, (district["school"], district["principal"])], term="Primavera")
    url = reverse("support:survey_results", args=[cycle.pk])
    assert not english_left(url, as_user=district["principal"])


def test_the_pages_in_english_are_still_english(client, district):
    client.force_login(district["principal"])
    urls = _urls(district)
    detail = client.get(urls["request_detail"], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "If the request is dealt with, close it and say how well you were served." in detail
    network_page = client.get(urls["network_school"], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Services the school runs itself" in network_page


def test_the_calendar_feed_stays_in_the_sites_language(client, district):
    """The feed is a file a calendar app fetches, not a page: whatever language the fetcher asks for, its
    events read the same."""
    client.force_login(district["principal"])
    made = client.post(reverse("support:calendar_feed_make"), HTTP_ACCEPT_LANGUAGE="es")
    feed_url = made.context["new_address"]["https"]
    client.logout()
    feed = client.get(feed_url, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Network choice for" in feed
    assert "Elección de red" not in feed
