"""core.bulk: many rows inserted as a VALUES list, the same rows as bulk_create writes."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.bulk import bulk_insert
from core.models import Notification
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_bulk_insert_writes_every_row_as_given_and_leaves_the_first_rows_value_as_it_was():
    user = UserFactory()
    rows = [
        Notification(user=user, key=f"k:{n}", title=f'A "quoted" title {n}', body='{"json": "like"}\n' * n)
        for n in range(5)
    ]
    with CaptureQueriesContext(connection) as queries:
        written = bulk_insert(Notification, rows, literal="key", ignore_conflicts=True)
    assert written[0].key == "k:0" and rows[0].key == "k:0"
    stored = list(Notification.objects.order_by("key").values_list("key", "title", "body"))
    assert stored == [(r.key, r.title, r.body) for r in rows]
    (insert,) = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("INSERT")]
    assert "UNNEST" not in insert.upper()


def test_bulk_insert_of_nothing_writes_nothing(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert bulk_insert(Notification, [], literal="key") == []


def test_a_row_already_there_is_left_alone_with_ignore_conflicts():
    user = UserFactory()
    Notification.objects.create(user=user, key="same", title="First")
    bulk_insert(
        Notification, [Notification(user=user, key="same", title="Second")], literal="key", ignore_conflicts=True
    )
    assert list(Notification.objects.values_list("title", flat=True)) == ["First"]


def test_bulk_copy_writes_the_rows_bulk_create_would_with_defaults_and_json():
    from core.bulk import bulk_copy
    from core.models import OutboxEmail

    user = UserFactory(email="p@example.org")
    bulk_copy(
        OutboxEmail,
        [
            OutboxEmail(
                recipient=user, to_address=user.email, kind="flag", key=f"flag:{n}", subject=f"S{n}", body='a\tb\n"c"\\'
            )
            for n in range(3)
        ],
    )
    stored = OutboxEmail.objects.order_by("key")
    assert [(e.key, e.subject, e.body, e.status, e.attempts) for e in stored] == [
        (f"flag:{n}", f"S{n}", 'a\tb\n"c"\\', "pending", 0) for n in range(3)
    ]
    assert all(e.created_at is not None and e.recipient_id == user.pk for e in stored)


def test_bulk_copy_keeps_json_as_json():
    from autonomy.models import Autonomy, AutonomyGrant, GrantEvent
    from core.bulk import bulk_copy
    from tests.factories import SchoolFactory, grant

    held: AutonomyGrant = grant(SchoolFactory(), "people.hiring")
    evidence = {"criteria": [{"holds": True, "value": "4.5", "text": 'quote " and tab \t'}], "as_of": "2026-11-01"}
    bulk_copy(
        GrantEvent,
        [GrantEvent(grant=held, at=held.created_at, action="note", to_status="active", reason="R", evidence=evidence)],
    )
    assert GrantEvent.objects.get(action="note").evidence == evidence
    assert Autonomy.objects.filter(pk=held.autonomy_id).exists()
