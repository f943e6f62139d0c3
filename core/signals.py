"""The cached unread count (core.notifications.unread_count) is forgotten when a notification row is saved or deleted.

The services in core/notifications.py clear it themselves (bulk_create and update send no signals);
this covers the admin, cascades and anything else that saves or deletes one row.
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from core.models import Notification
from core.notifications import unread_cache_clear


@receiver(post_save, sender=Notification, dispatch_uid="core.notification_saved_clears_unread")
@receiver(post_delete, sender=Notification, dispatch_uid="core.notification_deleted_clears_unread")
def notification_changed(sender, instance: Notification, **kwargs) -> None:
    unread_cache_clear([instance.user_id])
