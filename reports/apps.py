from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Public reports"

    def ready(self):
        from reports import receivers

        receivers.connect()
