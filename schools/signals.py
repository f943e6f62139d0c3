"""Cached roles (schools.policies.roles_of) are forgotten whenever one of the user's memberships changes."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from schools.models import Membership
from schools.policies import roles_cache_clear


@receiver(post_save, sender=Membership, dispatch_uid="schools.membership_saved_clears_roles")
@receiver(post_delete, sender=Membership, dispatch_uid="schools.membership_deleted_clears_roles")
def membership_changed(sender, instance: Membership, **kwargs) -> None:
    roles_cache_clear(instance.user_id)
