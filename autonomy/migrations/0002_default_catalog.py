"""The default autonomy catalog, from sub-lever 4.1: people, time, money and program.

Editable in the admin afterwards; this migration only adds entries whose code is not taken.
"""

from django.db import migrations

CATALOG = [
    # code, domain, name, model, description
    ("people.hiring", "people", "Hire and dismiss staff", "full",
     "Full and final say over hiring and dismissal; no force-placed teachers."),
    ("people.staffing_model", "people", "Design the staffing model", "earned",
     "Choose the mix and number of positions the school's budget pays for."),
    ("people.evaluation", "people", "Run teacher evaluation and coaching", "programmatic",
     "Set the school's own observation and coaching cycle within the district framework."),
    ("time.schedule", "time", "Redesign the school schedule", "full",
     "Set the bell schedule, block lengths and the order of the school day."),
    ("time.learning_time", "time", "Add learning time", "programmatic",
     "Lengthen the school day or year for students."),
    ("time.pd_calendar", "time", "Set the professional-development calendar", "full",
     "Choose when teachers collaborate and train, including early-release days."),
    ("money.budget", "money", "Control the school budget", "earned",
     "Decide how the school's student-based allocation is spent."),
    ("money.salary", "money", "Set the salary budget line", "earned",
     "Move money between positions and other lines of the budget."),
    ("money.operations", "money", "Control the operations budget", "earned",
     "Choose suppliers and services for facilities, food and transport within policy."),
    ("money.curriculum_budget", "money", "Control the curriculum and assessment budget", "earned",
     "Spend the curriculum, materials and assessment lines as the school decides."),
    ("money.pd_budget", "money", "Control the professional-development budget", "earned",
     "Buy the training and coaching the school needs."),
    ("program.curriculum", "program", "Choose curriculum", "programmatic",
     "Adopt curriculum and materials other than the district's default."),
    ("program.assessment", "program", "Choose interim assessments", "programmatic",
     "Replace district interim assessments with the school's own, reporting the same outcomes."),
    ("program.offerings", "program", "Design program offerings", "programmatic",
     "Open or change programs: dual language, career pathways, arts, early college."),
]


def add_catalog(apps, schema_editor):
    Autonomy = apps.get_model("autonomy", "Autonomy")
    taken = set(Autonomy.objects.values_list("code", flat=True))
    Autonomy.objects.bulk_create(
        Autonomy(code=code, domain=domain, name=name, model=model, description=description, display_order=i)
        for i, (code, domain, name, model, description) in enumerate(CATALOG)
        if code not in taken
    )


def remove_catalog(apps, schema_editor):
    Autonomy = apps.get_model("autonomy", "Autonomy")
    Autonomy.objects.filter(code__in=[row[0] for row in CATALOG], grants__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("autonomy", "0001_initial")]
    operations = [migrations.RunPython(add_catalog, remove_catalog)]
