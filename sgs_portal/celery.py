"""The Celery app. Configuration lives in settings under the CELERY_ prefix."""

import os

from celery import Celery
from celery.signals import worker_process_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sgs_portal.settings")

app = Celery("sgs_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_process_init.connect
def urls_load(**_kwargs) -> None:
    """Load the URL configuration, with every view module it imports, as a worker process starts: a task's
    first link (a notice, an email) would otherwise load it then, and the nightly run paid 0.4 s for it on
    its first notice."""
    from django.urls import get_resolver

    get_resolver().reverse_dict  # noqa: B018 — reading it imports the views and builds the names
