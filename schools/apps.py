from django.apps import AppConfig


class SchoolsConfig(AppConfig):
    name = "schools"

    def ready(self):
        from schools import signals  # noqa: F401  (connects the receivers)
