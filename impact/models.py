"""impact's own table: the district's decisions taken from the evidence. Every figure the pages show is
read from the apps below and computed on request (the estimates kept in the shared cache, impact.cache)."""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q

from autonomy.models import Autonomy


class DecisionKind(models.TextChoices):
    EXTEND = "extend", "Extend it to more schools"
    KEEP = "keep", "Keep it as it is"
    ADJUST = "adjust", "Adjust its terms"
    CRITERION = "criterion", "Change an eligibility criterion"
    RETIRE = "retire", "Retire it"


class AutonomyDecision(models.Model):
    """What the district decided about an autonomy from the evaluation, and the view it looked at.
    Append-only: a later decision supersedes an earlier one, which stays in the log."""

    autonomy = models.ForeignKey(Autonomy, on_delete=models.PROTECT, related_name="impact_decisions")
    decision = models.CharField(max_length=10, choices=DecisionKind.choices)
    rationale = models.TextField(help_text="What in the evidence led to the decision, in a few sentences.")
    evidence_path = models.CharField(
        max_length=500,
        blank=True,
        validators=[RegexValidator(r"^/impact/", "Link to a page of Is autonomy working?")],
        help_text="The page of the evaluation the decision came from.",
    )
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-decided_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(decision__in=DecisionKind.values), name="impact_decision_kind_valid"),
            models.CheckConstraint(
                condition=Q(evidence_path="") | Q(evidence_path__startswith="/impact/"),
                name="impact_decision_evidence_is_impact",
            ),
        ]

    def __str__(self):
        return f"{self.autonomy.code}: {self.decision} ({self.decided_at:%Y-%m-%d})"
