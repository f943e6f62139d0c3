from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

PASSWORDS_OFF = _(
    "Portal passwords are turned off for this district. Use “Sign in with your district account” on the login page."
)


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        max_length=80,
        label=_("Token name"),
        help_text=_("What it is for, so you can tell your tokens apart, e.g. “HR data push”."),
    )


class LoginLengthMixin:
    """A username longer than any account's is the ordinary "wrong username or password", said before
    authenticating: django-axes would otherwise try to record the attempt in a column too short for it.

    With LOCAL_PASSWORDS off, only the break-glass usernames (BREAK_GLASS_USERNAMES) may log in with a
    password; anyone else is refused before the password is checked, so the form tells nothing about it.
    Both the login page and the admin's login use this, so neither is a way around the switch."""

    def clean(self):
        username = self.data.get(self.add_prefix("username"), "")
        if len(username) > self.fields["username"].max_length:
            raise self.get_invalid_login_error()
        if not settings.LOCAL_PASSWORDS and username not in settings.BREAK_GLASS_USERNAMES:
            raise ValidationError(PASSWORDS_OFF, code="passwords_off")
        return super().clean()


class LoginForm(LoginLengthMixin, AuthenticationForm):
    pass


class AdminLoginForm(LoginLengthMixin, AdminAuthenticationForm):
    pass
