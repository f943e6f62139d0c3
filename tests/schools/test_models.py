import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from schools.models import District, Membership, Role, School, SchoolYear
from tests.factories import MembershipFactory, SchoolFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_duplicate_school_code_is_refused_on_the_code_field():
    SchoolFactory(code="S0100")
    duplicate = School(code="S0100", name="Another", grade_band="middle")
    with pytest.raises(ValidationError) as refused:
        duplicate.full_clean()
    assert "code" in refused.value.message_dict


def test_duplicate_school_code_is_refused_by_the_database():
    SchoolFactory(code="S0100")
    with pytest.raises(IntegrityError):
        School.objects.create(code="S0100", name="Another", grade_band="middle")


def test_school_year_ending_before_it_starts_is_refused_on_end_date():
    year = SchoolYear(
        label="2026-27",
        start_date=datetime.date(2026, 7, 1),
        end_date=datetime.date(2026, 6, 30),
        first_day=datetime.date(2026, 7, 1),
    )
    with pytest.raises(ValidationError) as refused:
        year.full_clean()
    assert "end_date" in refused.value.message_dict


def test_school_year_ending_before_it_starts_is_refused_by_the_database():
    with pytest.raises(IntegrityError):
        SchoolYear.objects.create(
            label="2026-27",
            start_date=datetime.date(2026, 7, 1),
            end_date=datetime.date(2026, 1, 1),
            first_day=datetime.date(2026, 7, 1),
        )


def test_school_year_label_is_written_as_a_school_year():
    year = SchoolYear(
        label="26/27",
        start_date=datetime.date(2026, 7, 1),
        end_date=datetime.date(2027, 6, 30),
        first_day=datetime.date(2026, 8, 17),
    )
    with pytest.raises(ValidationError) as refused:
        year.full_clean()
    assert "label" in refused.value.message_dict


def test_first_day_outside_the_year_is_refused_on_first_day():
    year = SchoolYear(
        label="2026-27",
        start_date=datetime.date(2026, 7, 1),
        end_date=datetime.date(2027, 6, 30),
        first_day=datetime.date(2027, 8, 1),
    )
    with pytest.raises(ValidationError) as refused:
        year.full_clean()
    assert "first_day" in refused.value.message_dict


def test_only_one_district():
    District.objects.create(name="Riverbend")
    with pytest.raises(IntegrityError):
        District.objects.create(name="Second")


def test_one_principal_per_school():
    school = SchoolFactory()
    MembershipFactory(role=Role.PRINCIPAL, school=school)
    with pytest.raises(IntegrityError):
        MembershipFactory(role=Role.PRINCIPAL, school=school)


@pytest.mark.parametrize(
    ("role", "with_school", "function", "field"),
    [
        (Role.PRINCIPAL, False, "", "school"),
        (Role.ADMIN, True, "", "school"),
        (Role.REVIEWER, False, "", "function"),
        (Role.LIAISON, False, "finance", "function"),
    ],
)
def test_membership_shape_is_checked_by_field(role, with_school, function, field):
    membership = Membership(
        user=UserFactory(), role=role, school=SchoolFactory() if with_school else None, function=function
    )
    with pytest.raises(ValidationError) as refused:
        membership.full_clean()
    assert field in refused.value.message_dict


def test_membership_shape_is_checked_by_the_database():
    with pytest.raises(IntegrityError):
        Membership.objects.create(user=UserFactory(), role=Role.REVIEWER, function="")
