"""The email outbox: a row per (event, recipient) written with the event, sent after commit by its own
task, each email once; failures counted and kept, failed rows retried from the admin."""

import socketserver
import threading
import time

import pytest
from django.db import connection, transaction
from django.urls import reverse

from core.models import Notification, OutboxEmail, OutboxStatus
from core.notifications import notify, notify_many
from core.outbox import outbox_send_pending
from core.tasks import outbox_send
from sgs_portal.celery import app
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


class _SMTPHandler(socketserver.StreamRequestHandler):
    """Just enough SMTP for Django's backend: it refuses recipients whose address starts with "refused",
    and takes `delay` seconds over each message, so that two senders overlap."""

    def reply(self, line: str) -> None:
        self.wfile.write(f"{line}\r\n".encode())

    def handle(self):
        self.reply("220 test ready")
        recipients = []
        while line := self.rfile.readline().decode().strip():
            verb = line.split(" ", 1)[0].upper()
            if verb in ("EHLO", "HELO"):
                self.reply("250 test")
            elif verb == "MAIL":
                recipients = []
                self.reply("250 OK")
            elif verb == "RCPT":
                address = line.split(":", 1)[1].strip(" <>")
                if address.startswith("refused"):
                    self.reply("550 No such user here")
                else:
                    recipients.append(address)
                    self.reply("250 OK")
            elif verb == "DATA":
                self.reply("354 End data with <CR><LF>.<CR><LF>")
                while self.rfile.readline().decode().rstrip("\r\n") != ".":
                    pass
                time.sleep(self.server.delay)
                with self.server.lock:
                    self.server.received.extend(recipients)
                self.reply("250 OK queued")
            elif verb == "RSET":
                self.reply("250 OK")
            elif verb == "QUIT":
                self.reply("221 Bye")
                return
            else:
                self.reply("502 Not implemented")


class _SMTPServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


@pytest.fixture
def smtp(settings):
    """A real SMTP server on 127.0.0.1, and the project's settings pointed at it."""
    server = _SMTPServer(("127.0.0.1", 0), _SMTPHandler)
    server.received, server.lock, server.delay = [], threading.Lock(), 0
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.server_address[1]
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    yield server
    server.shutdown()
    server.server_close()


def _closed_port() -> int:
    with socketserver.TCPServer(("127.0.0.1", 0), socketserver.BaseRequestHandler) as probe:
        return probe.server_address[1]


def test_the_email_is_queued_in_the_same_transaction_and_sent_after_commit(
    mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "https://portal.example.org"
    user = UserFactory()
    with transaction.atomic():
        notify(users=[user], key="flag:1:level:1", title="A notice", body="Deficiency.", url="/schools/X/")
        transaction.set_rollback(True)
    assert not OutboxEmail.objects.exists() and not Notification.objects.exists()  # rolled back together

    with django_capture_on_commit_callbacks(execute=True):
        notify(users=[user], key="flag:1:level:1", title="A notice", body="Deficiency.", url="/schools/X/")
        email = OutboxEmail.objects.get()
        assert email.status == OutboxStatus.PENDING and mailoutbox == []  # nothing leaves before the commit
    email.refresh_from_db()
    assert (email.status, email.attempts, email.kind, email.to_address) == ("sent", 1, "flag", user.email)
    assert email.sent_at is not None
    assert [(m.subject, m.body, m.to) for m in mailoutbox] == [
        ("A notice", "Deficiency.\n\nhttps://portal.example.org/schools/X/", [user.email])
    ]


def test_a_retried_event_queues_no_second_email_and_a_second_send_finds_nothing(
    mailoutbox, django_capture_on_commit_callbacks
):
    users = [UserFactory(), UserFactory(), UserFactory(email="")]
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            notify_many([(users, "grant:4:revoked:2", "Revoked", "Why.", "")])
            notify(users=users[:1], key="grant:4:revoked:2", title="Revoked")
    assert OutboxEmail.objects.count() == 2 and len(mailoutbox) == 2  # no address, no email
    assert outbox_send_pending() == {"sent": 0, "retrying": 0, "failed": 0}
    assert len(mailoutbox) == 2


def test_one_send_per_transaction_however_many_notifications(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        with transaction.atomic():
            for n in range(5):
                notify(users=[UserFactory()], key=f"request:{n}:event:1", title="Submitted")
    sends = [c for c in callbacks if getattr(c, "__name__", "") == "_outbox_enqueue"]
    assert len(sends) == 1 and OutboxEmail.objects.count() == 5


def test_a_refused_address_is_counted_and_kept_while_the_others_go(smtp, settings, django_capture_on_commit_callbacks):
    settings.OUTBOX_MAX_ATTEMPTS = 2
    good, refused = UserFactory(email="good@district.example"), UserFactory(email="refused@district.example")
    with django_capture_on_commit_callbacks(execute=True):
        notify(users=[good, refused], key="contract:1:event:1", title="Signed")
    sent, kept = OutboxEmail.objects.get(recipient=good), OutboxEmail.objects.get(recipient=refused)
    assert smtp.received == ["good@district.example"]
    assert (sent.status, sent.attempts, sent.last_error) == ("sent", 1, "")
    assert (kept.status, kept.attempts) == ("pending", 1) and "No such user here" in kept.last_error
    assert outbox_send_pending() == {"sent": 0, "retrying": 0, "failed": 1}
    kept.refresh_from_db()
    assert (kept.status, kept.attempts) == ("failed", 2) and "550" in kept.last_error
    assert outbox_send_pending() == {"sent": 0, "retrying": 0, "failed": 0}  # failed rows wait for a person
    assert smtp.received == ["good@district.example"]


def test_an_unreachable_mail_server_leaves_every_email_pending_then_failed_and_an_admin_retries_them(
    settings, client_for, mailoutbox, django_capture_on_commit_callbacks
):
    settings.OUTBOX_MAX_ATTEMPTS = 2
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", _closed_port(), 2
    users = [UserFactory(), UserFactory()]
    with django_capture_on_commit_callbacks(execute=True):
        notify(users=users, key="flag:9:level:2", title="Corrective plan")
    assert set(OutboxEmail.objects.values_list("status", "attempts")) == {("pending", 1)}
    assert "ConnectionRefusedError" in OutboxEmail.objects.first().last_error
    outbox_send.delay()  # the sweep
    assert set(OutboxEmail.objects.values_list("status", "attempts")) == {("failed", 2)}

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    admin = UserFactory(is_staff=True, is_superuser=True)
    ids = list(OutboxEmail.objects.values_list("pk", flat=True))
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(admin).post(
            reverse("admin:core_outboxemail_changelist"),
            {"action": "retry_failed", "_selected_action": ids},
            follow=True,
        )
    assert "2 failed email(s) put back in the queue." in response.content.decode()
    assert set(OutboxEmail.objects.values_list("status", "attempts")) == {("sent", 1)}
    assert sorted(m.to[0] for m in mailoutbox) == sorted(u.email for u in users)


def test_the_outbox_admin_lists_and_shows_but_does_not_edit(client_for):
    admin = UserFactory(is_staff=True, is_superuser=True)
    notify(users=[UserFactory()], key="flag:3:level:1", title="A notice")
    email = OutboxEmail.objects.get()
    client = client_for(admin)
    listing = client.get(reverse("admin:core_outboxemail_changelist")).content.decode()
    assert "A notice" in listing and "Retry the selected failed emails" in listing
    page = client.get(reverse("admin:core_outboxemail_change", args=[email.pk]))
    assert page.status_code == 200 and 'name="subject"' not in page.content.decode()
    assert client.get(reverse("admin:core_outboxemail_add")).status_code == 403


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="SKIP LOCKED needs PostgreSQL")
def test_two_senders_at_once_send_each_email_once(smtp, settings):
    smtp.delay = 0.02
    settings.OUTBOX_BATCH_SIZE = 4
    users = [UserFactory() for _ in range(24)]
    with transaction.atomic():  # queued only: the senders below do the sending
        for user in users:
            OutboxEmail.objects.create(
                recipient=user, to_address=user.email, kind="flag", key="flag:1:level:1", subject="A notice"
            )
    barrier, totals = threading.Barrier(2), []

    def send():
        try:
            barrier.wait(timeout=10)
            totals.append(outbox_send_pending())
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(smtp.received) == sorted(u.email for u in users)  # each once
    assert sum(t["sent"] for t in totals) == 24 and all(t["sent"] for t in totals)  # both took a share
    assert set(OutboxEmail.objects.values_list("status", "attempts")) == {("sent", 1)}


def test_beat_sweeps_the_outbox_every_five_minutes():
    entry = app.conf.beat_schedule["outbox-sweep"]
    assert entry["task"] == "core.tasks.outbox_send" == outbox_send.name
    assert entry["schedule"].minute == set(range(0, 60, 5))
