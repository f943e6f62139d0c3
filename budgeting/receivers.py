"""What budgeting hears from the apps below it, through core's hooks (never an upward import).

A grant that changes status may lock or unlock budget categories of its school's plans: the plan records
it and the principal is told (budgeting.services.plan_locks).
"""
