"""Pages kept for many people that show the catalog's entries (core.versions, "catalog": the catalog
page, the district overview's rows) are built afresh when an entry, an eligibility criterion or a metric
it names is saved or removed: through the catalog page, the admin or the evaluation's decision log."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from autonomy.models import Autonomy, EligibilityCriterion
from core.versions import version_bump
from metrics.models import Metric


@receiver(post_save, sender=Autonomy, dispatch_uid="autonomy.entry_saved_bumps_catalog")
@receiver(post_delete, sender=Autonomy, dispatch_uid="autonomy.entry_deleted_bumps_catalog")
@receiver(post_save, sender=EligibilityCriterion, dispatch_uid="autonomy.criterion_saved_bumps_catalog")
@receiver(post_delete, sender=EligibilityCriterion, dispatch_uid="autonomy.criterion_deleted_bumps_catalog")
@receiver(post_save, sender=Metric, dispatch_uid="autonomy.metric_saved_bumps_catalog")
@receiver(post_delete, sender=Metric, dispatch_uid="autonomy.metric_deleted_bumps_catalog")
def catalog_changed(sender, **kwargs) -> None:
    version_bump("catalog")
