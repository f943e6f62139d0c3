from django.apps import AppConfig


class BudgetingConfig(AppConfig):
    name = "budgeting"
    verbose_name = "Student-based budgeting"

    def ready(self):
        from budgeting import receivers  # noqa: F401  (subscribes to the grant hook in core)
