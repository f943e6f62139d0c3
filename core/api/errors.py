"""One error shape for every API answer that is not a success:

    {"error": "<code>", "detail": "<a sentence for a person>", "fields": {"<field or row>": ["…"]}}

Service errors (ApplicationError, NotPermitted, Conflict) and DRF's own exceptions both end here, and
so do 404s and 500s under /api/ (see sgs_portal/urls.py), so a script never has to parse HTML.
"""

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import Http404, JsonResponse
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core.errors import ApplicationError


class ErrorSerializer(serializers.Serializer):
    """Documents the shape in the schema."""

    error = serializers.CharField(help_text="A stable code: invalid, not_found, not_permitted, conflict, throttled…")
    detail = serializers.CharField(help_text="What went wrong, in plain words.")
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Messages per field; for bulk rows, keyed `rows.<index>` or `rows.<index>.<field>`.",
    )


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "too_large"
    default_detail = "The request is too large."


def error_body(code: str, detail: str, fields: dict | None = None) -> dict:
    return {"error": code, "detail": detail, "fields": fields or {}}


def _flatten(detail, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested validation detail → {"field": [...], "rows.3.value": [...]}."""
    flat: dict[str, list[str]] = {}
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = "" if key == "non_field_errors" and not prefix else str(key)
            flat.update(_flatten(value, f"{prefix}.{name}" if prefix and name else prefix or name))
    elif isinstance(detail, list) and detail and all(isinstance(item, str) for item in detail):
        flat.setdefault(prefix, []).extend(str(item) for item in detail)
    elif isinstance(detail, list):
        for index, value in enumerate(detail):
            if value:
                flat.update(_flatten(value, f"{prefix}.{index}" if prefix else str(index)))
    else:
        flat.setdefault(prefix, []).append(str(detail))
    return flat


def api_exception_handler(exc, context):
    if isinstance(exc, ApplicationError):
        return _respond(exc.http_status, error_body(exc.code, exc.message, exc.fields))
    if isinstance(exc, RequestDataTooBig):
        exc = PayloadTooLarge("The request body is too large; send fewer rows per request.")
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        fields = _flatten(exc.detail)
        general = fields.pop("", [])
        detail = " ".join(general) or "Nothing was saved: check the fields named in `fields`."
        response.data = error_body("invalid", detail, fields)
    else:
        code = exc.get_codes() if isinstance(exc.get_codes(), str) else "error"
        response.data = error_body(code, str(exc.detail))
    return response


def _respond(status_code: int, body: dict) -> Response:
    return Response(body, status=status_code)


def api_not_found(request, exception=None):
    return JsonResponse(error_body("not_found", "No such resource."), status=404)


def api_server_error(request):
    return JsonResponse(
        error_body("server_error", "Something went wrong on our side; it has been logged. Try again later."),
        status=500,
    )
