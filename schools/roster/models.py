"""The roster import's tables. They live in the schools app (schools/models.py imports them) because the
roster's keys name schools and the people who hold memberships at them, and only this import reads them.

Why a person's sourcedId is a row of its own (RosterPerson) and not a field on the user: the accounts are
Django's own User, which has no room for it, and accounts knows nothing of schools; a one-to-one row here
marks exactly the accounts the roster manages. An account without one (the first admin, a break-glass
account) is never changed or deactivated by an import.
"""

from django.conf import settings
from django.db import models


class PortalRole(models.TextChoices):
    PRINCIPAL = "principal", "Principal"
    SCHOOL_TEAM = "school_team", "School leadership team"
    IGNORE = "ignore", "Not imported"


class RosterRoleMapping(models.Model):
    """What a OneRoster role at a school becomes in the portal; the autonomy office edits these rows.

    A role in a file with no row here is refused (naming the file and line): a new kind of staff is never
    let in, nor silently dropped, before the office has said what it is.
    """

    oneroster_role = models.CharField(max_length=40, unique=True, help_text="As the file writes it: administrator.")
    portal_role = models.CharField(max_length=12, choices=PortalRole.choices)

    class Meta:
        ordering = ["oneroster_role"]

    def __str__(self):
        return f"{self.oneroster_role} → {self.get_portal_role_display()}"


class RosterPerson(models.Model):
    """An account the roster keeps: its sourcedId in the district's files."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="roster_person")
    sourced_id = models.CharField(max_length=255, unique=True)

    def __str__(self):
        return self.sourced_id


class RosterImportStatus(models.TextChoices):
    CHECKING = "checking", "Checking"
    CHECKED = "checked", "Checked: ready to apply"
    REFUSED = "refused", "Refused"
    APPLYING = "applying", "Applying"
    APPLIED = "applied", "Applied"
    STALE = "stale", "Not applied: the portal changed since the check"
    FAILED = "failed", "Failed"


class RosterImport(models.Model):
    """One uploaded file set: checked first (a dry run whose plan is kept here), applied after, on request.

    The file is kept until it is applied, so that what is applied is exactly what was checked; the digest
    of the checked plan is compared again when it is applied.
    """

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    file_name = models.CharField(max_length=200)
    data = models.BinaryField(editable=False)
    status = models.CharField(max_length=10, choices=RosterImportStatus.choices, default=RosterImportStatus.CHECKING)
    version = models.CharField(max_length=3, blank=True, help_text="The files' OneRoster version.")
    counts = models.JSONField(default=dict, blank=True)
    changes = models.JSONField(default=list, blank=True, help_text="The first rows of the plan.")
    changes_total = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True, help_text="The first bad rows: file, line, reason.")
    error_count = models.PositiveIntegerField(default=0)
    plan_digest = models.CharField(max_length=64, blank=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.file_name} ({self.get_status_display()})"

    @property
    def working(self) -> bool:
        return self.status in {RosterImportStatus.CHECKING, RosterImportStatus.APPLYING}
