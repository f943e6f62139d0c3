"""Model fields other apps declare against a metric."""

from django.db import models


def value_field(*, optional: bool = False, help_text: str = "") -> models.DecimalField:
    """A number set against a metric (a target, a baseline, a band's margin, a threshold, a result's value):
    kept at the precision of an observation's value (max_digits=14, decimal_places=4), so a comparison with
    one never rounds."""
    return models.DecimalField(max_digits=14, decimal_places=4, null=optional, blank=optional, help_text=help_text)
