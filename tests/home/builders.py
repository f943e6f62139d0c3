"""A school's home-page items built through the services where the product has one: a contract proposed
to the school, calls, requests returned for changes, and flags with their deadlines."""

import datetime

from django.utils import timezone

from accountability.models import EvaluationRun, FlagStatus, InterventionFlag
from autonomy.services import request_return
from contracts.services import contract_create_from_template, contract_propose
from schools.models import Role
from tests.accountability.builders import ela_template, school_years
from tests.autonomy.factories import CallFactory, complete_request
from tests.factories import MembershipFactory, UserFactory


def admin_user():
    return MembershipFactory(role=Role.ADMIN, user=UserFactory(is_staff=True, is_superuser=True)).user


def proposed_contract(school, *, admin):
    """A first contract for 2026-27 to 2027-28, proposed to the school and waiting for its principal."""
    years = school_years()
    contract = contract_create_from_template(
        actor=admin, school=school, template=ela_template(), term_start=years[1], term_end=years[2]
    )
    contract_propose(actor=admin, contract_id=contract.pk)
    contract.refresh_from_db()
    return contract


def open_flag(school, *, contract, days_left: int, status=FlagStatus.OPEN, level=1, deficiency=None):
    """A flag on the contract's rule as the nightly run opens it, due `days_left` days from today.

    Written directly: the run opens flags only on an active contract's missed benchmark, which is more
    district than a home page needs; the page reads only the flag's row.
    """
    rule = contract.rules.first()
    run, _ = EvaluationRun.objects.get_or_create(
        as_of=datetime.date(2026, 11, 1), defaults={"started_at": timezone.now(), "status": "succeeded"}
    )
    # One live flag per school and rule: a second one for the school takes a copy of the rule's key.
    key = rule.key if not InterventionFlag.objects.filter(school=school, rule_key=rule.key).exists() else None
    key = key or f"{rule.key}-{InterventionFlag.objects.filter(school=school).count()}"
    return InterventionFlag.objects.create(
        school=school,
        rule=rule,
        rule_key=key,
        level=level,
        status=status,
        period="2026-27",
        deficiency=deficiency or f"ELA proficiency at {school.name} is 40, against a target of 50.",
        provision="Section 5.1",
        remedy="Submit an improvement plan.",
        deadline=timezone.localdate() + datetime.timedelta(days=days_left),
        opened_run=run,
        opened_at=timezone.now(),
    )


def returned_request(school, *, principal, admin, call=None):
    call = call or CallFactory(created_by=admin, offers=["program.curriculum"])
    request = complete_request(principal=principal, school=school, call=call, submit=True)
    request_return(actor=admin, request_id=request.pk, note="Say which families you will ask.")
    return request
