"""The default metrics' names, descriptions and count nouns in Spanish, for the metrics that still read as
the defaults (a district that renamed one keeps its own words, and writes the Spanish in the admin)."""

from django.db import migrations

# code: {English field: (English text, Spanish text)}
SPANISH = {
    "audit_findings": {
        "name": ("Audit findings", "Hallazgos de auditoría"),
        "description": (
            "Material findings in the latest school audit.",
            "Hallazgos importantes en la auditoría más reciente de la escuela.",
        ),
        "count_noun": ("finding", "hallazgo"),
        "count_noun_plural": ("findings", "hallazgos"),
    },
    "budget_plan_days_late": {
        "name": ("Days the budget plan was late", "Días de retraso del plan de presupuesto"),
        "description": (
            "Days between the due date and the first submission of a balanced budget plan (0: on time).",
            "Días entre la fecha límite y la primera entrega de un plan de presupuesto equilibrado (0: a tiempo).",
        ),
        "count_noun": ("day", "día"),
        "count_noun_plural": ("days", "días"),
    },
    "budget_variance": {
        "name": ("Budget variance", "Desviación presupuestaria"),
        "description": (
            "Absolute difference between budgeted and actual spending, as a share of the budget.",
            "Diferencia absoluta entre el gasto presupuestado y el real, como porcentaje del presupuesto.",
        ),
    },
    "chronic_absenteeism": {
        "name": ("Chronic absenteeism", "Ausentismo crónico"),
        "description": (
            "Share of students missing 10% or more of school days.",
            "Porcentaje de estudiantes que faltan al 10 % o más de los días de clase.",
        ),
    },
    "discretionary_share": {
        "name": ("Discretionary share of the budget", "Parte discrecional del presupuesto"),
        "description": (
            "Share of the school's planned spending in categories the school decides.",
            "Porcentaje del gasto previsto de la escuela en categorías que decide la escuela.",
        ),
    },
    "ela_proficiency": {
        "name": ("Proficiency in ELA", "Dominio en lengua y literatura en inglés"),
        "description": (
            "Share of tested students scoring proficient or above in English language arts.",
            "Porcentaje de estudiantes evaluados con nivel competente o superior en lengua y literatura en inglés.",
        ),
    },
    "family_satisfaction": {
        "name": ("Family satisfaction", "Satisfacción de las familias"),
        "description": (
            "Share of families who would recommend the school.",
            "Porcentaje de familias que recomendarían la escuela.",
        ),
    },
    "finance_rating": {
        "name": ("Finance evaluation rating", "Calificación de la evaluación financiera"),
        "description": (
            "The principal's rating on the finance part of the evaluation (1-5).",
            "La calificación de la dirección de la escuela en la parte financiera de la evaluación (1-5).",
        ),
    },
    "graduation_rate": {
        "name": ("Four-year graduation rate", "Tasa de graduación en cuatro años"),
        "description": ("High schools only.", "Solo escuelas secundarias."),
    },
    "growth_percentile": {
        "name": ("Median growth percentile", "Percentil mediano de crecimiento"),
        "description": (
            "Median student growth percentile across ELA and math.",
            "Percentil mediano de crecimiento de los estudiantes en lengua y literatura en inglés y matemáticas.",
        ),
    },
    "math_proficiency": {
        "name": ("Proficiency in math", "Dominio en matemáticas"),
        "description": (
            "Share of tested students scoring proficient or above in mathematics.",
            "Porcentaje de estudiantes evaluados con nivel competente o superior en matemáticas.",
        ),
    },
    "per_pupil_funding": {
        "name": ("Formula funding per pupil", "Financiamiento por estudiante según la fórmula"),
        "description": (
            "The school's final formula allocation divided by its enrolled students.",
            "La asignación final de la escuela según la fórmula, dividida entre sus estudiantes matriculados.",
        ),
    },
    "percent_of_formula": {
        "name": ("Percent of formula funding", "Porcentaje del financiamiento por fórmula"),
        "description": (
            "The final allocation as a share of what the formula alone gives, after the transition rule.",
            "La asignación final como porcentaje de lo que da la fórmula sola, después de la regla de transición.",
        ),
    },
    "teacher_retention": {
        "name": ("Teacher retention", "Retención de docentes"),
        "description": (
            "Share of last year's effective teachers who returned.",
            "Porcentaje de los docentes eficaces del año pasado que volvieron.",
        ),
    },
    "teacher_vacancies_first_day": {
        "name": ("Teacher vacancies on the first day", "Vacantes docentes el primer día"),
        "description": (
            "Unfilled teaching positions on the first day of school.",
            "Puestos docentes sin cubrir el primer día de clases.",
        ),
        "count_noun": ("vacancy", "vacante"),
        "count_noun_plural": ("vacancies", "vacantes"),
    },
}


def spanish_add(apps, schema_editor):
    Metric = apps.get_model("metrics", "Metric")
    for metric in Metric.objects.filter(code__in=SPANISH):
        changed = []
        for field, (english, spanish) in SPANISH[metric.code].items():
            column = f"{field}_es"
            if getattr(metric, field) == english and not getattr(metric, column):
                setattr(metric, column, spanish)
                changed.append(column)
        if changed:
            metric.save(update_fields=changed)


class Migration(migrations.Migration):
    dependencies = [("metrics", "0009_metric_in_spanish")]

    operations = [migrations.RunPython(spanish_add, migrations.RunPython.noop)]
