"""The district's suppression policy, in versions, and the record of every cell it masked.

A policy is never edited once saved: a change is a new version, and the newest version is the one in
force. Each masked cell names the version that masked it, so what a page showed on a day can be explained.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from reports.services.suppression import CodingBand, PolicyRules, Reason


class SuppressionPolicy(models.Model):
    """One version of the district's rules for publishing figures about small groups."""

    version = models.PositiveIntegerField(unique=True, editable=False)
    minimum_n = models.PositiveSmallIntegerField(
        default=10, help_text="A figure computed on fewer people than this is hidden (Delaware: 16, California: 10)."
    )
    complementary = models.BooleanField(
        default=True, help_text="Also hide the next smallest part of a total, so that a hidden part cannot be derived."
    )
    pair_rule = models.BooleanField(default=True, help_text="Hide both halves of a pair when either is hidden.")
    coding_bands = models.JSONField(
        default=list,
        blank=True,
        help_text='Top and bottom coding by group size, as [{"min_n": 0, "high": 95, "low": 5}, …].',
    )
    inclusive_coding = models.BooleanField(
        default=False, help_text="A value equal to a band's bound is coded too (≥ 99% rather than > 99%)."
    )
    marker = models.CharField(max_length=20, default="*", help_text="What a hidden figure reads as.")
    note = models.TextField(blank=True, help_text="Why this version was made, in a sentence.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-version"]
        verbose_name_plural = "suppression policies"
        constraints = [
            models.CheckConstraint(condition=Q(minimum_n__gte=1), name="suppression_minimum_n_positive"),
            models.CheckConstraint(condition=~Q(marker=""), name="suppression_marker_not_empty"),
        ]

    def __str__(self):
        return f"Suppression policy v{self.version} (n ≥ {self.minimum_n})"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError("A suppression policy is never changed: make a new version.")
        super().save(*args, **kwargs)

    def clean(self):
        try:
            self.bands()
        except (TypeError, KeyError, ArithmeticError, ValueError) as error:
            raise ValidationError(
                {"coding_bands": 'Each band needs min_n, high and low, as {"min_n": 0, "high": 95, "low": 5}.'}
            ) from error
        for band in self.bands():
            if not (Decimal(0) <= band.low < band.high <= Decimal(100)) or band.min_n < 0:
                raise ValidationError({"coding_bands": "Each band needs 0 ≤ low < high ≤ 100 and min_n ≥ 0."})

    def bands(self) -> tuple[CodingBand, ...]:
        return tuple(
            CodingBand(int(band["min_n"]), Decimal(str(band["high"])), Decimal(str(band["low"])))
            for band in self.coding_bands or []
        )

    def rules(self) -> PolicyRules:
        return PolicyRules(
            minimum_n=self.minimum_n,
            complementary=self.complementary,
            pair_rule=self.pair_rule,
            bands=self.bands(),
            inclusive_coding=self.inclusive_coding,
            marker=self.marker,
            version=self.version,
        )


class MaskedCellRecord(models.Model):
    """A figure a public page, file or endpoint did not show as it is, and why. One row per cell, reason and
    policy version; showing the same page again adds none."""

    REASONS = [
        (Reason.SMALL_N, "Group too small"),
        (Reason.COMPLEMENTARY, "Hidden so a hidden figure cannot be derived from a total"),
        (Reason.PAIR, "Other half of a pair is hidden"),
        (Reason.TOP_CODED, "Top coded"),
        (Reason.BOTTOM_CODED, "Bottom coded"),
    ]

    policy_version = models.PositiveIntegerField(
        help_text="The suppression policy's version; 0: the built-in rules, before the district set any."
    )
    surface = models.CharField(max_length=60, help_text="The page, file or endpoint, as page:school or csv:results.")
    # The school's code, not a key: the record outlives a school's row and reads as it was published.
    school_code = models.CharField(max_length=20, blank=True)
    field = models.CharField(max_length=120, help_text="The metric or field, as a metric's code.")
    period = models.CharField(max_length=20, blank=True)
    reason = models.CharField(max_length=16, choices=REASONS)
    first_masked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-first_masked_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["policy_version", "surface", "school_code", "field", "period", "reason"],
                name="masked_cell_once_per_version",
            )
        ]

    def __str__(self):
        return f"{self.surface} {self.school_code} {self.field} {self.period}: {self.reason}"
