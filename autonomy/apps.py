from django.apps import AppConfig


class AutonomyConfig(AppConfig):
    name = "autonomy"

    def ready(self):
        from autonomy import signals  # noqa: F401  (connects the receivers)
