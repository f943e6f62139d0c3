"""A district for the public pages: build_world's two schools (each with a grant, an active contract
evaluated and an open flag), plus what must never be published — a secret note on a flag and on a grant's
evidence, a person's email, a draft contract, a small group's value — and `extra` schools of the same
shape for the query counts."""

import datetime

from accountability.models import InterventionFlag
from contracts.models import PerformanceContract
from metrics.models import Observation
from tests.factories import NetworkFactory, SchoolFactory, grant
from tests.world import build_world

SECRET_NOTE = "SECRET-NOTE-7731"
SECRET_PLAN = "SECRET-PLAN-5512"
SECRET_DRAFT = "SECRET-DRAFT-CONTRACT-9014"
SECRET_EMAIL = "liaison.private-4471@example.org"
SMALL_VALUE = "93.4567"  # a small group's value, as it would be printed in full


def public_world(*, small_n: bool = True) -> dict:
    world = build_world()
    own = world["own"]
    network = NetworkFactory(name="North Network")
    own.network = network
    own.save(update_fields=["network"])
    liaison = own.liaison
    liaison.email, liaison.first_name, liaison.last_name = SECRET_EMAIL, "Lena", "Ortiz"
    liaison.save(update_fields=["email", "first_name", "last_name"])
    InterventionFlag.objects.filter(school=own).update(plan=SECRET_PLAN, remedy=SECRET_NOTE)
    held = world["grants"][True]
    held.__class__.objects.filter(pk=held.pk).update(evidence={"note": SECRET_NOTE, "scope": SECRET_NOTE})
    draft = PerformanceContract.objects.get(pk=world["contracts"][True].pk)
    PerformanceContract.objects.filter(pk=draft.pk).update(amendment_reason=SECRET_DRAFT)
    observations = Observation.objects.filter(school=own, period="2026-27")
    if small_n and any(f.name == "n" for f in Observation._meta.get_fields()):
        observations.update(value=SMALL_VALUE, n=4)
    world["network"] = network
    return world


def more_schools(count: int, *, network=None) -> list:
    schools = [SchoolFactory(network=network) for _ in range(count)]
    for school in schools:
        grant(school, "people.hiring", starts_on=datetime.date(2026, 7, 1))
    return schools
