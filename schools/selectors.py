import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import models
from django.db.models import QuerySet
from django.http import Http404

from core.versions import fragment
from schools.models import Network, Role, School, SchoolYear
from schools.policies import roles_of, schools_visible_to


def school_get_for_user(*, user: AbstractBaseUser, code: str) -> School:
    """The school with this code if the user may see it; otherwise 404, never a hint it exists."""
    school = schools_visible_to(user).select_related("network", "cohort", "liaison").filter(code=code).first()
    if school is None:
        raise Http404("No such school.")
    return school


def network_choices_for_user(*, user: AbstractBaseUser) -> list[tuple[int, str]]:
    """(id, name) of the networks a list may be filtered by, by name, for a filter's drop-down. Central office
    sees every network: the same list for all of them, kept in the shared cache under the "schools" version,
    which a network's save moves (schools.signals) as the roster import does."""
    if roles_of(user).is_central_office:
        return fragment("network-choices", ("schools",), (), lambda: list(_network_pairs(Network.objects.all())))
    return list(_network_pairs(networks_for_user(user=user)))


def _network_pairs(networks: QuerySet[Network]):
    return networks.order_by("name", "pk").values_list("pk", "name")


def networks_for_user(*, user: AbstractBaseUser) -> QuerySet[Network]:
    if roles_of(user).is_central_office:
        return Network.objects.order_by("name")  # every network: no need to look through the schools
    return Network.objects.filter(schools__in=schools_visible_to(user)).distinct().order_by("name")


def principals_of(*, school_ids) -> dict[int, list]:
    """The principal(s) of each school, for notifications: one query."""
    users = (
        get_user_model()
        .objects.filter(memberships__role=Role.PRINCIPAL, memberships__school_id__in=school_ids)
        .annotate(for_school=models.F("memberships__school_id"))
    )
    result: dict[int, list] = {}
    for user in users:
        result.setdefault(user.for_school, []).append(user)
    return result


def reviewers_for(*, functions) -> list:
    return list(
        get_user_model()
        .objects.filter(memberships__role=Role.REVIEWER, memberships__function__in=functions)
        .distinct()
        .order_by("pk")
    )


def school_year_of(day: datetime.date) -> SchoolYear | None:
    """The school year a day belongs to: the last one to have started by then (in a summer between two years,
    the one just ended); None before the first. One query."""
    return SchoolYear.objects.filter(start_date__lte=day).order_by("-start_date").first()
