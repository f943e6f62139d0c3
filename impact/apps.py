from django.apps import AppConfig


class ImpactConfig(AppConfig):
    """Is autonomy working? The evaluation team's view: uptake, use and outcomes around each grant."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "impact"

    def ready(self):
        from impact import receivers

        receivers.connect()
