"""Performance contracts: the autonomies a school holds, the outcomes it must reach, and what the
district does when it does not. A contract is versioned: an amendment is a new version, and an active
version is never edited in place, so a past flag always shows the rule as it was."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from autonomy.models import Autonomy, AutonomyGrant, Comparator
from core.models import StatusEvent, TimeStampedModel
from metrics.fields import value_field
from metrics.models import Metric
from schools.models import School, SchoolYear
from schools.periods import validate_school_year
from support.models import Department, MilestoneKind


class BenchmarkKind(models.TextChoices):
    VALUE = "value", _("Value against a target")
    GROWTH = "growth", _("Growth over the baseline")
    TREND = "trend", _("Improving trend")
    AGGREGATE = "aggregate", _("Multi-year average")
    RELATIVE = "relative", _("Standing in the district")


BENCHMARK_KIND_HELP = {
    BenchmarkKind.VALUE: "The school's value in the period, compared with the target.",
    BenchmarkKind.GROWTH: "The change from the baseline to the period, compared with the target.",
    BenchmarkKind.TREND: "The value improves over the last N periods (the target is the smallest yearly step).",
    BenchmarkKind.AGGREGATE: "The average over the last N periods, compared with the target.",
    BenchmarkKind.RELATIVE: "The school's percentile among district schools, compared with the target.",
}


class TargetMode(models.TextChoices):
    FIXED = "fixed", _("A fixed target")
    BASELINE_PLUS = "baseline_plus", _("The school's baseline plus an amount")
    DISTRICT_MEDIAN = "district_median", _("At least the district median")


class Level(models.IntegerChoices):
    """The intervention ladder, in order: a rule names its rung; a missed deadline climbs one."""

    NOTICE = 1, _("Notice of concern")
    CORRECTIVE_PLAN = 2, _("Corrective action plan required")
    INTENSIFIED_SUPPORT = 3, _("Intensified support")
    AT_RISK = 4, _("Autonomy at risk (cure period)")
    SUSPENDED = 5, _("Autonomy suspended")
    REVOKED = 6, _("Autonomy revoked")


class Condition(models.TextChoices):
    BINDING_MISSED = "binding_missed", _("A binding benchmark is missed")
    N_MISSED = "n_missed", _("N or more benchmarks missed in a period")
    K_IN_A_ROW = "k_in_a_row", _("The same benchmark missed K periods in a row")
    NO_DATA = "no_data", _("No data by the due date")


class BenchmarkFields(models.Model):
    """What a benchmark says, shared by a template's standard benchmarks and a contract's own."""

    key = models.SlugField(max_length=60, help_text="Stable across versions, e.g. ela-proficiency.")
    metric = models.ForeignKey(Metric, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=BenchmarkKind.choices)
    comparator = models.CharField(max_length=2, choices=Comparator.choices)
    periods = models.PositiveSmallIntegerField(default=1, help_text="Trend and average: how many periods.")
    exceeds_margin = value_field(optional=True, help_text="Beyond the target by this much: exceeds.")
    far_below_margin = value_field(optional=True, help_text="Short of the target by this much: falls far below.")
    new_school_target = value_field(
        optional=True, help_text="Exception: the target for a school in its first or second year."
    )

    class Meta:
        abstract = True


class ContractTemplate(TimeStampedModel):
    """The district's standard benchmarks and intervention rules."""

    name = models.CharField(max_length=200, unique=True)
    description = models.TextField(blank=True)

    def __str__(self):
        return self.name


class TemplateBenchmark(BenchmarkFields):
    template = models.ForeignKey(ContractTemplate, on_delete=models.CASCADE, related_name="benchmarks")
    target_mode = models.CharField(max_length=16, choices=TargetMode.choices, default=TargetMode.FIXED)
    target_value = value_field(
        optional=True, help_text="Fixed: the target. Baseline plus: the amount added. District median: unused."
    )
    fallback_target = value_field(
        optional=True, help_text="Used when the school has no baseline; without one, such a contract is refused."
    )
    binding_autonomy = models.ForeignKey(
        Autonomy,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The autonomy whose retention depends on this benchmark, if the school holds it.",
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["template", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["template", "key"], name="template_benchmark_key_unique")]

    def __str__(self):
        return f"{self.template}: {self.key}"


class RuleFields(models.Model):
    key = models.SlugField(max_length=60)
    condition = models.CharField(max_length=16, choices=Condition.choices)
    count = models.PositiveSmallIntegerField(default=1, help_text="N benchmarks, or K periods in a row.")
    level = models.PositiveSmallIntegerField(choices=Level.choices)
    deadline_days = models.PositiveSmallIntegerField(default=60, help_text="Days the school has to remedy.")
    remedy = models.TextField(help_text="What the school is expected to do.")
    provision = models.CharField(max_length=200, help_text="The contract section this rule enforces.")

    class Meta:
        abstract = True


# What a rule says beyond its key, in this order: copied from a template's rule to each contract's, and
# read by the nightly evaluation in the order of accountability.services.measures.RuleSpec.
RULE_TERMS = ("condition", "count", "level", "deadline_days", "remedy", "provision")


class TemplateRule(RuleFields):
    template = models.ForeignKey(ContractTemplate, on_delete=models.CASCADE, related_name="rules")
    benchmark_key = models.SlugField(max_length=60, blank=True, help_text="For K-in-a-row: which benchmark.")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["template", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["template", "key"], name="template_rule_key_unique")]

    def __str__(self):
        return f"{self.template}: {self.key}"


class ContractStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PROPOSED = "proposed", _("Proposed to the school")
    SIGNED = "signed", _("Signed by the principal")
    ACTIVE = "active", _("Active")
    SUPERSEDED = "superseded", _("Replaced by an amendment")
    EXPIRED = "expired", _("Expired")
    TERMINATED = "terminated", _("Terminated")


EDITABLE_CONTRACT_STATUSES = (ContractStatus.DRAFT, ContractStatus.PROPOSED, ContractStatus.SIGNED)


class PerformanceContract(TimeStampedModel):
    """One version of a school's contract for a term. Amendments share the lineage, with version + 1."""

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="contracts")
    lineage = models.UUIDField(default=uuid.uuid4, help_text="Shared by every version of one contract.")
    version = models.PositiveSmallIntegerField(default=1)
    previous = models.OneToOneField("self", on_delete=models.PROTECT, null=True, blank=True, related_name="amendment")
    template = models.ForeignKey(ContractTemplate, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    term_start = models.ForeignKey(SchoolYear, on_delete=models.PROTECT, related_name="+")
    term_end = models.ForeignKey(SchoolYear, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=12, choices=ContractStatus.choices, default=ContractStatus.DRAFT)
    summary = models.TextField(blank=True, help_text="In plain words: what this contract is for.")
    amendment_reason = models.TextField(blank=True)
    grants = models.ManyToManyField(AutonomyGrant, blank=True, related_name="contracts")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    signed_at = models.DateTimeField(null=True, blank=True)
    # A signature records the account (signed_by), its full name then (never typed), the time, the client's
    # address and the SHA-256 of the version's content (contracts.services.signatures).
    signed_name = models.CharField(
        max_length=200, blank=True, help_text="The signing account's full name when the principal signed."
    )
    signed_address = models.GenericIPAddressField(null=True, blank=True, help_text="Where the principal signed from.")
    signed_content_sha256 = models.CharField(
        max_length=64, blank=True, help_text="SHA-256 of the version's content when the principal signed."
    )
    countersigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    countersigned_at = models.DateTimeField(null=True, blank=True)
    countersigned_name = models.CharField(
        max_length=200, blank=True, help_text="The countersigning account's full name when it countersigned."
    )
    countersigned_address = models.GenericIPAddressField(
        null=True, blank=True, help_text="Where the district countersigned from."
    )
    countersigned_content_sha256 = models.CharField(
        max_length=64, blank=True, help_text="SHA-256 of the version's content when the district countersigned."
    )

    class Meta:
        ordering = ["school", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["lineage", "version"], name="contract_version_unique"),
            models.UniqueConstraint(
                fields=["school"], condition=Q(status="active"), name="contract_one_active_per_school"
            ),
            models.CheckConstraint(condition=Q(status__in=ContractStatus.values), name="contract_status_valid"),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "proposed"]) | Q(signed_at__isnull=False),
                name="contract_signed_has_signature",
            ),
            models.CheckConstraint(
                condition=~Q(status="active") | Q(countersigned_at__isnull=False),
                name="contract_active_has_countersignature",
            ),
        ]

    def __str__(self):
        return f"{self.school.code} contract {self.term_start}–{self.term_end} v{self.version}"

    def clean(self):
        if self.term_start_id and self.term_end_id and self.term_end.start_date < self.term_start.start_date:
            raise ValidationError({"term_end": "The term must end in or after the year it starts."})

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_CONTRACT_STATUSES


class Benchmark(BenchmarkFields):
    """A benchmark of one contract version; targets are resolved numbers, never recomputed later."""

    contract = models.ForeignKey(PerformanceContract, on_delete=models.CASCADE, related_name="benchmarks")
    target = value_field()
    baseline = value_field(optional=True)
    baseline_period = models.CharField(max_length=7, blank=True, validators=[validate_school_year])
    binding_grant = models.ForeignKey(
        AutonomyGrant, on_delete=models.SET_NULL, null=True, blank=True, related_name="binding_benchmarks"
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["contract", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "key"], name="benchmark_key_unique"),
            models.CheckConstraint(condition=Q(periods__gte=1), name="benchmark_periods_positive"),
        ]

    def __str__(self):
        return f"{self.metric.name} {self.get_comparator_display()} {self.target.normalize()}"


# How a contract's benchmark is measured against its metric, in this order: what a person sets on it (with
# the metric), and what the nightly evaluation reads in the order of accountability.services.measures.BenchmarkSpec.
BENCHMARK_TERMS = (
    "kind",
    "comparator",
    "target",
    "periods",
    "baseline",
    "new_school_target",
    "exceeds_margin",
    "far_below_margin",
)


class InterventionRule(RuleFields):
    contract = models.ForeignKey(PerformanceContract, on_delete=models.CASCADE, related_name="rules")
    benchmark = models.ForeignKey(Benchmark, on_delete=models.CASCADE, null=True, blank=True, related_name="rules")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        # Ladder order (the step each rule opens a flag on), then the contract's own order within a step.
        ordering = ["contract", "level", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "key"], name="rule_key_unique"),
            models.CheckConstraint(condition=Q(count__gte=1), name="rule_count_positive"),
        ]

    def __str__(self):
        return f"{self.get_condition_display()} → {self.get_level_display()}"


class ContractEvent(StatusEvent):
    """The contract's audit trail: who did what, when; append-only."""

    subject_field = "contract"
    contract = models.ForeignKey(PerformanceContract, on_delete=models.CASCADE, related_name="events")


class CommitmentMeasure(models.TextChoices):
    """How a commitment of central office is judged (contracts.services.commitments_tracking)."""

    DELIVERED_BY = "delivered_by", _("Delivered by a date")
    ANSWERED_WITHIN = "answered_within", _("Requests answered within a number of days")


class CommitmentStatus(models.TextChoices):
    OPEN = "open", _("Not decided yet")
    MET = "met", _("Met")
    MET_LATE = "met_late", _("Met late")
    MISSED = "missed", _("Missed")


class ContractCommitment(models.Model):
    """What central office promises the school in one contract version: a department, a measure and a date.

    The contract binds both sides: a commitment of a department that the school's autonomy depends on
    ("budget projections released by March 1" for the budget autonomy) and that central office misses
    pauses the intervention clock of the benchmarks bound to that autonomy (accountability's nightly run).
    Its content (department, text, measure, dates, autonomy) is part of the version, copied into an
    amendment, compared between versions and printed; its tracking (status, delivery, evidence) is what the
    nightly run and the department record against it, and is carried into the next version with it.
    """

    contract = models.ForeignKey(PerformanceContract, on_delete=models.CASCADE, related_name="commitments")
    key = models.SlugField(max_length=60, help_text="Stable across versions; made from the text when added.")
    position = models.PositiveSmallIntegerField(default=0)
    department = models.CharField(max_length=20, choices=Department.choices)
    text = models.CharField(max_length=200, help_text="The commitment in the district's words.")
    measure = models.CharField(max_length=16, choices=CommitmentMeasure.choices)
    due_on = models.DateField(help_text="Delivered by this date; or the last day of the period counted.")
    period_start = models.DateField(
        null=True, blank=True, help_text="Requests answered within N days: the first day of the period counted."
    )
    days = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Answered within this many days.")
    business_days = models.BooleanField(default=True, help_text="Count business days (Monday to Friday).")
    target_percent = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="The share of the school's requests answered in time, in percent."
    )
    milestone_kind = models.CharField(
        max_length=12,
        choices=MilestoneKind.choices,
        blank=True,
        help_text="Delivered by a date: taken from the district calendar's milestone of this kind, if set.",
    )
    autonomy = models.ForeignKey(
        Autonomy,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The autonomy this commitment bears on: missed, it pauses the clock of that autonomy's benchmarks.",
    )
    status = models.CharField(max_length=10, choices=CommitmentStatus.choices, default=CommitmentStatus.OPEN)
    delivered_on = models.DateField(null=True, blank=True)
    delivered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    delivery_note = models.TextField(blank=True, help_text="The department's evidence of delivery.")
    evidence = models.JSONField(default=dict, blank=True, help_text="What decided the status, as the run found it.")
    decided_on = models.DateField(null=True, blank=True, help_text="The evaluation date that decided the status.")

    class Meta:
        ordering = ["contract", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "key"], name="commitment_key_unique"),
            models.CheckConstraint(condition=Q(status__in=CommitmentStatus.values), name="commitment_status_valid"),
            models.CheckConstraint(
                condition=~Q(measure="answered_within")
                | Q(days__gte=1, target_percent__gte=1, target_percent__lte=100, period_start__isnull=False),
                name="commitment_answered_within_has_terms",
            ),
            models.CheckConstraint(
                condition=Q(period_start__isnull=True) | Q(period_start__lte=F("due_on")),
                name="commitment_period_in_order",
            ),
        ]

    def __str__(self):
        return f"{self.get_department_display()}: {self.text}"


# What a commitment says, as a version's content (compared between versions, hashed when signed).
COMMITMENT_TERMS = (
    "department",
    "text",
    "measure",
    "due_on",
    "period_start",
    "days",
    "business_days",
    "target_percent",
    "milestone_kind",
)
