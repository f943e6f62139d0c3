"""What moves the public pages' cache version on (reports.cache): the hooks core announces after
commit, and the saving of what the pages read straight from a row (a contract, a catalog entry, a network's
name, a metric's name)."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from autonomy.models import Autonomy
from contracts.models import PerformanceContract
from core.hooks import evaluation_finished, grants_changed, publication_changed
from metrics.models import Metric
from reports.cache import public_version_bump
from schools.models import Network


def connect() -> None:
    grants_changed.connect(public_version_bump, dispatch_uid="reports.grants_changed")
    evaluation_finished.connect(public_version_bump, dispatch_uid="reports.evaluation_finished")
    publication_changed.connect(public_version_bump, dispatch_uid="reports.publication_changed")


@receiver(post_save, sender=PerformanceContract, dispatch_uid="reports.contract_saved")
@receiver(post_save, sender=Autonomy, dispatch_uid="reports.autonomy_saved")
@receiver(post_save, sender=Network, dispatch_uid="reports.network_saved")
@receiver(post_save, sender=Metric, dispatch_uid="reports.metric_saved")
def public_pages_on_row_saved(sender, **kwargs):
    public_version_bump()
