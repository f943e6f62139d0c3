"""Cached roles (schools.policies.roles_of) are forgotten whenever one of the user's memberships changes;
pages kept for many people that show schools, their networks and liaisons (core.versions, "schools") are
built afresh when a school, a network or a person's name changes, and when a person is deleted. The roster
import writes in bulk, past these receivers, and moves the version itself (schools.roster.apply)."""

from django.contrib.auth import get_user_model
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from core.versions import version_bump, version_follows
from schools.models import Membership, Network, School
from schools.policies import roles_cache_clear


@receiver(post_save, sender=Membership, dispatch_uid="schools.membership_saved_clears_roles")
@receiver(post_delete, sender=Membership, dispatch_uid="schools.membership_deleted_clears_roles")
def membership_changed(sender, instance: Membership, **kwargs) -> None:
    roles_cache_clear(instance.user_id)


version_follows("schools", School, Network)


@receiver(post_save, sender=get_user_model(), dispatch_uid="schools.person_saved_bumps_schools")
def person_changed(sender, update_fields=None, **kwargs) -> None:
    """A liaison's name is on the pages; a sign-in, which saves only last_login, changes nothing there."""
    if update_fields is None or set(update_fields) - {"last_login"}:
        version_bump("schools")


@receiver(post_delete, sender=get_user_model(), dispatch_uid="schools.person_deleted_bumps_schools")
def person_deleted(sender, **kwargs) -> None:
    """A liaison deleted leaves their schools without one, written in SQL past the School signals."""
    version_bump("schools")
