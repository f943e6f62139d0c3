"""The measures student-based budgeting writes for every school (budgeting.services.budget_metrics), so that
contracts can hold benchmarks on them and earned Money autonomies can name them as criteria."""

from decimal import Decimal

from django.db import migrations

CATALOG = [
    # code, name, unit, direction, category, min, max, description, extra display fields
    ("per_pupil_funding", "Formula funding per pupil", "currency", "higher", "financial", 0, 100000,
     "The school's final formula allocation divided by its enrolled students.", {}),
    ("percent_of_formula", "Percent of formula funding", "percent", "higher", "financial", 0, 200,
     "The final allocation as a share of what the formula alone gives, after the transition rule.", {}),
    ("discretionary_share", "Discretionary share of the budget", "percent", "higher", "financial", 0, 100,
     "Share of the school's planned spending in categories the school decides.", {}),
    ("budget_plan_days_late", "Days the budget plan was late", "count", "lower", "financial", 0, 366,
     "Days between the due date and the first submission of a balanced budget plan (0: on time).",
     {"count_noun": "day", "count_noun_plural": "days"}),
]


def add_catalog(apps, schema_editor):
    Metric = apps.get_model("metrics", "Metric")
    taken = set(Metric.objects.values_list("code", flat=True))
    Metric.objects.bulk_create(
        Metric(
            code=code, name=name, unit=unit, direction=direction, category=category,
            data_source="Student-based budgeting", min_value=Decimal(low), max_value=Decimal(high),
            description=description, **extra,
        )
        for code, name, unit, direction, category, low, high, description, extra in CATALOG
        if code not in taken
    )


def remove_catalog(apps, schema_editor):
    Metric = apps.get_model("metrics", "Metric")
    Metric.objects.filter(code__in=[row[0] for row in CATALOG], observations__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("metrics", "0006_metric_display")]
    operations = [migrations.RunPython(add_catalog, remove_catalog)]
