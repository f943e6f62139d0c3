"""core.bulk: many rows copied in (COPY on PostgreSQL, bulk_create elsewhere), the same rows as bulk_create writes."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.bulk import bulk_copy
from core.models import Notification
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _notifications(user, count: int, *, prefix: str = "k") -> list[Notification]:
    return [
        Notification(user=user, key=f"{prefix}:{n}", title=f'A "quoted" title {n}', body='{"json": "like"}\t\\\n' * n)
        for n in range(count)
    ]


def test_every_row_is_written_as_given():
    user = UserFactory()
    rows = _notifications(user, 5)
    bulk_copy(Notification, rows)
    stored = list(Notification.objects.order_by("key").values_list("key", "title", "body", "user_id"))
    assert stored == [(r.key, r.title, r.body, user.pk) for r in rows]


def test_nothing_to_write_sends_nothing(django_assert_num_queries):
    with django_assert_num_queries(0):
        bulk_copy(Notification, [])
        bulk_copy(Notification, [], ignore_conflicts=True)


def test_with_ids_each_row_gets_the_id_it_is_stored_under_and_later_rows_do_not_collide():
    user = UserFactory()
    before = Notification.objects.create(user=user, key="before")
    rows = _notifications(user, 4)
    bulk_copy(Notification, rows, ids=True)
    assert all(row.pk is not None for row in rows)
    assert {row.pk: row.key for row in rows} == dict(
        Notification.objects.filter(pk__in=[row.pk for row in rows]).values_list("pk", "key")
    )
    assert min(row.pk for row in rows) > before.pk
    after = Notification.objects.create(user=user, key="after")  # the sequence moved past the copied ids
    assert after.pk > max(row.pk for row in rows)


def test_a_row_already_there_is_left_alone_with_ignore_conflicts_and_the_others_are_written():
    user = UserFactory()
    Notification.objects.create(user=user, key="k:1", title="First")
    bulk_copy(Notification, _notifications(user, 3), ignore_conflicts=True)
    assert dict(Notification.objects.values_list("key", "title")) == {
        "k:0": 'A "quoted" title 0',
        "k:1": "First",
        "k:2": 'A "quoted" title 2',
    }


def test_a_conflict_without_ignore_conflicts_is_an_error_and_writes_nothing():
    from django.db import IntegrityError

    user = UserFactory()
    Notification.objects.create(user=user, key="k:1", title="First")
    with pytest.raises(IntegrityError), transaction.atomic():
        bulk_copy(Notification, _notifications(user, 3))
    assert list(Notification.objects.values_list("key", flat=True)) == ["k:1"]


def test_ids_and_ignore_conflicts_together_are_refused():
    with pytest.raises(ValueError, match="ids"):
        bulk_copy(Notification, _notifications(UserFactory(), 1), ids=True, ignore_conflicts=True)


@pytest.mark.parametrize("count", [1, 40])
def test_the_statements_do_not_grow_with_the_rows(count):
    user = UserFactory()
    with CaptureQueriesContext(connection) as plain:
        bulk_copy(Notification, _notifications(user, count, prefix="plain"))
    with CaptureQueriesContext(connection) as with_ids:
        bulk_copy(Notification, _notifications(user, count, prefix="ids"), ids=True)
    with CaptureQueriesContext(connection) as ignoring:
        bulk_copy(Notification, _notifications(user, count, prefix="ignoring"), ignore_conflicts=True)
    if connection.vendor == "postgresql":  # with ids: the ids first; ignoring conflicts: in a savepoint
        assert [len(plain), len(with_ids), len(ignoring)] == [1, 2, 3]
        assert all(q["sql"].startswith("COPY") for q in plain.captured_queries)
    else:
        assert [len(plain), len(with_ids), len(ignoring)] == [1, 1, 1]
    assert Notification.objects.count() == 3 * count


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="temporary tables of COPY are PostgreSQL's")
def test_rows_copied_through_a_staging_table_leave_none_behind_written_or_rolled_back():
    from core.bulk import copy_through_staging

    user = UserFactory()
    Notification.objects.create(user=user, key="k:1", title="First")

    def staging_tables():
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_class WHERE relname LIKE '%%_staging' AND relpersistence = 't'")
            return cursor.fetchone()[0]

    def rows(prefix):
        now = timezone.now()
        return [(user.pk, f"{prefix}:{n}", f"T{n}", "", "", now) for n in range(3)]

    columns = ("user_id", "key", "title", "body", "url", "created_at")
    copy_through_staging("core_notification", columns, rows("k"), on_conflict="DO NOTHING")
    assert staging_tables() == 0
    assert dict(Notification.objects.values_list("key", "title")) == {"k:0": "T0", "k:1": "First", "k:2": "T2"}
    with transaction.atomic():
        copy_through_staging("core_notification", columns, rows("again"), on_conflict="DO NOTHING")
        transaction.set_rollback(True)
    assert staging_tables() == 0
    assert Notification.objects.count() == 3


def test_values_with_ignore_conflicts_leave_a_row_already_there_and_write_the_others():
    from core.bulk import bulk_copy_values

    user = UserFactory()
    Notification.objects.create(user=user, key="k:1", title="First")
    bulk_copy_values(
        Notification, [{"user_id": user.pk, "key": f"k:{n}", "title": f"T{n}"} for n in range(3)], ignore_conflicts=True
    )
    assert dict(Notification.objects.values_list("key", "title")) == {"k:0": "T0", "k:1": "First", "k:2": "T2"}


def test_bulk_copy_writes_the_rows_bulk_create_would_with_defaults_and_json():
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
    from tests.factories import SchoolFactory, grant

    held: AutonomyGrant = grant(SchoolFactory(), "people.hiring")
    evidence = {"criteria": [{"holds": True, "value": "4.5", "text": 'quote " and tab \t'}], "as_of": "2026-11-01"}
    bulk_copy(
        GrantEvent,
        [GrantEvent(grant=held, at=held.created_at, action="note", to_status="active", reason="R", evidence=evidence)],
    )
    assert GrantEvent.objects.get(action="note").evidence == evidence
    assert Autonomy.objects.filter(pk=held.autonomy_id).exists()


def test_rows_given_as_values_take_the_fields_defaults_and_now_as_bulk_create_would():
    from core.bulk import bulk_copy_values
    from core.models import OutboxEmail

    user = UserFactory(email="p@example.org")
    given = [
        {"recipient_id": user.pk, "to_address": user.email, "kind": "flag", "key": f"flag:{n}", "subject": f"S{n}"}
        for n in range(3)
    ]
    bulk_copy_values(OutboxEmail, [dict(row, body='a\tb\n"c"\\') for row in given])
    OutboxEmail.objects.bulk_create(
        [OutboxEmail(**dict(row, key=f"{row['key']}:b", body='a\tb\n"c"\\')) for row in given]
    )
    rows = list(OutboxEmail.objects.order_by("key"))
    assert len(rows) == 6 and all(e.created_at is not None for e in rows)
    by_key = {e.key: e for e in rows}
    fields = ("recipient_id", "to_address", "kind", "subject", "body", "status", "attempts", "last_error", "sent_at")
    for n in range(3):
        one, other = by_key[f"flag:{n}"], by_key[f"flag:{n}:b"]
        assert [getattr(one, f) for f in fields] == [getattr(other, f) for f in fields]
    assert by_key["flag:0"].status == "pending" and by_key["flag:0"].attempts == 0


def test_values_keep_json_as_json():
    from autonomy.models import GrantEvent
    from core.bulk import bulk_copy_values
    from tests.factories import SchoolFactory, grant

    held = grant(SchoolFactory(), "people.hiring")
    evidence = {"criteria": [{"holds": True, "value": "4.5", "text": 'quote " and tab \t'}], "as_of": "2026-11-01"}
    bulk_copy_values(
        GrantEvent,
        [{"grant_id": held.pk, "at": held.created_at, "action": "note", "to_status": "active", "evidence": evidence}],
    )
    note = GrantEvent.objects.get(action="note")
    assert note.evidence == evidence and note.reason == "" and note.from_status == ""
