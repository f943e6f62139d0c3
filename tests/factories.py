import datetime

import factory
from django.contrib.auth import get_user_model

from autonomy.models import Autonomy
from autonomy.services import grants_issue
from schools.models import GradeBand, Membership, Network, School, SchoolYear


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@district.example")
    password = factory.django.Password("correct-horse-battery")


class NetworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Network

    name = factory.Sequence(lambda n: f"Network {n}")


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School

    code = factory.Sequence(lambda n: f"T{n:05d}")
    name = factory.Sequence(lambda n: f"Test School {n}")
    grade_band = GradeBand.ELEMENTARY
    network = factory.SubFactory(NetworkFactory)
    enrollment = 450


class SchoolYearFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SchoolYear
        django_get_or_create = ["label"]

    label = "2026-27"
    start_date = datetime.date(2026, 7, 1)
    end_date = datetime.date(2027, 6, 30)
    first_day = datetime.date(2026, 8, 17)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    role = "principal"


def grant(school: School, code: str, *, actor=None, starts_on=datetime.date(2026, 7, 1)):
    """Give a school a catalog autonomy through the grants service, as the product does."""
    (created,) = grants_issue(
        schools=[school],
        autonomy=Autonomy.objects.get(code=code),
        actor=actor,
        reason="Granted in a test.",
        starts_on=starts_on,
    )
    return created
