"""Reads of the metrics app."""

from django.db.models import QuerySet

from metrics.models import Metric


def metrics_for_import_help() -> QuerySet[Metric]:
    """The catalog as the import page lists it: the codes a file may use, their ranges and how a value
    reads on the pages."""
    return Metric.objects.order_by("code").only(
        "code", "name", "unit", "min_value", "max_value", "precision", "count_noun", "count_noun_plural"
    )
