"""Cached departments (support.policies.staff.departments_of) are forgotten whenever one of the user's
department rows changes."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from support.models import DepartmentStaff
from support.policies.staff import departments_cache_clear


@receiver(post_save, sender=DepartmentStaff, dispatch_uid="support.department_staff_saved_clears_cache")
@receiver(post_delete, sender=DepartmentStaff, dispatch_uid="support.department_staff_deleted_clears_cache")
def department_staff_changed(sender, instance: DepartmentStaff, **kwargs) -> None:
    departments_cache_clear(instance.user_id)
