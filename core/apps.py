from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Core"

    def ready(self):
        from core import checks, signals, versions  # noqa: F401  (deploy checks; receivers; cache versions)
