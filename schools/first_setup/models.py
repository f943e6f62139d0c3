"""The steps of the first setup an admin confirms by hand (the others are read from the data itself)."""

from django.conf import settings
from django.db import models


class SetupStepKey(models.TextChoices):
    AUTONOMY_CATALOG = "autonomy_catalog", "The autonomy catalog"
    METRICS_CATALOG = "metrics_catalog", "The metrics catalog"
    IDENTITY_PROVIDER = "identity_provider", "Signing in with the district's account"


class SetupStep(models.Model):
    """A step the autonomy office confirmed: who and when. A step not confirmed has no row."""

    key = models.CharField(max_length=20, choices=SetupStepKey.choices, unique=True)
    done_at = models.DateTimeField()
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    def __str__(self):
        return f"{self.get_key_display()}: done"
