"""The roster import page's forms: they check shape only (a .zip of a size the import reads); the import
checks every file and row."""

from django import forms
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat

from core.forms import AccessibleFormMixin
from schools.roster.mapping import NOT_MAPPED
from schools.roster.models import PortalRole

MAX_UPLOAD_BYTES = 50 * 1024 * 1024  # zipped; the files inside may be up to parse.MAX_SET_BYTES together


class RosterUploadForm(AccessibleFormMixin, forms.Form):
    file = forms.FileField(
        label="OneRoster files, zipped",
        help_text=(
            "A .zip of up to 50 MB holding manifest.csv, orgs.csv, users.csv and, for OneRoster 1.2, roles.csv, "
            "as your student information system exports them."
        ),
        error_messages={"required": "Choose the .zip file to check.", "empty": "The file is empty."},
        widget=forms.ClearableFileInput(attrs={"accept": ".zip,application/zip"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError(
                f"The file is {filesizeformat(upload.size)}; the most is {filesizeformat(MAX_UPLOAD_BYTES)}."
            )
        if not upload.name.lower().endswith(".zip"):
            raise ValidationError("Choose a .zip file: put manifest.csv, orgs.csv and users.csv in one .zip.")
        self.data_bytes = upload.read()
        return upload


CHOICES = [(NOT_MAPPED, "Not mapped (refused)"), *PortalRole.choices]


class RosterMappingForm(AccessibleFormMixin, forms.Form):
    """One choice per OneRoster role."""

    def __init__(self, *args, mapping: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        for role, value in mapping.items():
            self.fields[role] = forms.ChoiceField(label=role, choices=CHOICES, initial=value, required=False)
