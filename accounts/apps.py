from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts and API tokens"

    def ready(self):
        from accounts import language  # noqa: F401 — connects the sign-in receiver that restores the language
        from accounts.selectors import languages_remembered
        from core.notifications import language_reader_set

        language_reader_set(languages_remembered)  # each message in the language its reader chose
