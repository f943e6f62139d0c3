"""A what-if: a published (or draft) formula with some of its parameters changed, compared school by
school before anything is published. Its results are computed when asked (budgeting.services.scenarios),
never stored; adopting it makes the next draft version of the formula."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from budgeting.models.enrollment import EnrollmentSnapshot
from budgeting.models.formula import FormulaVersion
from core.models import TimeStampedModel


class ScenarioStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ADOPTED = "adopted", _("Adopted")
    DISCARDED = "discarded", _("Discarded")


class Scenario(TimeStampedModel):
    name = models.CharField(max_length=200)
    formula = models.ForeignKey(FormulaVersion, on_delete=models.PROTECT, related_name="scenarios")
    snapshot = models.ForeignKey(EnrollmentSnapshot, on_delete=models.PROTECT, related_name="scenarios")
    status = models.CharField(max_length=9, choices=ScenarioStatus.choices, default=ScenarioStatus.DRAFT)
    # What differs from the formula: {"base_per_pupil": "4100.00", "pool": …, "weights": {"poverty": "0.15"},
    # "transition_mode": …, "stop_loss_share": …, "enrollment": {"S0001": {"poverty": 120}}} — checked by
    # budgeting.services.scenarios before it is saved.
    changes = models.JSONField(default=dict, blank=True)
    notes = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    adopted_as = models.OneToOneField(
        FormulaVersion, on_delete=models.SET_NULL, null=True, blank=True, related_name="adopted_from"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.name
