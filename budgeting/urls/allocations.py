"""The allocations pages of budgeting; budgeting/urls/__init__.py joins every module's patterns."""

urlpatterns: list = []
