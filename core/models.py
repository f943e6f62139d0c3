from django.conf import settings
from django.db import models


class TimeStampedModel(models.Model):
    """Base for every domain row: when it was created and last changed."""

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class StatusEvent(models.Model):
    """One step of a workflow, append-only: who (null: the nightly job), when, which action, from what
    to what, why and on which evidence. Each app's event model extends it with a foreign key to its
    subject, named by `subject_field`; core.workflows writes every row.
    """

    subject_field: str = ""

    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    at = models.DateTimeField()
    action = models.CharField(max_length=40)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20)
    reason = models.TextField(blank=True)
    evidence = models.JSONField(default=dict, blank=True)

    class Meta:
        abstract = True
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.action}: {self.from_status or '—'} → {self.to_status}"

    def _status_label(self, value: str) -> str:
        subject = self._meta.get_field(self.subject_field).related_model
        return dict(subject._meta.get_field("status").choices).get(value, value)

    def get_from_status_display(self) -> str:
        return self._status_label(self.from_status) if self.from_status else ""

    def get_to_status_display(self) -> str:
        return self._status_label(self.to_status)


class Notification(models.Model):
    """A message in a user's in-app inbox; also sent by email. One per (user, key): retries add none."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    key = models.CharField(max_length=200, help_text="Identifies the event, so a retry is not a duplicate.")
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="notification_once_per_event")]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self):
        return self.title


class OutboxStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"


class OutboxEmail(models.Model):
    """An email waiting to be sent, written in the same transaction as the event it tells of.

    One per (key, recipient): the key is the notification's event key (`flag:<id>:level:<rung>` for a
    flag a run opened or escalated, `grant:<id>:event:<event id>` for a change of a grant, …), so it names
    the run or event and the kind of message; a retried or redelivered run writes no second row. Rows
    are sent by core.tasks.outbox_send after commit, and by its periodic sweep when that enqueue was lost.
    """

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    to_address = models.EmailField()
    kind = models.CharField(max_length=40, help_text="What the event is about: flag, grant, request, contract …")
    key = models.CharField(max_length=200, help_text="The notification's event key.")
    subject = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    status = models.CharField(max_length=8, choices=OutboxStatus.choices, default=OutboxStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["key", "recipient"], name="outbox_once_per_event_and_recipient"),
            models.CheckConstraint(
                condition=models.Q(status="sent", sent_at__isnull=False) | ~models.Q(status="sent"),
                name="outbox_sent_has_sent_at",
            ),
        ]
        # The sender reads pending rows in id order: a partial index keeps that cheap as sent rows pile up.
        indexes = [
            models.Index(fields=["id"], condition=models.Q(status="pending"), name="outbox_pending"),
        ]

    def __str__(self):
        return f"{self.subject} → {self.to_address} ({self.status})"


class SubmittedForm(models.Model):
    """A creating form that was posted, by the key drawn into the page: a second post of the same page
    (a double click, two tabs at once) finds this row and is sent to what the first one created.

    Written by core.idempotency.create_once in the transaction that creates the object. Unique per
    (user, key) rather than per key alone, so a key copied from someone else's page never reveals or
    blocks their result. Rows older than a day are removed when the user next posts such a form.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.UUIDField()
    url = models.CharField(max_length=300, blank=True, help_text="Where the first post's result is shown.")
    label = models.CharField(max_length=300, blank=True, help_text="What the first post created, in words.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="submitted_form_once_per_key")]
        indexes = [models.Index(fields=["user", "created_at"], name="submitted_form_expiry")]

    def __str__(self):
        return f"{self.label or self.key} ({self.created_at:%Y-%m-%d %H:%M})"
