"""What a Celery worker process does as it starts (sgs_portal.celery)."""

from celery.signals import worker_process_init
from django.urls import clear_url_caches, get_resolver

import sgs_portal.celery  # noqa: F401 — connects the worker's start-up receivers


def test_a_worker_process_loads_the_url_configuration_as_it_starts():
    clear_url_caches()
    assert not get_resolver()._populated
    worker_process_init.send(sender=None)
    assert get_resolver()._populated
