"""Checks of the parts the portal cannot run without: the database and the Celery broker."""

from celery import current_app
from django.conf import settings
from django.db import connection


def database_status() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any driver error means the database is unusable
        return f"error: {exc.__class__.__name__}"
    return "ok"


def broker_status() -> str:
    if not settings.CELERY_BROKER_URL:
        return "not configured (tasks run in-process)"
    try:
        # The project's app (sgs_portal.celery) is the current one; core does not import the project.
        with current_app.connection_for_write(settings.CELERY_BROKER_URL) as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception as exc:  # kombu raises many transport-specific errors
        return f"error: {exc.__class__.__name__}"
    return "ok"
