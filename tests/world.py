"""The small district the authorization tests ask their questions of, as one plain function.

Two schools — "own", where the principal, the school team and the liaison work, and "other" — with a
submitted request, a grant, an active contract and an open flag at each, the evaluation run that opened
the flags, and users of every role. tests/test_authorization_matrix.py builds it for each test (its
`world` fixture calls build_world). The API's matrix and the Schemathesis run ask hundreds of questions
of the same district, so they build it once per module inside a transaction that is rolled back at the
end (world_for_module); each test runs in a savepoint of it (pytest-django's `db`), so every test starts
from the same district whatever the one before it changed.
"""

import datetime
from contextlib import contextmanager

from django.db import transaction

from accountability.models import InterventionFlag
from accountability.services import evaluation_run
from accounts.services import api_token_create
from contracts.models import ContractTemplate, TemplateBenchmark, TemplateRule
from contracts.services import contract_countersign, contract_create_from_template, contract_propose, contract_sign
from metrics.models import Metric, Observation
from schools.models import Role
from tests.autonomy.factories import CallFactory, complete_request
from tests.factories import MembershipFactory, SchoolFactory, SchoolYearFactory, UserFactory, grant

NO_ROLE = "no_role"  # a user who signed in but holds no role
P, T, L, R, V, A = Role.PRINCIPAL, Role.SCHOOL_TEAM, Role.LIAISON, Role.REVIEWER, Role.VIEWER, Role.ADMIN


def build_world() -> dict:
    """Build the district in the current transaction; the caller provides database access."""
    liaison = MembershipFactory(role=L).user
    own = SchoolFactory(liaison=liaison)
    other = SchoolFactory()
    users = {L: liaison}
    for role in (P, T):
        users[role] = MembershipFactory(role=role, school=own).user
    other_principal = MembershipFactory(role=P, school=other).user
    users[R] = MembershipFactory(role=R, function="finance").user
    users[V] = MembershipFactory(role=V).user
    users[A] = MembershipFactory(role=A, user=UserFactory(is_staff=True, is_superuser=True)).user
    users[NO_ROLE] = UserFactory()
    call = CallFactory(created_by=users[A], offers=["money.budget", "program.curriculum"])
    fresh_call = CallFactory(created_by=users[A], offers=["program.curriculum"])
    requests = {
        True: complete_request(
            principal=users[P], school=own, call=call, codes=("money.budget", "program.curriculum"), submit=True
        ),
        False: complete_request(
            principal=other_principal,
            school=other,
            call=call,
            codes=("money.budget", "program.curriculum"),
            submit=True,
        ),
    }
    grants = {True: grant(own, "people.hiring"), False: grant(other, "people.hiring")}
    template = ContractTemplate.objects.create(name="Standard")
    TemplateBenchmark.objects.create(
        template=template,
        key="ela",
        metric=Metric.objects.get(code="ela_proficiency"),
        kind="value",
        comparator=">=",
        target_mode="fixed",
        target_value=50,
    )
    TemplateRule.objects.create(
        template=template,
        key="one-missed",
        condition="n_missed",
        count=1,
        level=1,
        deadline_days=30,
        remedy="Submit an improvement plan.",
        provision="Section 5.1",
    )
    years = [
        SchoolYearFactory(label="2026-27"),
        SchoolYearFactory(
            label="2027-28",
            start_date=datetime.date(2027, 7, 1),
            end_date=datetime.date(2028, 6, 30),
            first_day=datetime.date(2027, 8, 16),
        ),
    ]
    contracts = {
        True: _contract(own, users[A], users[P], template, years),
        False: _contract(other, users[A], other_principal, template, years),
    }
    # Both schools miss ELA in 2026-27: the evaluation opens a flag at each.
    ela = Metric.objects.get(code="ela_proficiency")
    for school in (own, other):
        Observation.objects.create(school=school, metric=ela, period="2026-27", value=40)
    evaluation_run(as_of=datetime.date(2026, 11, 1))
    tokens = {
        True: api_token_create(user=users[P], name="own")[0],
        False: api_token_create(user=other_principal, name="other")[0],
    }
    flags = {True: InterventionFlag.objects.get(school=own), False: InterventionFlag.objects.get(school=other)}
    return {
        "own": own,
        "other": other,
        "users": users,
        "call": call,
        "fresh_call": fresh_call,
        "requests": requests,
        "grants": grants,
        "contracts": contracts,
        "flags": flags,
        "tokens": tokens,
    }


def _contract(school, admin, principal, template, years):
    contract = contract_create_from_template(
        actor=admin, school=school, template=template, term_start=years[0], term_end=years[1]
    )
    contract_propose(actor=admin, contract_id=contract.pk)
    contract_sign(actor=principal, contract_id=contract.pk, password="correct-horse-battery")
    return contract_countersign(actor=admin, contract_id=contract.pk, password="correct-horse-battery")


@contextmanager
def world_for_module(django_db_blocker):
    """Use in a module-scoped fixture that depends on `django_db_setup`; its tests must use `db`."""
    with django_db_blocker.unblock(), transaction.atomic():
        try:
            yield build_world()
        finally:
            transaction.set_rollback(True)
