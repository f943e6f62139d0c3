"""The schools app's words that principals read (the kinds of network) in Spanish."""

from django.utils import translation

from schools.models import NetworkKind
from tests.translation_kit import assert_catalog_complete


def test_the_catalog_is_complete_and_compiled():
    assert_catalog_complete("schools", at_least=4)


def test_a_network_kind_reads_in_the_readers_language():
    with translation.override("es"):
        assert str(NetworkKind.INNOVATION_ZONE.label) == "Zona de innovación"
    assert str(NetworkKind.INNOVATION_ZONE.label) == "Innovation zone"
