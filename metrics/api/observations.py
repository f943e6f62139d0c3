"""Observations through the API: the values of the schools you see, filtered by school, metric and
period; and a bulk push of up to API_BULK_MAX_ROWS rows in one call, imported exactly as a CSV file is
(the same checks, all or nothing, a re-push changes nothing, a correction keeps the value it replaces).
"""

import codecs
import json

import django_filters
from django.conf import settings
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import exceptions, parsers, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api.errors import ErrorSerializer, PayloadTooLarge
from core.policies import require
from metrics.models import Observation
from metrics.policies import can_import_observations
from metrics.services import ImportReport, observations_import_records
from schools.periods import validate_school_year
from schools.policies import schools_visible_to


class ObservationSerializer(serializers.ModelSerializer):
    school = serializers.SlugRelatedField(slug_field="code", read_only=True, help_text="The school's code.")
    metric = serializers.SlugRelatedField(slug_field="code", read_only=True, help_text="The metric's code.")

    class Meta:
        model = Observation
        fields = ["id", "school", "metric", "period", "value", "n", "source", "created_at", "updated_at"]
        read_only_fields = fields


# --- the bulk push ----------------------------------------------------------------------------------

ROW_KEYS = ("school", "metric", "period", "value", "source", "n")
REQUIRED_KEYS = ROW_KEYS[:4]
# A row is about 120 bytes of JSON; this leaves room for long sources and pretty-printing, and refuses a
# body no allowed number of rows could need before a byte of it is parsed.
BYTES_PER_ROW = 1024


@extend_schema_field({"oneOf": [{"type": "string"}, {"type": "number"}]})
class NumberOrTextField(serializers.Field):
    pass


class ObservationRowSerializer(serializers.Serializer):
    """One row, as a CSV line would give it; what each value means is checked by the import. (It describes
    a row in the schema; ObservationRowsField checks the rows.)"""

    school = serializers.CharField(help_text="The school's code.")
    metric = serializers.CharField(help_text="The metric's code.")
    period = serializers.CharField(help_text="The school year, as 2025-26.")
    value = NumberOrTextField(help_text="A number, as a JSON number or a string; rounded to 4 places.")
    source = serializers.CharField(
        required=False,
        allow_null=True,
        allow_blank=True,
        help_text="Where the value comes from (at most 200 characters kept).",
    )
    n = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, help_text="How many people the value was computed on."
    )


@extend_schema_field(ObservationRowSerializer(many=True))
class ObservationRowsField(serializers.Field):
    """The rows' shape, checked in one plain pass (a serializer per row costs ~60 µs, 0.6 s for 10,000):
    each row an object with exactly the known keys, texts as strings, the value a string or a number.
    Errors are keyed by the row's index and, where it is one field, the field."""

    def to_internal_value(self, data):
        if not isinstance(data, list):
            raise serializers.ValidationError("Send the rows as a list of objects.")
        if not data:
            raise serializers.ValidationError("Send at least one row.")
        records, errors = [], {}
        for index, row in enumerate(data):
            problems = _row_problems(row)
            if problems:
                errors[index] = problems
            elif not errors:
                records.append({key: _text(row.get(key)) for key in ROW_KEYS})
        if errors:
            raise serializers.ValidationError(errors)
        return records


def _row_problems(row) -> dict[str, list[str]] | list[str]:
    if not isinstance(row, dict):
        return ["Each row is an object with the keys school, metric, period, value and, optionally, source and n."]
    problems = {
        key: ["Unknown key: a row has school, metric, period, value, source and n."]
        for key in row.keys() - set(ROW_KEYS)
    }
    for key in REQUIRED_KEYS:
        if key not in row:
            problems[key] = ["This field is required."]
    for key in ROW_KEYS:
        value = row.get(key)
        if key not in row or isinstance(value, str) or (key in ("source", "n") and value is None):
            continue
        if key == "value" and isinstance(value, (int, float)) and not isinstance(value, bool):
            continue
        if key == "n" and isinstance(value, int) and not isinstance(value, bool):
            continue
        words = {
            "value": "A number, as a JSON number or a string.",
            "n": "A whole number, as a JSON number or a string.",
        }
        problems[key] = [words.get(key, "A string.")]
    return problems


def _text(value) -> str:
    """A JSON number as the text it was written as (the import reads text, as from a CSV file)."""
    if value is None:
        return ""
    return repr(value) if isinstance(value, float) else str(value)


class ObservationBulkSerializer(serializers.Serializer):
    rows = ObservationRowsField(help_text=f"At most {settings.API_BULK_MAX_ROWS:,} rows.")


class ImportResultSerializer(serializers.Serializer):
    rows = serializers.IntegerField(help_text="Rows received.")
    created = serializers.IntegerField(help_text="New observations.")
    updated = serializers.IntegerField(help_text="Observations whose value changed; the old value is kept in history.")
    unchanged = serializers.IntegerField(help_text="Rows that were already there, as they are.")


class BulkJSONParser(parsers.BaseParser):
    """JSON read from the request's stream. DRF reads a body for its own JSONParser through request.body,
    which Django caps at DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB) for every request; 10,000 rows with long
    sources are more. The bulk endpoint checks the body's size against its own limit before parsing, so
    it reads the stream instead, and every other request keeps Django's cap."""

    media_type = "application/json"

    def parse(self, stream, media_type=None, parser_context=None):
        encoding = (parser_context or {}).get("encoding") or settings.DEFAULT_CHARSET
        try:
            return json.load(codecs.getreader(encoding)(stream), parse_constant=_refuse_constant)
        except RecursionError:
            raise exceptions.ParseError("JSON parse error - the body is nested too deeply.") from None
        except ValueError as error:
            raise exceptions.ParseError(f"JSON parse error - {error}") from None


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not a number JSON allows")


# --- listing ----------------------------------------------------------------------------------------


class ObservationFilter(django_filters.FilterSet):
    school = django_filters.CharFilter(field_name="school__code", max_length=20, help_text="The school's code.")
    metric = django_filters.CharFilter(field_name="metric__code", max_length=60, help_text="The metric's code.")
    period = django_filters.CharFilter(validators=[validate_school_year], help_text="A school year, as 2025-26.")
    period_from = django_filters.CharFilter(
        field_name="period",
        lookup_expr="gte",
        validators=[validate_school_year],
        help_text="This school year or later.",
    )
    period_to = django_filters.CharFilter(
        field_name="period",
        lookup_expr="lte",
        validators=[validate_school_year],
        help_text="This school year or earlier.",
    )

    class Meta:
        model = Observation
        fields = ["school", "metric", "period", "period_from", "period_to"]


class ObservationViewSet(viewsets.ReadOnlyModelViewSet):
    """The observed values of the schools you see: the district for central office, a liaison's
    caseload, a school's own."""

    serializer_class = ObservationSerializer
    filterset_class = ObservationFilter
    ordering_fields = ["id", "period", "value", "updated_at"]
    ordering = ["school__code", "metric__code", "period", "id"]
    lookup_value_regex = r"[0-9]{1,18}"

    def get_queryset(self):
        visible = schools_visible_to(self.request.user)
        return Observation.objects.filter(school__in=visible).select_related("school", "metric").order_by("pk")

    @extend_schema(
        request=ObservationBulkSerializer,
        responses={
            200: ImportResultSerializer,
            413: OpenApiResponse(ErrorSerializer, description="More rows, or more bytes, than one call takes."),
        },
        description="Push observations in one call, all or nothing, checked exactly as a CSV import is. A bad "
        "row refuses them all: `fields` names each bad row as `rows.<index>` (or `rows.<index>.<key>` for a "
        "key of the wrong type), counting from 0. Pushing the same rows again changes nothing.",
    )
    @action(detail=False, methods=["post"], parser_classes=[BulkJSONParser])
    def bulk(self, request):
        require(can_import_observations(request.user))
        most = settings.API_BULK_MAX_ROWS
        size = _content_length(request)
        if size > most * BYTES_PER_ROW:
            raise PayloadTooLarge(
                f"The body is {size:,} bytes; one call takes at most {most * BYTES_PER_ROW:,} bytes "
                f"({most:,} rows). Split the rows into several calls."
            )
        rows = request.data.get("rows") if isinstance(request.data, dict) else None
        if isinstance(rows, list) and len(rows) > most:
            raise PayloadTooLarge(f"{len(rows):,} rows sent; one call takes at most {most:,}. Split the rows.")
        serializer = ObservationBulkSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        report = observations_import_records(
            records=serializer.validated_data["rows"], label=_label(request), first_row=0, actor=request.user
        )
        if not report.ok:
            raise _refusal(report)
        return Response(ImportResultSerializer(report).data)


def _content_length(request) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def _label(request) -> str:
    """What an observation's history says replaced a value: who pushed it, and with which token."""
    token = getattr(request.auth, "name", "")
    who = request.user.get_username()
    return (f"API push by {who} with the token “{token}”" if token else f"API push by {who}")[:200]


def _refusal(report: ImportReport) -> exceptions.ValidationError:
    fields: dict[str, list[str]] = {}
    for error in report.errors:
        fields.setdefault(f"rows.{error.row}", []).append(error.reason)
    detail = f"Nothing was saved: {report.error_count:,} of {report.rows:,} rows are refused"
    unlisted = report.error_count - len(report.errors)
    detail += f"; the first {len(report.errors):,} are listed." if unlisted else "."
    # A top-level message becomes the answer's `detail` (core.api.errors), beside the rows in `fields`.
    return exceptions.ValidationError({"non_field_errors": [detail], **fields})
