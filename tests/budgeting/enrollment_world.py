"""A small district for the enrollment tests: three grade bands, two needs, two schools, two school years."""

import datetime

from budgeting.models import CategoryKind, EnrollmentCategory
from tests.factories import SchoolFactory, SchoolYearFactory

HEADER = "school,category,students\n"


def categories() -> dict[str, EnrollmentCategory]:
    rows = [
        ("k5", "Grades K-5", CategoryKind.GRADE, 1),
        ("g68", "Grades 6-8", CategoryKind.GRADE, 2),
        ("g912", "Grades 9-12", CategoryKind.GRADE, 3),
        ("poverty", "Poverty", CategoryKind.NEED, 1),
        ("ell", "English learners", CategoryKind.NEED, 2),
    ]
    return {
        code: EnrollmentCategory.objects.create(code=code, name=name, kind=kind, display_order=order)
        for code, name, kind, order in rows
    }


def year(label: str):
    start = int(label[:4])
    return SchoolYearFactory(
        label=label,
        start_date=datetime.date(start, 7, 1),
        end_date=datetime.date(start + 1, 6, 30),
        first_day=datetime.date(start, 8, 20),
    )


def district() -> dict:
    return {
        "categories": categories(),
        "schools": [SchoolFactory(code="S0001"), SchoolFactory(code="S0002")],
        "year": year("2027-28"),
    }
