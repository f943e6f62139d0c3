"""A workflow step as an endpoint: validate what was sent, then call the step's service with the status
the caller saw. The viewset asks its policy first and answers with the object's detail after."""

from collections.abc import Callable
from typing import NamedTuple

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request


class Step(NamedTuple):
    """What one step reads (`input`), the service that takes it, and the fields of the input passed on."""

    input: type[serializers.Serializer]
    service: Callable
    fields: tuple[str, ...] = ()


def step_endpoint(input_class: type[serializers.Serializer], answer: type[serializers.Serializer], **options):
    """Makes a viewset method the endpoint of a step on one object (a workflow step, a reviewer's comment):
    a POST that reads `input_class` and answers with the object's detail (`answer`), documented so.
    `options` go to DRF's `action` (a `url_path` where the step's name is a Python keyword)."""

    def decorate(view: Callable) -> Callable:
        endpoint = action(detail=True, methods=["post"], **options)(view)
        return extend_schema(request=input_class, responses={200: answer})(endpoint)

    return decorate


def valid_input(serializer_class: type[serializers.Serializer], request: Request, *, context=None) -> dict:
    """What was sent, checked by the serializer; 400 naming each field otherwise."""
    serializer = serializer_class(data=request.data, context=context or {})
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def step_take(request: Request, step: Step, *, context=None, **row) -> None:
    """Takes the step on the row named by `row` (`flag_id=…`, `contract_id=…`); a field left out of the
    input reaches the service as None, and without `expected_status` the service does not check it."""
    data = valid_input(step.input, request, context=context)
    step.service(
        actor=request.user,
        expected_status=data.get("expected_status"),
        **row,
        **{field: data.get(field) for field in step.fields},
    )
