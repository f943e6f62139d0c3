"""How many students each school has, by category: projected (in spring, for the budget) or official
(counted in the fall and after, for true-ups). A snapshot is one dated count of every school."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from budgeting.models.formula import EnrollmentCategory
from core.models import TimeStampedModel
from schools.models import School, SchoolYear


class SnapshotKind(models.TextChoices):
    PROJECTED = "projected", _("Projected")
    OFFICIAL = "official", _("Official count")


class SnapshotSource(models.TextChoices):
    IMPORT = "import", _("Imported file")
    PROJECTION = "projection", _("Projected from earlier years")


class EnrollmentSnapshot(TimeStampedModel):
    school_year = models.ForeignKey(SchoolYear, on_delete=models.PROTECT, related_name="enrollment_snapshots")
    kind = models.CharField(max_length=9, choices=SnapshotKind.choices)
    as_of = models.DateField(help_text="The day the students were counted or projected.")
    source = models.CharField(max_length=10, choices=SnapshotSource.choices)
    label = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")

    class Meta:
        ordering = ["school_year__start_date", "as_of", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["school_year", "kind", "as_of"], name="snapshot_one_per_day_and_kind")
        ]

    def __str__(self):
        return f"{self.school_year.label} {self.get_kind_display().lower()} enrollment, {self.as_of:%Y-%m-%d}"


class EnrollmentCount(models.Model):
    snapshot = models.ForeignKey(EnrollmentSnapshot, on_delete=models.CASCADE, related_name="counts")
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    category = models.ForeignKey(EnrollmentCategory, on_delete=models.PROTECT, related_name="+")
    students = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["snapshot", "school", "category"], name="count_one_per_school_category"),
            models.CheckConstraint(condition=Q(students__gte=0), name="count_not_negative"),
        ]
        indexes = [models.Index(fields=["school", "snapshot"], name="count_school_snapshot")]

    def __str__(self):
        return f"{self.school_id} {self.category_id}: {self.students}"
