"""The demo catalog's boundaries: for each autonomy, what a school holding it decides and what stays with
the district, drawn from the district-reform sources (sub-lever 4.1: people, time, money, program; the
school-improvement indicator that "spelling out the boundaries for this autonomy is critical")."""

from autonomy.models import AccountabilityModel, Autonomy
from demo.services.data import RETENTION_BENCHMARKS, RETENTION_BENCHMARKS_DEFAULT

# What every school keeps to, in every domain: the focus on the district's goals is not negotiable.
_ALWAYS = "Work toward the district's goals and report the results on the district's measures."

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


def catalog_text_fill() -> None:
    """Write the boundaries onto the catalog's entries the migrations created, and for full autonomies what
    a school must keep meeting (the same words the demo's grants carry)."""
    entries = list(Autonomy.objects.filter(code__in=CATALOG_TEXT))
    for entry in entries:
        entry.school_decides, entry.district_keeps = CATALOG_TEXT[entry.code]
        if entry.model == AccountabilityModel.FULL:
            entry.retention_expectations = RETENTION_BENCHMARKS.get(entry.code, RETENTION_BENCHMARKS_DEFAULT)
    Autonomy.objects.bulk_update(entries, ["school_decides", "district_keeps", "retention_expectations"])
