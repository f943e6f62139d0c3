from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Core"

    def ready(self):
        from core import checks, signals  # noqa: F401  (registers the deploy checks, connects the receivers)
