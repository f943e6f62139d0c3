"""The default catalog's names and summaries in Spanish, for the entries that still read as the defaults
(a district that renamed an entry keeps its own words, and writes the Spanish on the catalog page)."""

from django.db import migrations

# code: (English name, English summary, Spanish name, Spanish summary)
SPANISH = {
    "money.budget": (
        "Control the school budget",
        "Decide how the school's student-based allocation is spent.",
        "Controlar el presupuesto de la escuela",
        "Decidir cómo se gasta la asignación por estudiante de la escuela.",
    ),
    "money.curriculum_budget": (
        "Control the curriculum and assessment budget",
        "Spend the curriculum, materials and assessment lines as the school decides.",
        "Controlar el presupuesto de currículo y evaluación",
        "Gastar las partidas de currículo, materiales y evaluación como decida la escuela.",
    ),
    "money.operations": (
        "Control the operations budget",
        "Choose suppliers and services for facilities, food and transport within policy.",
        "Controlar el presupuesto de operaciones",
        "Elegir proveedores y servicios de instalaciones, comida y transporte dentro de las normas.",
    ),
    "money.pd_budget": (
        "Control the professional-development budget",
        "Buy the training and coaching the school needs.",
        "Controlar el presupuesto de desarrollo profesional",
        "Comprar la capacitación y el acompañamiento que la escuela necesita.",
    ),
    "money.salary": (
        "Set the salary budget line",
        "Move money between positions and other lines of the budget.",
        "Fijar la partida de salarios",
        "Mover dinero entre puestos y otras partidas del presupuesto.",
    ),
    "people.evaluation": (
        "Run teacher evaluation and coaching",
        "Set the school's own observation and coaching cycle within the district framework.",
        "Evaluar y acompañar a los docentes",
        "Fijar el ciclo propio de observación y acompañamiento de la escuela dentro del marco del distrito.",
    ),
    "people.hiring": (
        "Hire and dismiss staff",
        "Full and final say over hiring and dismissal; no force-placed teachers.",
        "Contratar y despedir al personal",
        "Decisión plena y final sobre contrataciones y despidos; ningún docente asignado sin el acuerdo de la escuela.",
    ),
    "people.staffing_model": (
        "Design the staffing model",
        "Choose the mix and number of positions the school's budget pays for.",
        "Diseñar el modelo de personal",
        "Elegir la combinación y el número de puestos que paga el presupuesto de la escuela.",
    ),
    "program.assessment": (
        "Choose interim assessments",
        "Replace district interim assessments with the school's own, reporting the same outcomes.",
        "Elegir las evaluaciones intermedias",
        "Sustituir las evaluaciones intermedias del distrito por las de la escuela, informando los mismos resultados.",
    ),
    "program.curriculum": (
        "Choose curriculum",
        "Adopt curriculum and materials other than the district's default.",
        "Elegir el currículo",
        "Adoptar un currículo y materiales distintos de los del distrito.",
    ),
    "program.offerings": (
        "Design program offerings",
        "Open or change programs: dual language, career pathways, arts, early college.",
        "Diseñar la oferta de programas",
        "Abrir o cambiar programas: lenguaje dual, itinerarios profesionales, artes, universidad temprana.",
    ),
    "time.learning_time": (
        "Add learning time",
        "Lengthen the school day or year for students.",
        "Añadir tiempo de aprendizaje",
        "Alargar la jornada o el año escolar de los estudiantes.",
    ),
    "time.pd_calendar": (
        "Set the professional-development calendar",
        "Choose when teachers collaborate and train, including early-release days.",
        "Fijar el calendario de desarrollo profesional",
        "Elegir cuándo colaboran y se capacitan los docentes, incluidos los días de salida temprana.",
    ),
    "time.schedule": (
        "Redesign the school schedule",
        "Set the bell schedule, block lengths and the order of the school day.",
        "Rediseñar el horario escolar",
        "Fijar el horario de timbres, la duración de los bloques y el orden de la jornada escolar.",
    ),
}


def spanish_add(apps, schema_editor):
    Autonomy = apps.get_model("autonomy", "Autonomy")
    for entry in Autonomy.objects.filter(code__in=SPANISH):
        name, description, name_es, description_es = SPANISH[entry.code]
        changed = []
        if entry.name == name and not entry.name_es:
            entry.name_es = name_es
            changed.append("name_es")
        if entry.description == description and not entry.description_es:
            entry.description_es = description_es
            changed.append("description_es")
        if changed:
            entry.save(update_fields=changed)


class Migration(migrations.Migration):
    dependencies = [("autonomy", "0011_catalog_in_spanish")]

    operations = [migrations.RunPython(spanish_add, migrations.RunPython.noop)]
