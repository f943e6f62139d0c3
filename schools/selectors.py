from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet
from django.http import Http404

from schools.models import Network, School
from schools.policies import schools_visible_to


def school_get_for_user(*, user: AbstractBaseUser, code: str) -> School:
    """The school with this code if the user may see it; otherwise 404, never a hint it exists."""
    school = schools_visible_to(user).select_related("network", "cohort", "liaison").filter(code=code).first()
    if school is None:
        raise Http404("No such school.")
    return school


def networks_for_user(*, user: AbstractBaseUser) -> QuerySet[Network]:
    return Network.objects.filter(schools__in=schools_visible_to(user)).distinct().order_by("name")
