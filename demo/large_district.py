"""The longer contract a large district's demo uses: the standard seven benchmarks and thirteen more.

A district of a few thousand schools holds each to about twenty results (proficiency, growth, standing,
attendance, staffing, finance, families), which is also what the nightly evaluation is benchmarked
against. Targets are set so that most schools meet most of them, as in the standard contract.
"""

# (metric, template benchmark fields), appended to the standard contract in this order.
MORE_BENCHMARKS = [
    (
        "ela_proficiency",
        dict(key="ela-proficiency", kind="value", comparator=">=", target_mode="fixed", target_value=20),
    ),
    (
        "math_proficiency",
        dict(
            key="math-growth",
            kind="growth",
            comparator=">=",
            target_mode="fixed",
            target_value=-3,
            far_below_margin=3,
            exceeds_margin=3,
        ),
    ),
    (
        "ela_proficiency",
        dict(key="ela-standing", kind="relative", comparator=">=", target_mode="fixed", target_value=5),
    ),
    (
        "math_proficiency",
        dict(key="math-standing", kind="relative", comparator=">=", target_mode="fixed", target_value=5),
    ),
    (
        "ela_proficiency",
        dict(key="ela-average", kind="aggregate", comparator=">=", periods=3, target_mode="fixed", target_value=22),
    ),
    (
        "math_proficiency",
        dict(key="math-trend", kind="trend", comparator=">=", periods=3, target_mode="fixed", target_value=-4),
    ),
    (
        "chronic_absenteeism",
        dict(key="absenteeism-rate", kind="value", comparator="<=", target_mode="fixed", target_value=35),
    ),
    (
        "teacher_retention",
        dict(key="retention-rate", kind="value", comparator=">=", target_mode="fixed", target_value=68),
    ),
    (
        "budget_variance",
        dict(key="budget-variance", kind="value", comparator="<=", target_mode="fixed", target_value=8),
    ),
    (
        "finance_rating",
        dict(key="finance-rating", kind="value", comparator=">=", target_mode="fixed", target_value=2),
    ),
    (
        "audit_findings",
        dict(key="audit-findings", kind="value", comparator="<=", target_mode="fixed", target_value=3),
    ),
    (
        "family_satisfaction",
        dict(key="satisfaction-trend", kind="trend", comparator=">=", periods=2, target_mode="fixed", target_value=-4),
    ),
    (
        "growth_percentile",
        dict(key="growth-percentile", kind="value", comparator=">=", target_mode="fixed", target_value=35),
    ),
]
# Above this many schools the demo is a large district and its contracts take the longer list.
LARGE_DISTRICT_SCHOOLS = 100
