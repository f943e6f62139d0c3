"""The district's own words in the reader's language (core.translated): a text reads in the active language
when the district wrote it and in English otherwise; queries, saving and edit forms keep to the English."""

import pytest
from django.core.checks import Error
from django.db import connection, models
from django.forms import model_to_dict
from django.test.utils import CaptureQueriesContext, isolate_apps
from django.utils import translation

from autonomy.models import Autonomy
from core.translated import TranslatedCharField, check_translation_columns, english, stored, translated_fields
from metrics.models import Metric
from support.models import SurveyCycle

pytestmark = pytest.mark.django_db

HIRING = "people.hiring"


def test_a_text_reads_in_the_active_language_and_in_english_without_a_translation():
    entry = Autonomy.objects.get(code=HIRING)
    entry.name, entry.name_es = "Hire and dismiss staff", "Contratar y despedir al personal"
    entry.district_keeps, entry.district_keeps_es = "The salary schedule.", ""

    with translation.override("es"):
        assert entry.name == "Contratar y despedir al personal"
        assert str(entry) == "Contratar y despedir al personal"
        assert entry.district_keeps == "The salary schedule."  # none written: the English
        assert english(entry, "name") == stored(entry, "name") == "Hire and dismiss staff"
    with translation.override("en"):
        assert entry.name == "Hire and dismiss staff"


def test_saving_and_forms_keep_to_the_english_whatever_the_language():
    entry = Autonomy.objects.get(code=HIRING)
    entry.name_es = "Contratar y despedir al personal"
    entry.save()
    with translation.override("es"):
        assert model_to_dict(entry)["name"] == "Hire and dismiss staff"
        entry.description = "Full say over hiring."  # an assignment is always the English
        entry.save()
        Autonomy.objects.filter(pk=entry.pk).update(display_order=3)  # a query never sees the Spanish
        assert Autonomy.objects.filter(name="Hire and dismiss staff").exists()
    row = Autonomy.objects.values("name", "name_es", "description").get(pk=entry.pk)
    assert row == {
        "name": "Hire and dismiss staff",
        "name_es": "Contratar y despedir al personal",
        "description": "Full say over hiring.",
    }


def test_a_translation_left_out_of_a_query_reads_as_english_without_another_query():
    Autonomy.objects.filter(code=HIRING).update(name_es="Contratar y despedir al personal")
    entry = Autonomy.objects.only("code", "name").get(code=HIRING)
    with translation.override("es"), CaptureQueriesContext(connection) as queries:
        assert entry.name == "Hire and dismiss staff"
    assert len(queries) == 0


def test_the_translated_texts_of_each_model():
    assert translated_fields(Autonomy) == [
        "name",
        "description",
        "school_decides",
        "district_keeps",
        "retention_expectations",
    ]
    assert translated_fields(Metric) == ["name", "description", "count_noun", "count_noun_plural"]
    assert translated_fields(SurveyCycle) == ["term"]


def test_the_default_catalog_and_metrics_come_with_their_spanish():
    with translation.override("es"):
        assert Autonomy.objects.get(code=HIRING).name == "Contratar y despedir al personal"
        vacancies = Metric.objects.get(code="teacher_vacancies_first_day")
        assert (vacancies.name, vacancies.count_noun_plural) == ("Vacantes docentes el primer día", "vacantes")
    assert not Autonomy.objects.filter(name_es="").exists()
    assert not Metric.objects.filter(name_es="").exists()


def test_every_translated_text_of_the_portal_has_its_columns():
    assert check_translation_columns(None) == []


@isolate_apps("core")
def test_a_translated_text_without_its_spanish_column_is_refused_by_the_check(monkeypatch):
    class Leaflet(models.Model):
        title = TranslatedCharField(max_length=100)
        title_es = models.CharField(max_length=50, blank=True)  # shorter than the English

        class Meta:
            app_label = "core"

        def __str__(self):
            return self.title

    monkeypatch.setattr("core.translated.apps.get_models", lambda: [Leaflet])
    errors = check_translation_columns(None)
    assert [(e.id, e.msg) for e in errors] == [
        ("core.E010", "core.Leaflet.title is translated but has no fitting title_es.")
    ]
    assert all(isinstance(e, Error) for e in errors)
