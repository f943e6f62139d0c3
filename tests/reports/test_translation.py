"""The public pages in Spanish: every string of the reports' catalog is translated, the compiled catalog
matches the source, and no English string of the catalog is left on a page rendered in Spanish."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import SchoolFactory
from tests.reports.public_world import public_world, service_survey
from tests.translation_kit import assert_catalog_complete, po_entries

PLACEHOLDER = re.compile(r"%\(\w+\)s")


def source_entries() -> dict[str, str]:
    return po_entries("reports")


def english_fragments(msgid: str) -> list[str]:
    """The parts of a msgid a page would show as they are: between placeholders, of two words or more."""
    parts = [part.strip(" .,:;()“”") for part in PLACEHOLDER.split(msgid)]
    return [part for part in parts if len(part.split()) >= 2]


def test_every_string_is_translated_and_compiled():
    assert_catalog_complete("reports", at_least=80)


@pytest.fixture
def world(db, django_capture_on_commit_callbacks):
    """The public district with a closed survey of central office (a network shown, one masked), and a
    school in no network."""
    world = service_survey(public_world(), execute_on_commit=django_capture_on_commit_callbacks)
    world["no_network"] = SchoolFactory(network=None)
    return world


def public_pages(world) -> list[str]:
    return [
        reverse("reports:register"),
        reverse("reports:register") + "?domain=weather",  # the 400 page, with the form's errors
        reverse("reports:school", args=[world["own"].code]),
        reverse("reports:school", args=[world["drafted"].code]),
        reverse("reports:autonomy", args=["people.hiring"]),
        reverse("reports:autonomy", args=["time.schedule"]),
        reverse("reports:central_office"),
        reverse("reports:school", args=[world["west_pairs"][0][0].code]),  # its network's service scores
        reverse("reports:school", args=[world["no_network"].code]),  # no network: said in words
    ]


def visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_no_english_string_of_the_catalog_is_left_on_a_spanish_page(world):
    fragments = {f for msgid in source_entries() for f in english_fragments(msgid)}
    client = Client(HTTP_ACCEPT_LANGUAGE="es")
    for url in public_pages(world):
        response = client.get(url)
        assert response.status_code in (200, 400), url
        html = response.content.decode()
        assert '<html lang="es">' in html
        text = visible_text(html)
        left = sorted(f for f in fragments if f in text)
        assert not left, f"English left on {url}: {left}"


def test_the_english_page_has_those_strings(world):
    """The search can fail: in English the same pages show the catalog's strings."""
    text = visible_text(Client().get(reverse("reports:register")).content.decode())
    assert "Filter the register" in text and "Skip to main content" in text


def test_the_language_switch_remembers_the_choice(world):
    client = Client()
    response = client.post(reverse("reports:language"), {"language": "es", "next": reverse("reports:register")})
    assert response.status_code == 302 and response["Location"] == reverse("reports:register")
    page = client.get(reverse("reports:register")).content.decode()
    assert "Registro de autonomías" in page
    client.post(reverse("reports:language"), {"language": "en", "next": reverse("reports:register")})
    assert "Autonomy Register" in client.get(reverse("reports:register")).content.decode()
