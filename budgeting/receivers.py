"""What budgeting hears from the apps below it, through core's hooks (never an upward import).

A grant that changes status may lock or unlock budget categories of its school's plans: the plan records
it and the principal is told (budgeting.services.plan_locks).
"""

from django.dispatch import receiver

from core.hooks import grants_changed


@receiver(grants_changed, dispatch_uid="budgeting.plan_locks_follow_grants")
def plan_locks_on_grants_changed(sender, *, changes, **kwargs):
    from budgeting.services.plans import plan_locks_follow_grants  # services load after the apps are ready

    plan_locks_follow_grants(changes=changes)
