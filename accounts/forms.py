from django import forms


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        max_length=80,
        label="Token name",
        help_text="What it is for, so you can tell your tokens apart, e.g. “HR data push”.",
    )
