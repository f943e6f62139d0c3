"""The liaison's partnership log: visits, coaching sessions and meetings with a school's principal.

The liaison supports; flags stay with the autonomy office. The log is visible to the school's principal.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from core.models import TimeStampedModel
from schools.models import School

# The longest single entry: a full working day.
ENTRY_MAX_MINUTES = 600

# The names migration 0002 gives the focus areas, for the Spanish catalog: the log shows a name the district
# kept in the reader's language, and a name the district changed in the admin as it was written.
SEEDED_FOCUS_AREA_NAMES = (
    gettext_noop("Time for instructional leadership"),
    gettext_noop("Coaching and professional learning"),
    gettext_noop("Evidence of practice and what to improve"),
    gettext_noop("Evaluation that helps the principal grow"),
    gettext_noop("Central-office services for the school"),
    gettext_noop("Equitable, culturally responsive schools"),
    gettext_noop("The supervisor's own learning"),
    gettext_noop("Leading change across schools"),
)


class FocusArea(TimeStampedModel):
    """A focus a contact is tagged with: the district's wording of the principal-supervisor standards."""

    number = models.PositiveSmallIntegerField(unique=True)
    name = models.CharField(max_length=200)
    instructional = models.BooleanField(
        default=False, help_text="About the principal's instructional leadership (the first standards)."
    )

    class Meta:
        ordering = ["number"]

    def __str__(self):
        return f"{self.number}. {self.name}"


class ContactKind(models.TextChoices):
    VISIT = "visit", _("School visit")
    COACHING = "coaching", _("Coaching session")
    MEETING = "meeting", _("Meeting")
    CALL = "call", _("Call")


class PartnershipEntry(TimeStampedModel):
    """One contact between a liaison and a school's principal, with what they agreed to do next."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="partnership_entries")
    liaison = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="partnership_entries")
    kind = models.CharField(max_length=10, choices=ContactKind.choices)
    on = models.DateField()
    minutes = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(ENTRY_MAX_MINUTES)])
    with_principal = models.BooleanField(default=True, help_text="Time spent with the principal.")
    focus = models.ManyToManyField(FocusArea, blank=True, related_name="+")
    notes = models.TextField(blank=True)
    next_steps = models.TextField(blank=True)
    next_step_due = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-on", "-pk"]
        verbose_name_plural = "partnership entries"
        indexes = [models.Index(fields=["school", "-on"], name="partnership_school_latest")]
        constraints = [
            models.CheckConstraint(
                condition=Q(minutes__gte=1) & Q(minutes__lte=ENTRY_MAX_MINUTES), name="partnership_minutes_in_range"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} at {self.school} on {self.on}"
