import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from autonomy.models import AccountabilityModel, Autonomy, AutonomyGrant, Domain
from tests.factories import SchoolFactory, grant

pytestmark = pytest.mark.django_db


def test_default_catalog_covers_every_domain_and_model():
    catalog = Autonomy.objects.all()
    assert catalog.count() >= 12
    assert {a.domain for a in catalog} == set(Domain.values)
    assert {a.model for a in catalog} == set(AccountabilityModel.values)
    assert Autonomy.objects.filter(code="people.hiring", model="full").exists()


def test_autonomy_without_a_domain_is_refused_on_the_domain_field():
    autonomy = Autonomy(code="people.new", name="New", model="earned")
    with pytest.raises(ValidationError) as refused:
        autonomy.full_clean()
    assert "domain" in refused.value.message_dict


def test_autonomy_with_an_unknown_domain_is_refused_by_the_database():
    with pytest.raises(IntegrityError):
        Autonomy.objects.create(code="x.y", domain="", name="Nothing", model="earned")


def test_autonomy_code_must_start_with_its_domain():
    autonomy = Autonomy(code="time.hiring", domain="people", name="Hire", model="earned")
    with pytest.raises(ValidationError) as refused:
        autonomy.full_clean()
    assert "code" in refused.value.message_dict


def test_a_school_holds_one_live_grant_per_autonomy():
    school = SchoolFactory()
    grant(school, "people.hiring")
    with pytest.raises(IntegrityError):
        AutonomyGrant.objects.create(
            school=school,
            autonomy=Autonomy.objects.get(code="people.hiring"),
            model="full",
            starts_on=datetime.date(2026, 7, 1),
            reason="again",
        )
