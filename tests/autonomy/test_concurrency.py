"""Two people acting on the same request at once, from two database connections: exactly one wins."""

import datetime
import threading

import pytest
from django.db import connection
from django.utils import timezone

from autonomy.models import Autonomy, AutonomyGrant, RequestEvent, RequestStatus
from autonomy.services import (
    ItemChoice,
    OutcomeInput,
    call_create,
    request_create,
    request_decide,
    request_decline,
    request_set_autonomies,
    request_set_outcomes,
    request_submit,
    request_update_items,
    request_update_plan,
)
from core.errors import Conflict
from schools.models import Role

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]


def _submitted_request(school, principal, admin):
    today = timezone.localdate()
    call = call_create(
        actor=admin,
        title="Call",
        opens_on=today - datetime.timedelta(days=1),
        closes_on=today + datetime.timedelta(days=10),
        autonomies=list(Autonomy.objects.filter(code="program.curriculum")),
    )
    request = request_create(actor=principal, school=school, call=call)
    request_set_autonomies(actor=principal, request_id=request.pk, autonomy_ids=[call.autonomies.get().pk])
    request_update_items(
        actor=principal, request_id=request.pk, items={request.items.get().pk: {"justification": "Because."}}
    )
    request_update_plan(actor=principal, request_id=request.pk, plan="Plan.", answers={})
    request_set_outcomes(
        actor=principal,
        request_id=request.pk,
        outcomes=[OutcomeInput("ela_proficiency", "40", "45", "2027-28")],
    )
    request_submit(actor=principal, request_id=request.pk)
    return request


def _race(*actions):
    barrier = threading.Barrier(len(actions))
    outcomes = [None] * len(actions)

    def run(index, action):
        try:
            barrier.wait(timeout=10)
            action()
            outcomes[index] = "won"
        except Conflict as conflict:
            outcomes[index] = conflict
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


def test_two_admins_deciding_at_once_one_wins_one_is_told(school, make_member):
    principal = make_member(Role.PRINCIPAL, school=school)
    first, second = make_member(Role.ADMIN), make_member(Role.ADMIN)
    request = _submitted_request(school, principal, first)
    item = request.items.get()

    outcomes = _race(
        lambda: request_decide(
            actor=first,
            request_id=request.pk,
            choices={item.pk: ItemChoice("approved")},
            expected_status="submitted",
        ),
        lambda: request_decline(actor=second, request_id=request.pk, note="Not now.", expected_status="submitted"),
    )

    assert sorted(o == "won" for o in outcomes) == [False, True]
    loser = next(o for o in outcomes if o != "won")
    assert "Somebody acted on this request first" in loser.message
    request.refresh_from_db()
    assert request.status in (RequestStatus.APPROVED, RequestStatus.DECLINED)
    assert RequestEvent.objects.filter(request=request, action__in=["approve", "decline"]).count() == 1
    assert AutonomyGrant.objects.count() == (1 if request.status == RequestStatus.APPROVED else 0)


def test_a_double_clicked_submit_from_two_connections_makes_one_transition(school, make_member):
    principal = make_member(Role.PRINCIPAL, school=school)
    admin = make_member(Role.ADMIN)
    request = _submitted_request(school, principal, admin)
    RequestEvent.objects.filter(request=request).delete()
    from autonomy.models import AutonomyRequest

    AutonomyRequest.objects.filter(pk=request.pk).update(status=RequestStatus.DRAFT)
    outcomes = _race(
        lambda: request_submit(actor=principal, request_id=request.pk, expected_status="draft"),
        lambda: request_submit(actor=principal, request_id=request.pk, expected_status="draft"),
    )
    assert sorted(o == "won" for o in outcomes) == [False, True]
    assert RequestEvent.objects.filter(request=request, action="submit").count() == 1
