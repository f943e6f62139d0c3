"""A creating form posted twice creates once: the second post of the same page (same key) is sent to the
first one's result with a message. Calls for proposals, requests and API tokens here; draft contracts in
tests/contracts/test_idempotent_new.py. Two posts at the same instant on PostgreSQL only."""

import datetime
import re
import threading
import uuid

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from accounts.models import ApiToken
from autonomy.models import Autonomy, AutonomyRequest, CallForProposals
from core.idempotency import FORM_KEY_FIELD, KEY_LIFETIME
from core.models import SubmittedForm
from schools.models import Role
from tests.autonomy.factories import CallFactory

at_once = pytest.mark.skipif(connection.vendor != "postgresql", reason="two posts waiting on one key need PostgreSQL")
from_two_connections = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def form_key_of(response) -> str:
    """The key the page drew into its form."""
    found = re.findall(rf'name="{FORM_KEY_FIELD}" value="([0-9a-f-]+)"', response.content.decode())
    assert len(found) == 1, found
    return found[0]


def last_message(response) -> str:
    """What the answer adds to the messages (the first post's own message is still queued: its redirect
    was never followed)."""
    return [str(message) for message in get_messages(response.wsgi_request)][-1]


def post_at_once(*posts):
    """Run the posts from as many threads, released together; returns their answers' status codes."""
    barrier = threading.Barrier(len(posts))
    statuses = [None] * len(posts)

    def run(index, post):
        try:
            barrier.wait(timeout=10)
            statuses[index] = post().status_code
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, post)) for i, post in enumerate(posts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return statuses


def _call_post(key):
    today = timezone.localdate()
    return {
        FORM_KEY_FIELD: key,
        "title": "Autonomy call 2027",
        "opens_on": today.isoformat(),
        "closes_on": (today + datetime.timedelta(days=30)).isoformat(),
        "autonomies": [Autonomy.objects.get(code="program.curriculum").pk],
        "guidance": "",
        "questions": "",
    }


# --- calls for proposals --------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_call_posted_twice_is_opened_once(client_for, make_member):
    client = client_for(make_member(Role.ADMIN))
    url = reverse("autonomy:call_create")
    data = _call_post(form_key_of(client.get(url)))

    first = client.post(url, data)
    assert first.status_code == 302
    second = client.post(url, data)
    assert second.status_code == 302 and second.url == first.url == reverse("autonomy:call_list")
    assert last_message(second) == "This was already created: the call “Autonomy call 2027”."
    assert CallForProposals.objects.filter(title="Autonomy call 2027").count() == 1

    # A fresh page is a fresh key: the office may open a second call of the same name on purpose.
    assert client.post(url, _call_post(form_key_of(client.get(url)))).status_code == 302
    assert CallForProposals.objects.filter(title="Autonomy call 2027").count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize("key", [None, "", "not-a-key", "\x00", "x" * 5000, "１２３"])
def test_a_post_without_a_usable_key_creates_as_before(client_for, make_member, key):
    client = client_for(make_member(Role.ADMIN))
    data = _call_post(key)
    if key is None:
        del data[FORM_KEY_FIELD]
    assert client.post(reverse("autonomy:call_create"), data).status_code == 302
    assert client.post(reverse("autonomy:call_create"), data).status_code == 302
    assert CallForProposals.objects.filter(title="Autonomy call 2027").count() == 2
    assert not SubmittedForm.objects.exists()


@pytest.mark.django_db
def test_a_refused_post_uses_up_no_key(client_for, make_member):
    client = client_for(make_member(Role.ADMIN))
    url = reverse("autonomy:call_create")
    data = _call_post(form_key_of(client.get(url)))
    assert client.post(url, {**data, "closes_on": "2000-01-01"}).status_code == 400
    assert not SubmittedForm.objects.exists()
    assert client.post(url, data).status_code == 302
    assert CallForProposals.objects.count() == 1


@pytest.mark.django_db
def test_keys_are_one_users_and_expire_after_a_day(client_for, make_member):
    first_admin, second_admin = make_member(Role.ADMIN), make_member(Role.ADMIN)
    key = str(uuid.uuid4())
    url = reverse("autonomy:call_create")
    assert client_for(first_admin).post(url, _call_post(key)).status_code == 302
    # Another person's post with the same key is theirs: it neither sees nor is blocked by the first.
    second = client_for(second_admin).post(url, _call_post(key))
    assert second.status_code == 302 and not last_message(second).startswith("This was already created")
    assert CallForProposals.objects.count() == 2

    SubmittedForm.objects.update(created_at=timezone.now() - KEY_LIFETIME - datetime.timedelta(minutes=1))
    assert client_for(first_admin).post(url, _call_post(key)).status_code == 302
    assert CallForProposals.objects.count() == 3
    assert SubmittedForm.objects.filter(user=first_admin).count() == 1  # the expired row was removed


# --- requests -------------------------------------------------------------------------------------


@pytest.fixture
def open_call(db, make_member):
    return CallFactory(created_by=make_member(Role.ADMIN))


@pytest.mark.django_db
def test_a_request_started_twice_shows_the_second_post_the_first_draft(client_for, make_member, school, open_call):
    client = client_for(make_member(Role.PRINCIPAL, school=school))
    key = form_key_of(client.get(reverse("autonomy:call_list")))
    url = reverse("autonomy:request_start", args=[open_call.pk])

    first = client.post(url, {FORM_KEY_FIELD: key, "school": school.pk})
    assert first.status_code == 302
    second = client.post(url, {FORM_KEY_FIELD: key, "school": school.pk})
    created = AutonomyRequest.objects.get(school=school, call=open_call)
    assert second.status_code == 302
    assert second.url == first.url == reverse("autonomy:request_edit", args=[created.pk, "autonomies"])
    assert last_message(second) == f"This was already created: your school's request in “{open_call.title}”."


# --- API tokens -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_token_created_twice_is_created_and_shown_once(client_for, make_member, school):
    user = make_member(Role.PRINCIPAL, school=school)
    client = client_for(user)
    url = reverse("accounts:profile")
    data = {FORM_KEY_FIELD: form_key_of(client.get(url)), "name": "HR push"}

    first = client.post(url, data)
    assert first.status_code == 201 and "sgs_" in first.content.decode()
    second = client.post(url, data)
    assert second.status_code == 302 and second.url == url
    message = last_message(second)
    assert message.startswith("This was already created: the API token “HR push”. Its value is shown only once")
    assert "sgs_" not in message
    assert ApiToken.objects.filter(user=user).count() == 1


# --- at the same instant (PostgreSQL) -------------------------------------------------------------


@at_once
@from_two_connections
def test_a_call_posted_twice_at_once_is_opened_once(client_for, make_member):
    admin = make_member(Role.ADMIN)
    url = reverse("autonomy:call_create")
    data = _call_post(str(uuid.uuid4()))
    clients = [client_for(admin), client_for(admin)]
    statuses = post_at_once(*(lambda c=c: c.post(url, data) for c in clients))
    assert statuses == [302, 302]
    assert CallForProposals.objects.filter(title="Autonomy call 2027").count() == 1


@at_once
@from_two_connections
def test_a_request_started_twice_at_once_is_started_once(client_for, make_member, school):
    principal = make_member(Role.PRINCIPAL, school=school)
    call = CallFactory(created_by=make_member(Role.ADMIN))
    url = reverse("autonomy:request_start", args=[call.pk])
    data = {FORM_KEY_FIELD: str(uuid.uuid4()), "school": school.pk}
    clients = [client_for(principal), client_for(principal)]
    statuses = post_at_once(*(lambda c=c: c.post(url, data) for c in clients))
    assert statuses == [302, 302]  # neither is told the school already has a request
    assert AutonomyRequest.objects.filter(school=school, call=call).count() == 1


@at_once
@from_two_connections
def test_a_token_created_twice_at_once_is_created_once(client_for, make_member, school):
    user = make_member(Role.PRINCIPAL, school=school)
    url = reverse("accounts:profile")
    data = {FORM_KEY_FIELD: str(uuid.uuid4()), "name": "HR push"}
    clients = [client_for(user), client_for(user)]
    statuses = post_at_once(*(lambda c=c: c.post(url, data) for c in clients))
    assert sorted(statuses) == [201, 302]
    assert ApiToken.objects.filter(user=user).count() == 1
