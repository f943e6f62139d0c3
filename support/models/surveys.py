"""Principals rate central office: a survey cycle per term, items the district sets, each department rated.

Who answered is kept apart from what they answered: `SurveyParticipation` says a principal took part (so a
second answer is refused); `SurveyResponse` holds the answers with the school's network only, never the
person or the school. Results are shown only where at least the policy's minimum answered.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.models import StatusEvent, TimeStampedModel
from core.translated import TranslatedCharField
from schools.models import Network, School, SchoolYear
from support.models.departments import Department

SCALE_MIN, SCALE_MAX = 1, 5
POSITIVE_FROM = 4  # "agree" or "strongly agree"


class SurveyStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open for answers")
    CLOSED = "closed", _("Closed")


class SurveyCycle(TimeStampedModel):
    school_year = models.ForeignKey(SchoolYear, on_delete=models.PROTECT, related_name="+")
    term = TranslatedCharField(max_length=40, help_text="As Fall or Spring.")
    term_es = models.CharField("term in Spanish", max_length=40, blank=True, help_text="As Otoño or Primavera.")
    opens_on = models.DateField()
    closes_on = models.DateField()
    status = models.CharField(max_length=8, choices=SurveyStatus.choices, default=SurveyStatus.DRAFT)

    class Meta:
        ordering = ["-opens_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["school_year", "term"], name="survey_cycle_once_per_term"),
            models.CheckConstraint(condition=Q(closes_on__gte=F("opens_on")), name="survey_cycle_closes_after_opens"),
        ]

    def __str__(self):
        return f"{self.term} {self.school_year}"


class SurveyEvent(StatusEvent):
    subject_field = "cycle"

    cycle = models.ForeignKey(SurveyCycle, on_delete=models.CASCADE, related_name="events")


class SurveyItem(TimeStampedModel):
    """A statement each department is rated on, from 1 (strongly disagree) to 5 (strongly agree)."""

    cycle = models.ForeignKey(SurveyCycle, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField()
    text = TranslatedCharField(max_length=300)
    text_es = models.CharField("statement in Spanish", max_length=300, blank=True)

    class Meta:
        ordering = ["cycle", "position"]
        constraints = [models.UniqueConstraint(fields=["cycle", "position"], name="survey_item_position_once")]

    def __str__(self):
        return self.text


class SurveyParticipation(models.Model):
    """That a principal answered a cycle, for one school: one answer per principal and school per cycle."""

    cycle = models.ForeignKey(SurveyCycle, on_delete=models.CASCADE, related_name="participations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cycle", "user"], name="survey_participation_once_per_person"),
            models.UniqueConstraint(fields=["cycle", "school"], name="survey_participation_once_per_school"),
        ]

    def __str__(self):
        return f"{self.user} answered {self.cycle}"


class SurveyResponse(models.Model):
    """One principal's answers, kept without the person or the school."""

    cycle = models.ForeignKey(SurveyCycle, on_delete=models.CASCADE, related_name="responses")
    network = models.ForeignKey(Network, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    submitted_on = models.DateField()

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return f"An answer to {self.cycle}"


class SurveyAnswer(models.Model):
    response = models.ForeignKey(SurveyResponse, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(SurveyItem, on_delete=models.CASCADE, related_name="answers")
    department = models.CharField(max_length=20, choices=Department.choices)
    value = models.PositiveSmallIntegerField(validators=[MinValueValidator(SCALE_MIN), MaxValueValidator(SCALE_MAX)])

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "item", "department"], name="survey_answer_once"),
            models.CheckConstraint(
                condition=Q(value__gte=SCALE_MIN) & Q(value__lte=SCALE_MAX), name="survey_answer_on_scale"
            ),
        ]

    def __str__(self):
        return f"{self.get_department_display()}: {self.value}"
