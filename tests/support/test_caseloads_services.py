"""The autonomy office assigns liaisons (only to people holding the role; over the limit allowed, and said)
and sets the caseload limit, the working week and the target, each bad value refused by name."""

import pytest

from core.errors import ApplicationError, NotPermitted
from schools.models import Role, School
from schools.services.liaisons import school_liaison_set
from support.models import ServicePolicy
from support.selectors.service_policy import service_policy_current
from support.services.caseloads import school_liaison_assign, service_policy_caseloads_update
from tests.factories import SchoolFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(make_member):
    return make_member(Role.ADMIN, is_superuser=True)


def test_the_schools_service_refuses_a_person_without_the_liaison_role(make_member):
    school = SchoolFactory()
    principal = make_member(Role.PRINCIPAL, school=school)
    with pytest.raises(ApplicationError) as refused:
        school_liaison_set(school=school, liaison=principal)
    assert refused.value.fields.keys() == {"liaison"}
    school.refresh_from_db()
    assert school.liaison is None


def test_the_office_assigns_a_liaison_within_the_limit_without_a_warning(admin, make_member):
    liaison = make_member(Role.LIAISON)
    school = SchoolFactory()
    assignment = school_liaison_assign(actor=admin, school=school, liaison=liaison)
    assert School.objects.get(pk=school.pk).liaison == liaison
    assert (assignment.caseload, assignment.limit, assignment.over_limit, assignment.warning) == (1, 12, False, "")


def test_assigning_over_the_limit_is_allowed_and_warned(admin, make_member):
    liaison = make_member(Role.LIAISON, first_name="Ruth", last_name="Baker")
    SchoolFactory.create_batch(12, liaison=liaison)
    assignment = school_liaison_assign(actor=admin, school=SchoolFactory(), liaison=liaison)
    assert School.objects.filter(liaison=liaison).count() == 13
    assert assignment.over_limit
    assert assignment.warning == (
        "Ruth Baker now holds 13 schools, over the district's limit of 12: consider moving a school to another liaison."
    )


def test_at_the_limit_is_not_over_it(admin, make_member):
    liaison = make_member(Role.LIAISON)
    SchoolFactory.create_batch(11, liaison=liaison)
    assignment = school_liaison_assign(actor=admin, school=SchoolFactory(), liaison=liaison)
    assert (assignment.caseload, assignment.over_limit) == (12, False)


def test_the_office_may_leave_a_school_without_a_liaison(admin, make_member):
    school = SchoolFactory(liaison=make_member(Role.LIAISON))
    assignment = school_liaison_assign(actor=admin, school=school, liaison=None)
    assert School.objects.get(pk=school.pk).liaison is None and not assignment.over_limit


@pytest.mark.parametrize("role", [Role.LIAISON, Role.PRINCIPAL, Role.REVIEWER, Role.VIEWER])
def test_only_the_office_assigns_liaisons(make_member, role):
    school = SchoolFactory()
    user = make_member(
        role, school=school if role == Role.PRINCIPAL else None, function="finance" if role == Role.REVIEWER else ""
    )
    with pytest.raises(NotPermitted):
        school_liaison_assign(actor=user, school=school, liaison=make_member(Role.LIAISON))
    school.refresh_from_db()
    assert school.liaison is None


def test_the_office_sets_the_limit_hours_and_target(admin):
    assert service_policy_current().caseload_limit == 12  # the defaults before anything is saved
    service_policy_caseloads_update(
        actor=admin, caseload_limit=13, liaison_hours_per_week=37, principal_time_target_percent=70
    )
    policy = ServicePolicy.objects.get()
    assert (policy.caseload_limit, policy.liaison_hours_per_week, policy.principal_time_target_percent) == (13, 37, 70)
    assert policy.survey_min_respondents == 5  # the survey settings are left as they were


@pytest.mark.parametrize(
    ("values", "fields"),
    [
        ({"caseload_limit": 0}, {"caseload_limit"}),
        ({"caseload_limit": 101}, {"caseload_limit"}),
        ({"liaison_hours_per_week": 0}, {"liaison_hours_per_week"}),
        ({"liaison_hours_per_week": 81}, {"liaison_hours_per_week"}),
        ({"principal_time_target_percent": 0}, {"principal_time_target_percent"}),
        ({"principal_time_target_percent": 101}, {"principal_time_target_percent"}),
        ({"caseload_limit": "12"}, {"caseload_limit"}),
        (
            {"caseload_limit": 0, "principal_time_target_percent": 200},
            {"caseload_limit", "principal_time_target_percent"},
        ),
    ],
)
def test_settings_out_of_bounds_are_refused_naming_the_field_and_nothing_is_saved(admin, values, fields):
    good = {"caseload_limit": 14, "liaison_hours_per_week": 40, "principal_time_target_percent": 61}
    with pytest.raises(ApplicationError) as refused:
        service_policy_caseloads_update(actor=admin, **(good | values))
    assert refused.value.fields.keys() == fields
    assert not ServicePolicy.objects.exists()


def test_only_the_office_sets_the_caseload_settings(make_member):
    with pytest.raises(NotPermitted):
        service_policy_caseloads_update(
            actor=make_member(Role.VIEWER),
            caseload_limit=20,
            liaison_hours_per_week=40,
            principal_time_target_percent=61,
        )
    assert not ServicePolicy.objects.exists()
