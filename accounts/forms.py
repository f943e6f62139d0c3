from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        max_length=80,
        label="Token name",
        help_text="What it is for, so you can tell your tokens apart, e.g. “HR data push”.",
    )


class LoginLengthMixin:
    """A username longer than any account's is the ordinary "wrong username or password", said before
    authenticating: django-axes would otherwise try to record the attempt in a column too short for it."""

    def clean(self):
        username = self.data.get(self.add_prefix("username"), "")
        if len(username) > self.fields["username"].max_length:
            raise self.get_invalid_login_error()
        return super().clean()


class LoginForm(LoginLengthMixin, AuthenticationForm):
    pass


class AdminLoginForm(LoginLengthMixin, AdminAuthenticationForm):
    pass
