"""The demo catalog's boundaries: for each autonomy, what a school holding it decides and what stays with
the district, drawn from the district-reform sources (sub-lever 4.1: people, time, money, program; the
school-improvement indicator that "spelling out the boundaries for this autonomy is critical")."""

from autonomy.models import AccountabilityModel, Autonomy
from demo.services.data import (
    RETENTION_BENCHMARKS,
    RETENTION_BENCHMARKS_DEFAULT,
    RETENTION_BENCHMARKS_DEFAULT_ES,
    RETENTION_BENCHMARKS_ES,
)

# What every school keeps to, in every domain: the focus on the district's goals is not negotiable.
_ALWAYS = "Work toward the district's goals and report the results on the district's measures."
_ALWAYS_ES = (
    "Trabajar para alcanzar las metas del distrito e informar los resultados según los indicadores del distrito."
)

# code: (what the school decides, what stays with the district), each one point per line.
CATALOG_TEXT = {
    "people.hiring": (
        "Choose whom to hire for every open position, with full and final say.\n"
        "Decline any teacher the central office would otherwise place at the school.\n"
        "Dismiss staff through the district's effectiveness-based process, not by seniority.",
        "State certification and licensure, background checks and non-discrimination law.\n"
        "The collective-bargaining agreement, the salary schedule and due process for dismissal.\n"
        "The number of positions the school's budget pays for.\n" + _ALWAYS,
    ),
    "people.staffing_model": (
        "The mix of positions: teachers, coaches, aides and specialists.\n"
        "How many of each the school's budget pays for.",
        "Class-size limits in law and in the bargaining agreement.\n"
        "The special-education and English-learner staffing students are entitled to.\n" + _ALWAYS,
    ),
    "people.evaluation": (
        "The school's own observation and coaching cycle: who observes, how often, what feedback follows.",
        "The district's evaluation framework and ratings, and the deadlines for submitting them.\n"
        "Evaluation terms in the bargaining agreement.\n" + _ALWAYS,
    ),
    "time.schedule": (
        "The bell schedule, block lengths and the order of the school day.\n"
        "Time in the day for teachers to plan and work together.",
        "State minimum instructional minutes and the district's school-year calendar.\n"
        "Start and end times that district transportation serves.\n"
        "Working hours in the bargaining agreement.\n" + _ALWAYS,
    ),
    "time.learning_time": (
        "A longer school day or year for students, and how the added time is used.",
        "Added hours paid under the bargaining agreement or agreed with staff.\n"
        "Transportation and meals for the added time, arranged with the district.\n" + _ALWAYS,
    ),
    "time.pd_calendar": (
        "When teachers collaborate and train, including early-release days.\n"
        "What the school's professional-development days are spent on.",
        "District-wide training days and state-required training.\n"
        "Early-release days announced to families within the district's notice period.\n" + _ALWAYS,
    ),
    "money.budget": (
        "How the school's student-based allocation is spent, line by line.",
        "The size of the allocation, set by the district's funding formula.\n"
        "Restricted funds (Title I, special education) spent only as their rules allow.\n"
        "A balanced budget, procurement law and the annual audit.",
    ),
    "money.salary": (
        "Moving money between positions and other lines of the budget.",
        "The salary schedule: what each position is paid.\n"
        "The number of positions the budget pays for, at their full cost.",
    ),
    "money.operations": (
        "Which suppliers and services the school uses for facilities, food and transport.",
        "District procurement policy, health and safety codes and contracts the district has signed.\n"
        "A balanced budget and the annual audit.",
    ),
    "money.curriculum_budget": (
        "How the curriculum, materials and assessment lines are spent.",
        "Materials aligned to state standards.\nRestricted funds spent only as their rules allow.",
    ),
    "money.pd_budget": (
        "Which training and coaching the school buys, and from whom.",
        "District procurement policy and the district's required training.\n"
        "Restricted funds spent only as their rules allow.",
    ),
    "program.curriculum": (
        "Curriculum and materials other than the district's default.",
        "State standards, state assessments and graduation requirements.\n"
        "Services students with disabilities and English learners are entitled to.\n" + _ALWAYS,
    ),
    "program.assessment": (
        "The school's own interim assessments in place of the district's.",
        "State assessments, taken in the state's windows.\n"
        "Reporting the same outcomes the district's interim assessments report.\n" + _ALWAYS,
    ),
    "program.offerings": (
        "Opening or changing programs: dual language, career pathways, arts, early college.",
        "State standards and graduation requirements.\n"
        "Enrollment through the district's enrollment system, open to every eligible student.\n" + _ALWAYS,
    ),
}

# The same boundaries in Spanish, line for line: the same codes, the same points in the same order.
CATALOG_TEXT_ES = {
    "people.hiring": (
        "Elegir a quién contratar para cada puesto vacante, con la decisión plena y final.\n"
        "Rechazar a cualquier docente que, de otro modo, la oficina central asignaría a la escuela.\n"
        "Despedir personal mediante el proceso del distrito basado en la eficacia, no por antigüedad.",
        "La certificación y las licencias estatales, la verificación de antecedentes y la ley contra la "
        "discriminación.\n"
        "El convenio colectivo, la escala salarial y el debido proceso para los despidos.\n"
        "El número de puestos que cubre el presupuesto de la escuela.\n" + _ALWAYS_ES,
    ),
    "people.staffing_model": (
        "La combinación de puestos: docentes, asesores pedagógicos, auxiliares y especialistas.\n"
        "Cuántos puestos de cada tipo cubre el presupuesto de la escuela.",
        "Los límites de alumnos por clase que fijan la ley y el convenio colectivo.\n"
        "El personal de educación especial y de apoyo a estudiantes de inglés al que el alumnado tiene "
        "derecho.\n" + _ALWAYS_ES,
    ),
    "people.evaluation": (
        "El ciclo propio de observación y acompañamiento de la escuela: quién observa, con qué frecuencia y "
        "qué retroalimentación se da después.",
        "El marco de evaluación y las calificaciones del distrito, y los plazos para entregarlas.\n"
        "Las condiciones de evaluación del convenio colectivo.\n" + _ALWAYS_ES,
    ),
    "time.schedule": (
        "El horario de clases, la duración de los bloques y el orden de la jornada escolar.\n"
        "Tiempo durante la jornada para que los docentes planifiquen y trabajen en equipo.",
        "Los minutos mínimos de instrucción que exige el estado y el calendario escolar del distrito.\n"
        "Los horarios de entrada y salida que cubre el transporte del distrito.\n"
        "El horario de trabajo que fija el convenio colectivo.\n" + _ALWAYS_ES,
    ),
    "time.learning_time": (
        "Una jornada o un año escolar más largos para los estudiantes, y cómo se usa el tiempo adicional.",
        "Las horas adicionales pagadas según el convenio colectivo o acordadas con el personal.\n"
        "El transporte y las comidas para el tiempo adicional, coordinados con el distrito.\n" + _ALWAYS_ES,
    ),
    "time.pd_calendar": (
        "Cuándo colaboran y se capacitan los docentes, incluidos los días de salida temprana.\n"
        "A qué se dedican los días de desarrollo profesional de la escuela.",
        "Los días de capacitación de todo el distrito y la capacitación que exige el estado.\n"
        "Los días de salida temprana, anunciados a las familias dentro del plazo de aviso del distrito.\n" + _ALWAYS_ES,
    ),
    "money.budget": (
        "Cómo se gasta la asignación por estudiante de la escuela, partida por partida.",
        "El monto de la asignación, fijado por la fórmula de financiamiento del distrito.\n"
        "Los fondos restringidos (Título I, educación especial), que se gastan solo según lo permitan sus "
        "normas.\n"
        "Un presupuesto equilibrado, la ley de adquisiciones y la auditoría anual.",
    ),
    "money.salary": (
        "Mover fondos entre puestos y otras partidas del presupuesto.",
        "La escala salarial: cuánto se paga por cada puesto.\n"
        "El número de puestos que cubre el presupuesto, a su costo total.",
    ),
    "money.operations": (
        "Qué proveedores y servicios usa la escuela para instalaciones, alimentación y transporte.",
        "La política de adquisiciones del distrito, las normas de salud y seguridad y los contratos que ha "
        "firmado el distrito.\n"
        "Un presupuesto equilibrado y la auditoría anual.",
    ),
    "money.curriculum_budget": (
        "Cómo se gastan las partidas de currículo, materiales y evaluación.",
        "Los materiales alineados con los estándares estatales.\n"
        "Los fondos restringidos, que se gastan solo según lo permitan sus normas.",
    ),
    "money.pd_budget": (
        "Qué capacitación y acompañamiento compra la escuela, y a quién.",
        "La política de adquisiciones del distrito y la capacitación obligatoria del distrito.\n"
        "Los fondos restringidos, que se gastan solo según lo permitan sus normas.",
    ),
    "program.curriculum": (
        "Un currículo y materiales distintos de los predeterminados del distrito.",
        "Los estándares estatales, las evaluaciones estatales y los requisitos de graduación.\n"
        "Los servicios a los que tienen derecho los estudiantes con discapacidades y los estudiantes de "
        "inglés.\n" + _ALWAYS_ES,
    ),
    "program.assessment": (
        "Evaluaciones intermedias propias de la escuela en lugar de las del distrito.",
        "Las evaluaciones estatales, realizadas en los periodos que fija el estado.\n"
        "Informar los mismos resultados que informan las evaluaciones intermedias del distrito.\n" + _ALWAYS_ES,
    ),
    "program.offerings": (
        "Abrir o cambiar programas: lenguaje dual, trayectorias profesionales, artes, universidad temprana.",
        "Los estándares estatales y los requisitos de graduación.\n"
        "La inscripción mediante el sistema de inscripción del distrito, abierta a todo estudiante que "
        "reúna los requisitos.\n" + _ALWAYS_ES,
    ),
}


def catalog_text_fill() -> None:
    """Write the boundaries, in English and in Spanish, onto the catalog's entries the migrations created,
    and for full autonomies what a school must keep meeting, in both languages (the English is the same
    words the demo's grants carry)."""
    entries = list(Autonomy.objects.filter(code__in=CATALOG_TEXT))
    for entry in entries:
        entry.school_decides, entry.district_keeps = CATALOG_TEXT[entry.code]
        entry.school_decides_es, entry.district_keeps_es = CATALOG_TEXT_ES[entry.code]
        if entry.model == AccountabilityModel.FULL:
            entry.retention_expectations = RETENTION_BENCHMARKS.get(entry.code, RETENTION_BENCHMARKS_DEFAULT)
            entry.retention_expectations_es = RETENTION_BENCHMARKS_ES.get(entry.code, RETENTION_BENCHMARKS_DEFAULT_ES)
    Autonomy.objects.bulk_update(
        entries,
        [
            "school_decides",
            "district_keeps",
            "retention_expectations",
            "school_decides_es",
            "district_keeps_es",
            "retention_expectations_es",
        ],
    )
