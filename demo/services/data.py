"""The demo district's fixed facts: its names, how each metric moves, the eligibility rules, and the
standard contract with the longer one a large district uses. Nothing here touches the database."""

from autonomy.models import Comparator
from contracts.models import BenchmarkKind, Condition, Level, TargetMode
from schools.models import GradeBand

DEMO_PASSWORD = "portal-demo-2026"
DISTRICT_NAME = "Riverbend Unified School District"

NETWORK_NAMES = "North South East West Central Riverside Lakeside Hillcrest".split()
SCHOOL_NAMES = (
    "Addams Baldwin Carver Chavez Douglass Earhart Franklin Garfield Hamilton Hughes Irving Jefferson Keller King "
    "Lincoln Madison Mann Marshall Morrison Nightingale Obama Parks Roosevelt Sandburg Stevenson Truth Tubman "
    "Washington Whitman Wright Young Banneker Curie Dewey Emerson Fulton Grant Holmes Jackson Kennedy"
).split()
FIRST_NAMES = (
    "Maria James Aisha Robert Mei David Fatima Michael Sofia William "
    "Grace Daniel Nia Carlos Hannah Omar Elena Marcus Priya Thomas"
).split()
LAST_NAMES = (
    "Garcia Johnson Nguyen Smith Patel Brown Williams Lopez Kim Davis "
    "Okafor Miller Hernandez Wilson Chen Moore Taylor Anderson Thomas Martinez"
).split()
# (grade band, name suffix, share of the schools, enrollment range)
BANDS = [
    (GradeBand.ELEMENTARY, "Elementary School", 0.55, (280, 650)),
    (GradeBand.MIDDLE, "Middle School", 0.20, (450, 900)),
    (GradeBand.HIGH, "High School", 0.20, (800, 2200)),
    (GradeBand.K8, "K-8 Academy", 0.05, (350, 800)),
]

# Where each metric starts (mean, spread) and how fast an improving school moves per year.
METRIC_SHAPES = {
    "ela_proficiency": (42, 14, 3.0),
    "math_proficiency": (36, 14, 3.0),
    "growth_percentile": (50, 9, 2.5),
    "chronic_absenteeism": (22, 8, -2.0),
    "graduation_rate": (81, 8, 2.0),
    "teacher_vacancies_first_day": (1.5, 1, -0.3),
    "teacher_retention": (82, 7, 1.5),
    "budget_variance": (4, 2, -0.6),
    "finance_rating": (3.2, 0.9, 0.25),
    "audit_findings": (1, 1, -0.3),
    "family_satisfaction": (74, 9, 2.0),
}
METRIC_SHAPE_DEFAULT = (50, 10, 1.0)
# How each school moves, as a share of the metric's yearly step: most schools under a contract improve,
# a few stall and one in eight declines. A school's yearly result strays from its line by this share of
# the step, so an improving school rarely falls short of a target a point or two above its last result.
TRAJECTORIES = [1.0, 1.0, 1.0, 1.0, 1.0, 0.5, 0.0, -1.0]
YEARLY_NOISE = 0.2
INTEGER_METRICS = {"teacher_vacancies_first_day", "audit_findings", "finance_rating"}

# Earned autonomies and what a school must show first: (autonomy, metric, comparator, threshold).
ELIGIBILITY = [
    ("money.budget", "finance_rating", Comparator.GTE, 4),
    ("money.salary", "finance_rating", Comparator.GTE, 4),
    ("money.operations", "audit_findings", Comparator.LTE, 1),
    ("money.curriculum_budget", "finance_rating", Comparator.GTE, 3),
    ("money.pd_budget", "finance_rating", Comparator.GTE, 3),
    ("people.staffing_model", "teacher_retention", Comparator.GTE, 80),
]
# What a full-autonomy grant in the pilot cohort is kept by.
RETENTION_BENCHMARKS = {
    "people.hiring": "No more than 3 teacher vacancies on the first day of school.",
    "time.schedule": "Chronic absenteeism does not rise two years in a row.",
    "time.pd_calendar": "Teacher retention of at least 80 percent.",
}
RETENTION_BENCHMARKS_DEFAULT = "Meets its contract benchmarks."
# The same, in Spanish, for the catalog's Spanish text.
RETENTION_BENCHMARKS_ES = {
    "people.hiring": "No más de 3 vacantes docentes el primer día de clases.",
    "time.schedule": "El ausentismo crónico no aumenta dos años seguidos.",
    "time.pd_calendar": "Retención de docentes de al menos un 80 por ciento.",
}
RETENTION_BENCHMARKS_DEFAULT_ES = "Cumple con las metas de su contrato."


def _benchmark(metric: str, key: str, kind: str, comparator: str, target, *, mode=TargetMode.FIXED, **fields):
    """A template benchmark as (metric code, the TemplateBenchmark's own fields)."""
    return metric, dict(key=key, kind=kind, comparator=comparator, target_mode=mode, target_value=target, **fields)


# A growth benchmark's bands: three points above the target exceeds it, three below falls far below.
GROWTH_MARGINS = dict(far_below_margin=3, exceeds_margin=3)
GTE, LTE = Comparator.GTE, Comparator.LTE
VALUE, GROWTH, TREND = BenchmarkKind.VALUE, BenchmarkKind.GROWTH, BenchmarkKind.TREND
AGGREGATE, RELATIVE = BenchmarkKind.AGGREGATE, BenchmarkKind.RELATIVE

# The district's standard contract: a benchmark of each kind, its targets drawn from the district's own
# data (METRIC_SHAPES): a school is asked to improve on its baseline, never to stand still, and floors sit
# near the bottom of the district's range, where a school needs help.
TEMPLATE_BENCHMARKS = [
    # ELA grows by at least a point from the baseline (3 points short of that is "far below").
    _benchmark("ela_proficiency", "ela-growth", GROWTH, GTE, 1, **GROWTH_MARGINS),
    # Math proficiency 2 points above the school's baseline; a school without one is held to about the
    # district's average (36), and a school in its first two years to a little below it.
    _benchmark(
        "math_proficiency",
        "math-proficiency",
        VALUE,
        GTE,
        2,
        mode=TargetMode.BASELINE_PLUS,
        fallback_target=36,
        new_school_target=32,
    ),
    # Chronic absenteeism does not rise by more than a point in either of the last two years.
    _benchmark("chronic_absenteeism", "absenteeism-trend", TREND, GTE, -1, periods=2),
    # Three years of teacher retention average at least 72% (the district's average is 82%).
    _benchmark("teacher_retention", "retention-average", AGGREGATE, GTE, 72, periods=3),
    # Out of the district's bottom quarter for student growth.
    _benchmark("growth_percentile", "growth-standing", RELATIVE, GTE, 25),
    _benchmark("family_satisfaction", "family-satisfaction", VALUE, GTE, 60),
    _benchmark("teacher_vacancies_first_day", "vacancies", VALUE, LTE, 3),
]
# The benchmark whose miss revokes an autonomy, and that autonomy.
BINDING_BENCHMARK = ("vacancies", "people.hiring")

# A large district holds each school to about twenty results (proficiency, growth, standing, attendance,
# staffing, finance, families), which is also what the nightly evaluation is benchmarked against: the
# standard seven and these thirteen, in this order. Targets are set so that most schools meet most of them.
MORE_BENCHMARKS = [
    _benchmark("ela_proficiency", "ela-proficiency", VALUE, GTE, 25),
    _benchmark("math_proficiency", "math-growth", GROWTH, GTE, 1, **GROWTH_MARGINS),
    _benchmark("ela_proficiency", "ela-standing", RELATIVE, GTE, 25),
    _benchmark("math_proficiency", "math-standing", RELATIVE, GTE, 25),
    _benchmark("ela_proficiency", "ela-average", AGGREGATE, GTE, 25, periods=3),
    _benchmark("math_proficiency", "math-trend", TREND, GTE, -4, periods=3),
    _benchmark("chronic_absenteeism", "absenteeism-rate", VALUE, LTE, 35),
    _benchmark("teacher_retention", "retention-rate", VALUE, GTE, 68),
    _benchmark("budget_variance", "budget-variance", VALUE, LTE, 8),
    _benchmark("finance_rating", "finance-rating", VALUE, GTE, 2),
    _benchmark("audit_findings", "audit-findings", VALUE, LTE, 3),
    _benchmark("family_satisfaction", "satisfaction-trend", TREND, GTE, -4, periods=2),
    _benchmark("growth_percentile", "growth-percentile", VALUE, GTE, 40),
]
# Above this many schools the demo is a large district and its contracts take the longer list.
LARGE_DISTRICT_SCHOOLS = 100
# How many benchmarks a demo contract may have: the standard seven, up to all the large district's.
BENCHMARK_COUNTS = range(len(TEMPLATE_BENCHMARKS), len(TEMPLATE_BENCHMARKS) + len(MORE_BENCHMARKS) + 1)

# The intervention ladder of the standard contract, as TemplateRule fields.
TEMPLATE_RULES = [
    dict(
        key="binding-missed",
        condition=Condition.BINDING_MISSED,
        level=Level.REVOKED,
        deadline_days=0,
        remedy="The autonomy that depends on the missed benchmark is revoked.",
        provision="Section 4.1",
    ),
    dict(
        key="two-missed",
        condition=Condition.N_MISSED,
        count=2,
        level=Level.NOTICE,
        remedy="Meet with your liaison and explain the results.",
        provision="Section 5.1",
    ),
    dict(
        key="three-missed",
        condition=Condition.N_MISSED,
        count=3,
        level=Level.CORRECTIVE_PLAN,
        deadline_days=90,
        remedy="Submit a corrective action plan.",
        provision="Section 5.2",
    ),
    dict(
        key="ela-two-years",
        condition=Condition.K_IN_A_ROW,
        count=2,
        level=Level.INTENSIFIED_SUPPORT,
        deadline_days=90,
        remedy="Work with the network's support team on literacy.",
        provision="Section 5.3",
        benchmark_key="ela-growth",
    ),
    dict(
        key="no-data",
        condition=Condition.NO_DATA,
        level=Level.NOTICE,
        deadline_days=30,
        remedy="Submit the missing data.",
        provision="Section 6",
    ),
]
