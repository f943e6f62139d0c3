"""The district's own words in the reader's language.

A text the district writes and schools or the public read (a catalog entry's name and boundaries, a
metric's name, a survey's term) is kept in English, the portal's own language, in its column (`name`),
and in each other language of the portal in a column beside it (`name_es`), which the district fills in
where it edits the English. The English column is a `TranslatedCharField` or `TranslatedTextField`:

- reading the attribute on an instance gives the text in the active language when the district wrote
  one, and the English otherwise, so templates, `__str__` and serializers need nothing of their own;
- queries, ordering, `values()`, saving and forms use the English column only: a Spanish-reading person
  who edits the English sees and saves the English;
- `english(instance, name)` reads the English whatever the language, and `stored(instance, name)` any
  field as stored, for histories and edit forms.

A translation column that a query deferred (`only()` without it) reads as absent: the English shows, and
no query is made. A system check (below) refuses a translated field without its columns.
"""

from django.apps import apps
from django.conf import settings
from django.core.checks import Error, register
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models.query_utils import DeferredAttribute
from django.utils.translation import get_language


def other_languages() -> list[str]:
    """The portal's languages other than its own, in which the district may write its texts."""
    own = settings.LANGUAGE_CODE.split("-")[0]
    return [code for code, _name in settings.LANGUAGES if code != own]


def translation_column(name: str, language: str) -> str:
    return f"{name}_{language}"


class _InReadersLanguage(DeferredAttribute):
    def __get__(self, instance, cls=None):
        if instance is None:
            return self
        value = super().__get__(instance, cls)
        language = (get_language() or "").split("-")[0]
        if language and language != settings.LANGUAGE_CODE.split("-")[0]:
            translated = instance.__dict__.get(translation_column(self.field.attname, language))
            if translated:
                return translated
        return value

    def __set__(self, instance, value):
        # A data descriptor, so that the instance's own value never hides the reading above: assigning
        # always sets the English.
        instance.__dict__[self.field.attname] = value

    def english(self, instance):
        return super().__get__(instance, type(instance))


class _Translated:
    """The English column of a text the district may also write in the portal's other languages."""

    descriptor_class = _InReadersLanguage

    def pre_save(self, model_instance, add):
        return english(model_instance, self.attname)

    def value_from_object(self, obj):
        return english(obj, self.attname)


class TranslatedCharField(_Translated, models.CharField):
    pass


class TranslatedTextField(_Translated, models.TextField):
    pass


def english(instance: models.Model, name: str) -> str:
    """The text in English, whatever the active language."""
    return getattr(type(instance), name).english(instance)


def stored(instance: models.Model, name: str):
    """A field's value as stored: the English of a translated text, whatever the language; any other
    field's value as it reads."""
    descriptor = getattr(type(instance), name, None)
    if isinstance(descriptor, _InReadersLanguage):
        return descriptor.english(instance)
    return getattr(instance, name)


def translated_fields(model: type[models.Model]) -> list[str]:
    """The names of a model's translated texts, in the model's order."""
    return [field.name for field in model._meta.concrete_fields if isinstance(field, _Translated)]


@register()
def check_translation_columns(app_configs, **kwargs) -> list[Error]:
    """Each translated text has, for each other language, a blank-able column of its kind and length."""
    errors = []
    for model in apps.get_models():
        for name in translated_fields(model):
            field = model._meta.get_field(name)
            for language in other_languages():
                column = translation_column(name, language)
                try:
                    sibling = model._meta.get_field(column)
                except FieldDoesNotExist:
                    sibling = None
                fits = (
                    sibling is not None
                    and not isinstance(sibling, _Translated)
                    and sibling.get_internal_type() == field.get_internal_type()
                    and sibling.max_length == field.max_length
                    and sibling.blank
                )
                if not fits:
                    errors.append(
                        Error(
                            f"{model._meta.label}.{name} is translated but has no fitting {column}.",
                            hint=f"Add {column} as a blank {field.get_internal_type()} of the same length.",
                            obj=model,
                            id="core.E010",
                        )
                    )
    return errors
