"""Every boolean the API reads is a JSON true or false: "yes", "on", 1 or "true" are refused, naming the field."""

import importlib
import inspect
import pkgutil

import pytest
from django.apps import apps
from rest_framework import serializers

from autonomy.models import ReviewComment
from core.api.fields import StrictBooleanField
from schools.models import Role
from tests.world import build_world


def _api_serializers():
    for config in apps.get_app_configs():
        try:
            package = importlib.import_module(f"{config.name}.api")
        except ModuleNotFoundError:
            continue
        if not hasattr(package, "__path__"):  # a module named api (django.contrib.messages.api), not ours
            continue
        for module_info in pkgutil.iter_modules(package.__path__):
            module = importlib.import_module(f"{package.__name__}.{module_info.name}")
            for _, cls in inspect.getmembers(module, inspect.isclass):
                if issubclass(cls, serializers.Serializer) and cls.__module__ == module.__name__:
                    yield cls


# Serializers that only describe an answer (never read from a request).
OUTPUT_ONLY = {"accountability.api.runs.RunPreviewSerializer"}


def _fields(serializer: type[serializers.Serializer]) -> dict:
    if issubclass(serializer, serializers.ModelSerializer):
        return serializer().get_fields()  # the fields generated from the model too
    return serializer._declared_fields


def test_every_boolean_an_api_serializer_reads_is_strict():
    loose = []
    checked = 0
    for serializer in _api_serializers():
        path = f"{serializer.__module__}.{serializer.__name__}"
        if path in OUTPUT_ONLY:
            continue
        for name, field in _fields(serializer).items():
            if isinstance(field, serializers.BooleanField) and not field.read_only:
                checked += 1
                if not isinstance(field, StrictBooleanField):
                    loose.append(f"{path}.{name}")
    assert checked, "no boolean input found: the walk above finds nothing"
    assert loose == []


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["yes", "true", "on", 1, 0, "false", None])
def test_a_comment_sent_to_the_school_needs_a_json_boolean(api_for, value):
    world = build_world()
    request = world["requests"][True]
    client = api_for(world["users"][Role.ADMIN])
    response = client.post(
        f"/api/v1/requests/{request.pk}/comment/", {"body": "Add a timeline.", "to_school": value}, format="json"
    )
    assert response.status_code == 400, response.content
    assert "to_school" in response.json()["fields"]
    assert not ReviewComment.objects.filter(request=request, body="Add a timeline.").exists()
    accepted = client.post(
        f"/api/v1/requests/{request.pk}/comment/", {"body": "Add a timeline.", "to_school": True}, format="json"
    )
    assert accepted.status_code == 200 and ReviewComment.objects.get(request=request, body="Add a timeline.").to_school
