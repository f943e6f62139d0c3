from django.apps import AppConfig


class SupportConfig(AppConfig):
    """The central office serving schools: networks and their teams, liaisons' caseloads, support
    requests, service surveys and the district's planning calendar."""

    name = "support"
    verbose_name = "Central-office support"

    def ready(self):
        from support import signals  # noqa: F401  (clears cached departments when a department row changes)
