"""The default metrics catalog: what districts already keep across academics, finance and people."""

from decimal import Decimal

from django.db import migrations

CATALOG = [
    # code, name, unit, direction, category, source, min, max, description
    ("ela_proficiency", "Proficiency in ELA", "percent", "higher", "academic", "State assessment", 0, 100,
     "Share of tested students scoring proficient or above in English language arts."),
    ("math_proficiency", "Proficiency in math", "percent", "higher", "academic", "State assessment", 0, 100,
     "Share of tested students scoring proficient or above in mathematics."),
    ("growth_percentile", "Median growth percentile", "rating", "higher", "academic", "State assessment", 1, 99,
     "Median student growth percentile across ELA and math."),
    ("chronic_absenteeism", "Chronic absenteeism", "percent", "lower", "academic", "Student information system",
     0, 100, "Share of students missing 10% or more of school days."),
    ("graduation_rate", "Four-year graduation rate", "percent", "higher", "academic",
     "Student information system", 0, 100, "High schools only."),
    ("teacher_vacancies_first_day", "Teacher vacancies on the first day", "count", "lower", "people",
     "HR information system", 0, 500, "Unfilled teaching positions on the first day of school."),
    ("teacher_retention", "Teacher retention", "percent", "higher", "people", "HR information system", 0, 100,
     "Share of last year's effective teachers who returned."),
    ("budget_variance", "Budget variance", "percent", "lower", "financial", "Finance system", 0, 100,
     "Absolute difference between budgeted and actual spending, as a share of the budget."),
    ("finance_rating", "Finance evaluation rating", "rating", "higher", "financial", "Finance office review",
     1, 5, "The principal's rating on the finance part of the evaluation (1-5)."),
    ("audit_findings", "Audit findings", "count", "lower", "financial", "Internal audit", 0, 100,
     "Material findings in the latest school audit."),
    ("family_satisfaction", "Family satisfaction", "percent", "higher", "organizational", "Family survey", 0, 100,
     "Share of families who would recommend the school."),
]


def add_catalog(apps, schema_editor):
    Metric = apps.get_model("metrics", "Metric")
    taken = set(Metric.objects.values_list("code", flat=True))
    Metric.objects.bulk_create(
        Metric(
            code=code, name=name, unit=unit, direction=direction, category=category, data_source=source,
            min_value=Decimal(low), max_value=Decimal(high), description=description,
        )
        for code, name, unit, direction, category, source, low, high, description in CATALOG
        if code not in taken
    )


def remove_catalog(apps, schema_editor):
    Metric = apps.get_model("metrics", "Metric")
    Metric.objects.filter(code__in=[row[0] for row in CATALOG], observations__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("metrics", "0001_initial")]
    operations = [migrations.RunPython(add_catalog, remove_catalog)]
