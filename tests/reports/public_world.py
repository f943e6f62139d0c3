"""A district for the public pages: build_world's two schools (each with a grant, an active contract
evaluated and an open flag), plus what must never be published — a secret note on a flag and on a grant's
evidence, a person's email, a draft contract, a small group's value — and `extra` schools of the same
shape for the query counts; and, with `service_survey`, a closed survey of central office in which the
own school's network is too small to publish."""

import datetime

from accountability.models import BenchmarkResult, InterventionFlag
from contracts.models import ContractTemplate, PerformanceContract
from contracts.services import contract_create_from_template
from metrics.models import Observation
from schools.models import Role, SchoolYear
from support.services.surveys import survey_cycle_close
from tests.factories import MembershipFactory, NetworkFactory, SchoolFactory, grant
from tests.support.surveys_world import answer, open_cycle, principals_in
from tests.world import build_world

SECRET_NOTE = "SECRET-NOTE-7731"
SECRET_PLAN = "SECRET-PLAN-5512"
SECRET_DRAFT = "SECRET-DRAFT-CONTRACT-9014"
SECRET_EMAIL = "liaison.private-4471@example.org"
SMALL_VALUE = "93.4567"  # a small group's value, as it would be printed in full
SECRET_PRINCIPAL_EMAIL = "principal.private-6620@example.org"  # a principal who answered the survey


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
    criterion = {"criterion": "ELA at least 50", "metric": "ela_proficiency", "period": "2026-27", "holds": True}
    evidence = {"note": SECRET_NOTE, "scope": SECRET_NOTE, "criteria": [{**criterion, "value": SMALL_VALUE}]}
    held.__class__.objects.filter(pk=held.pk).update(evidence=evidence)
    draft = PerformanceContract.objects.get(pk=world["contracts"][True].pk)
    PerformanceContract.objects.filter(pk=draft.pk).update(amendment_reason=SECRET_DRAFT)
    observations = Observation.objects.filter(school=own, period="2026-27")
    if small_n:  # the value of a group of 4, as observed and as the evaluation recorded it
        observations.update(value=SMALL_VALUE, n=4)
        BenchmarkResult.objects.filter(benchmark__contract__school=own).update(value=SMALL_VALUE)
    # A draft contract at a third school: never published.
    drafted = SchoolFactory(network=network)
    contract_create_from_template(
        actor=world["users"][Role.ADMIN],
        school=drafted,
        template=ContractTemplate.objects.get(name="Standard"),
        term_start=SchoolYear.objects.get(label="2026-27"),
        term_end=SchoolYear.objects.get(label="2027-28"),
    )
    PerformanceContract.objects.filter(school=drafted).update(summary=SECRET_DRAFT)
    world["drafted"] = drafted
    world["network"] = network
    return world


def more_schools(count: int, *, network=None) -> list:
    schools = [SchoolFactory(network=network) for _ in range(count)]
    for school in schools:
        grant(school, "people.hiring", starts_on=datetime.date(2026, 7, 1))
    return schools


def service_survey(world: dict, *, execute_on_commit, close: bool = True) -> dict:
    """A closed survey of central office. North Network (the own school and the drafted one) is answered by
    its 2 principals, every one strongly agreeing: a small group whose 100 % must never show. East Network's
    10 principals all agree (100 %, hidden with North so that North cannot be worked out from the total);
    West Network's 11: 9 agree and 2 disagree (82 %, B). `execute_on_commit` is the
    django_capture_on_commit_callbacks fixture: closing announces the publication after commit. With
    close=False the cycle is answered and left open."""
    admin = world["users"][Role.ADMIN]
    principal = world["users"][Role.PRINCIPAL]
    principal.email = SECRET_PRINCIPAL_EMAIL
    principal.save(update_fields=["email"])
    drafted_principal = MembershipFactory(role=Role.PRINCIPAL, school=world["drafted"]).user
    north = [(world["own"], principal), (world["drafted"], drafted_principal)]
    east, west = NetworkFactory(name="East Network"), NetworkFactory(name="West Network")
    east_pairs, west_pairs = principals_in(east, 10), principals_in(west, 11)
    cycle = open_cycle(admin)
    answer(cycle, north, 5)
    answer(cycle, east_pairs, 4)
    answer(cycle, west_pairs[:9], 4)
    answer(cycle, west_pairs[9:], 2)
    if close:
        with execute_on_commit(execute=True):
            survey_cycle_close(actor=admin, cycle_id=cycle.pk)
    world.update(cycle=cycle, east=east, west=west, west_pairs=west_pairs, east_pairs=east_pairs)
    return world
