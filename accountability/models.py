from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import StatusEvent, TimeStampedModel
from metrics.fields import value_field


class RunStatus(models.TextChoices):
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")
    HELD = "held", _("Held for review")
    DISCARDED = "discarded", _("Discarded")


class EvaluationRun(TimeStampedModel):
    """One evaluation of every active contract as of a date: what it counted and how it ended."""

    as_of = models.DateField(unique=True, help_text="One ledger row per date: a re-run is another attempt.")
    attempts = models.PositiveSmallIntegerField(default=0)
    unfinished_attempts = models.PositiveSmallIntegerField(
        default=0, help_text="Attempts in a row that started and never ended the run: their worker was lost."
    )
    status = models.CharField(max_length=10, choices=RunStatus.choices, default=RunStatus.RUNNING)
    trigger = models.CharField(max_length=20, default="manual", help_text="nightly, manual or api.")
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    counts = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    held_reason = models.TextField(
        blank=True, help_text="Why the run stopped for an admin to confirm or discard it, in plain words."
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    discarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-started_at"]

    def __str__(self):
        return f"Evaluation as of {self.as_of} ({self.status})"


class EvaluationAttempt(models.Model):
    """One attempt at a run, kept as it ended: a re-run of a date is another attempt, and the first one's
    record stays. `changes` lists what it changed (flags opened and raised, grants moved), school by school;
    an attempt that changed nothing says so. An attempt whose worker was lost stays "running" until a later
    attempt of the run finds it so and marks it lost."""

    run = models.ForeignKey(EvaluationRun, on_delete=models.CASCADE, related_name="attempt_log")
    number = models.PositiveSmallIntegerField()
    trigger = models.CharField(max_length=20)
    status = models.CharField(max_length=10, choices=RunStatus.choices, default=RunStatus.RUNNING)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    counts = models.JSONField(default=dict, blank=True)
    changes = models.JSONField(default=list, blank=True, help_text="What the attempt changed, school by school.")
    changes_total = models.PositiveIntegerField(default=0, help_text="All its changes; `changes` keeps the first ones.")
    held_reason = models.TextField(blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["run", "-number"]
        constraints = [models.UniqueConstraint(fields=["run", "number"], name="attempt_number_unique_per_run")]

    def __str__(self):
        return f"{self.run} attempt {self.number} ({self.status})"


class ResultStatus(models.TextChoices):
    MET = "met", _("Met")
    NOT_MET = "not_met", _("Not met")
    NO_DATA = "no_data", _("No data")


class Rating(models.TextChoices):
    EXCEEDS = "exceeds", _("Exceeds")
    MEETS = "meets", _("Meets")
    DOES_NOT_MEET = "does_not_meet", _("Does not meet")
    FALLS_FAR_BELOW = "falls_far_below", _("Falls far below")


class BenchmarkResult(models.Model):
    """A benchmark's outcome for one period, with the inputs that decided it. Upserted by each run."""

    benchmark = models.ForeignKey("contracts.Benchmark", on_delete=models.CASCADE, related_name="results")
    period = models.CharField(max_length=7)
    status = models.CharField(max_length=8, choices=ResultStatus.choices)
    rating = models.CharField(max_length=16, choices=Rating.choices, blank=True)
    value = value_field(optional=True)
    target = value_field()
    inputs = models.JSONField(default=dict, blank=True)
    run = models.ForeignKey(EvaluationRun, on_delete=models.SET_NULL, null=True, related_name="results")
    evaluated_at = models.DateTimeField()

    class Meta:
        ordering = ["benchmark", "period"]
        constraints = [
            models.UniqueConstraint(fields=["benchmark", "period"], name="result_one_per_benchmark_period"),
        ]

    def __str__(self):
        return f"{self.benchmark_id} {self.period}: {self.status}"


class FlagStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged by the liaison")
    PLAN_SUBMITTED = "plan_submitted", _("Improvement plan submitted")
    RESOLVED = "resolved", _("Resolved")
    ESCALATED = "escalated", _("Escalated")


LIVE_FLAG_STATUSES = (FlagStatus.OPEN, FlagStatus.ACKNOWLEDGED, FlagStatus.PLAN_SUBMITTED)


class InterventionFlag(models.Model):
    """A case opened when a contract's intervention rule holds. One live flag per school × rule."""

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="flags")
    rule = models.ForeignKey("contracts.InterventionRule", on_delete=models.PROTECT, related_name="flags")
    rule_key = models.SlugField(max_length=60)
    level = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=16, choices=FlagStatus.choices, default=FlagStatus.OPEN)
    period = models.CharField(max_length=7)
    deficiency = models.TextField()
    provision = models.CharField(max_length=200)
    remedy = models.TextField()
    deadline = models.DateField()
    evidence = models.JSONField(default=dict)
    opened_run = models.ForeignKey(EvaluationRun, on_delete=models.PROTECT, related_name="flags_opened")
    opened_at = models.DateTimeField()
    condition_cleared_at = models.DateTimeField(null=True, blank=True)
    plan = models.TextField(blank=True)
    # The intervention clock stops while central office has missed a commitment of the contract that bears
    # on an autonomy this flag's benchmarks keep (accountability.services.evaluation.pauses): the flag is
    # not raised and its deadline does not run; when it resumes, the deadline moves by the days it stood.
    clock_paused_on = models.DateField(null=True, blank=True, help_text="The evaluation date the clock stopped.")
    clock_pause_reason = models.TextField(blank=True, help_text="Which commitment central office missed.")

    class Meta:
        ordering = ["-opened_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "rule_key"],
                condition=models.Q(status__in=LIVE_FLAG_STATUSES),
                name="flag_one_live_per_school_rule",
            )
        ]

    def __str__(self):
        return f"{self.school_id} {self.rule_key} ({self.status})"

    @property
    def paused_days_left(self) -> int | None:
        """While the clock is paused: the days the school had left when it stopped, kept until it resumes."""
        if self.clock_paused_on is None:
            return None
        return max((self.deadline - self.clock_paused_on).days, 0)


class FlagEvent(StatusEvent):
    """The flag's case history: the run that opened it, each rung, each person's step; append-only."""

    subject_field = "flag"
    flag = models.ForeignKey(InterventionFlag, on_delete=models.CASCADE, related_name="events")

    def __str__(self):
        return f"{self.action}: {self.from_status} → {self.to_status}"


class EligibilityFinding(models.Model):
    """A school the nightly run found newly eligible for an earned autonomy: central office may invite it.

    "Newly" means an episode: a run finds that the school meets every criterion of the autonomy as of its
    date, holds no live grant of it and has no open request for it, and no earlier run has listed it in
    the episode still open. The episode stays open, and nothing more is listed for the pair, while the
    school goes on meeting the criteria (whether or not it is invited, asks or is granted); it ends when
    a run finds the school no longer meeting them, and a school that meets them again later is listed
    anew. So a second run of the same date, or the next night, lists nothing new.
    """

    run = models.ForeignKey(EvaluationRun, on_delete=models.PROTECT, related_name="eligibility_findings")
    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="eligibility_findings")
    autonomy = models.ForeignKey("autonomy.Autonomy", on_delete=models.PROTECT, related_name="+")
    evidence = models.JSONField(
        default=dict, help_text="Each criterion with its metric, comparator, threshold, and the value and period used."
    )
    found_at = models.DateTimeField()
    ended_at = models.DateTimeField(
        null=True, blank=True, help_text="When a run found the school no longer meeting the criteria."
    )
    ended_run = models.ForeignKey(
        EvaluationRun, on_delete=models.PROTECT, null=True, blank=True, related_name="eligibility_ended"
    )
    invited_at = models.DateTimeField(null=True, blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-found_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "autonomy"],
                condition=models.Q(ended_at__isnull=True),
                name="eligibility_one_open_per_school_autonomy",
            ),
            models.CheckConstraint(
                condition=models.Q(invited_at__isnull=True, invited_by__isnull=True)
                | models.Q(invited_at__isnull=False, invited_by__isnull=False),
                name="eligibility_invited_with_who_and_when",
            ),
        ]

    def __str__(self):
        return f"{self.school_id} {self.autonomy_id} (found {self.found_at:%Y-%m-%d})"
