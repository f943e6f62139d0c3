"""The shared pieces of every signed-in page in Spanish: the layout (base.html) marked with the page's
language and translated, the navigation kept per language, and cached fragments kept per language."""

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy

from core.navigation import nav_cache_info, nav_html
from core.notifications import notify
from core.versions import fragment
from schools.models import Role
from tests.translation_kit import assert_catalog_complete, english_left

pytestmark = pytest.mark.django_db


def _page(client, url: str, language: str) -> str:
    return client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()


@pytest.mark.parametrize(("app", "at_least"), [("sgs_portal", 100), ("core", 10)])
def test_the_catalogs_are_complete_and_compiled(app, at_least):
    assert_catalog_complete(app, at_least=at_least)


def test_the_inbox_is_spanish(make_member, client_for):
    user = make_member(Role.LIAISON, first_name="Ana", last_name="Ruiz")
    notify(users=[user], key="uno", title="Solicitud aprobada", body="Escuela Uno.")
    page = _page(client_for(user), reverse("inbox"), "es")
    assert ">Marcar como leída</button>" in page and ">Marcar todo como leído</button>" in page
    assert english_left(reverse("inbox"), as_user=user, data=("Ana Ruiz",)) == []


@pytest.mark.parametrize(("language", "marked"), [("es", "es"), ("en", "en"), ("fr", "en")])
def test_the_layout_is_marked_with_the_pages_language(make_member, client_for, language, marked):
    client = client_for(make_member(Role.LIAISON))
    assert f'<html lang="{marked}">' in _page(client, reverse("inbox"), language)


def test_the_layout_and_the_navigation_are_spanish(school, make_member, client_for):
    principal = make_member(Role.PRINCIPAL, school=school, first_name="Ana", last_name="Ruiz")
    page = _page(client_for(principal), reverse("inbox"), "es")
    spanish = ["Saltar al contenido principal", ">Salir</button>", ">Mensajes", "(su cuenta)", "Informes públicos"]
    assert all(words in page for words in spanish)
    for label in ["Inicio", "Solicitudes", "Decisiones", "Contratos", "Presupuesto", "Convocatorias", "Catálogo"]:
        assert f">{label}</a>" in page
    assert '<nav aria-label="Principal">' in page
    assert english_left(reverse("inbox"), as_user=principal, data=("Ana Ruiz",)) == []


def test_the_office_tools_menu_is_spanish(make_member, client_for):
    admin = make_member(Role.ADMIN)
    page = _page(client_for(admin), reverse("inbox"), "es")
    assert 'Herramientas<span class="visually-hidden"> de la oficina</span>' in page
    assert ">Informe para la junta</a>" in page and ">Convocatorias de propuestas</a>" in page


def test_the_navigation_is_kept_per_language_and_never_shown_in_the_other():
    """The same links in two languages are two entries of the memo: English, Spanish, then English again
    (from the memo) each shows its own words, and the current page is still marked."""
    links = [("autonomy:catalog", gettext_lazy("Catalog")), ("home", gettext_lazy("Home"))]  # this test's own order
    catalog = reverse("autonomy:catalog")
    before = nav_cache_info()
    with translation.override("en"):
        english = nav_html(links, [], catalog)
    with translation.override("es"):
        spanish = nav_html(links, [], catalog)
    with translation.override("en"):
        again = nav_html(links, [], catalog)
    after = nav_cache_info()
    assert (after.misses - before.misses, after.hits - before.hits) == (2, 1)
    assert f'<a href="{catalog}" aria-current="page">Catalog</a>' in english and ">Home</a>" in english
    assert f'<a href="{catalog}" aria-current="page">Catálogo</a>' in spanish and ">Inicio</a>" in spanish
    assert again == english


def test_a_person_switching_language_sees_the_navigation_in_each(school, make_member, client_for):
    client = client_for(make_member(Role.PRINCIPAL, school=school))
    url = reverse("autonomy:request_list")
    assert f'<a href="{url}" aria-current="page">Requests</a>' in _page(client, url, "en")
    assert f'<a href="{url}" aria-current="page">Solicitudes</a>' in _page(client, url, "es")
    again = _page(client, url, "en")
    assert ">Solicitudes<" not in again and ">Inicio<" not in again and ">Home</a>" in again


def test_a_fragment_is_kept_per_language(settings):
    """A fragment may hold words: one built for a Spanish page is never given to an English one."""
    settings.CACHE_FRAGMENTS = True
    built = []

    def build():
        built.append(translation.get_language())
        return translation.gettext("Log out")

    with translation.override("en"):
        assert fragment("words", ("things",), (), build) == "Log out"
    with translation.override("es"):
        assert fragment("words", ("things",), (), build) == "Salir"
        assert fragment("words", ("things",), (), build) == "Salir"
    with translation.override("en"):
        assert fragment("words", ("things",), (), build) == "Log out"
    assert built == ["en", "es"]


def test_the_workflows_refusals_name_the_object_in_the_pages_language():
    """The transition kernel's sentences put the workflow's noun in the page's language, with its article."""
    from autonomy.models import AutonomyRequest, RequestStatus
    from autonomy.workflows import REQUEST_WORKFLOW

    draft = AutonomyRequest(status=RequestStatus.SUBMITTED)
    with translation.override("en"):
        assert REQUEST_WORKFLOW.not_open(draft).reason == "This request is submitted: that step is not open now."
    with translation.override("es"):
        reason = REQUEST_WORKFLOW.not_open(draft).reason
    assert reason == "Ese paso no está abierto ahora (estado de la solicitud: enviada)."
