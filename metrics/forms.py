"""Forms of the metrics pages. They check shape only; metrics.services checks every row."""

from django import forms
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat

from core.forms import AccessibleFormMixin

MAX_UPLOAD_BYTES = 50 * 1024 * 1024
CSV_SUFFIXES = (".csv", ".txt")


class ObservationImportForm(AccessibleFormMixin, forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text="UTF-8 text, up to 50 MB. The first line names the columns.",
        error_messages={"required": "Choose the CSV file to import.", "empty": "The file is empty."},
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError(
                f"The file is {filesizeformat(upload.size)}; the most is {filesizeformat(MAX_UPLOAD_BYTES)}. "
                "Split it into smaller files and import each."
            )
        if not upload.name.lower().endswith(CSV_SUFFIXES):
            raise ValidationError(
                "Choose a CSV file (its name ends in .csv). From a spreadsheet, save or export as “CSV UTF-8”."
            )
        try:
            self.text = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValidationError(
                "The file is not UTF-8 text: it may be a spreadsheet or another encoding. "
                "Save it as “CSV UTF-8” and upload it again."
            ) from None
        return upload
