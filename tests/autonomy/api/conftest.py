"""What the autonomy API's tests share: a person per role at one school, an API client each, an earned autonomy."""

import pytest

from autonomy.models import Autonomy, EligibilityCriterion
from metrics.models import Metric
from schools.models import Role


@pytest.fixture
def people(school, other_school, make_member):
    liaison = make_member(Role.LIAISON)
    school.liaison = liaison
    school.save(update_fields=["liaison"])
    return {
        "principal": make_member(Role.PRINCIPAL, school=school),
        "team": make_member(Role.SCHOOL_TEAM, school=school),
        "other_principal": make_member(Role.PRINCIPAL, school=other_school),
        "liaison": liaison,
        "finance": make_member(Role.REVIEWER, function="finance"),
        "academics": make_member(Role.REVIEWER, function="academics"),
        "hr": make_member(Role.REVIEWER, function="hr"),
        "viewer": make_member(Role.VIEWER),
        "admin": make_member(Role.ADMIN),
    }


@pytest.fixture
def clients(people, api_for):
    """An API client per role, sending JSON bodies unless told otherwise."""
    made = {name: api_for(user) for name, user in people.items()}
    for client in made.values():
        client.default_format = "json"
    return made


@pytest.fixture
def earned_budget():
    budget = Autonomy.objects.get(code="money.budget")
    EligibilityCriterion.objects.create(
        autonomy=budget, metric=Metric.objects.get(code="finance_rating"), comparator=">=", threshold=4
    )
    return budget
