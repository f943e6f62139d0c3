"""The form of a catalog entry's words. It checks shape only; autonomy.services.catalog checks the rules."""

from django import forms

from autonomy.models.catalog import CATALOG_TEXT_LABELS
from autonomy.services.catalog import CATALOG_TEXT_LIMITS
from core.forms import AccessibleFormMixin, text_area
from core.limits import NOTE_TEXT

HELP = {
    "description": "One sentence for the list of the catalog.",
    "school_decides": "The decisions a school holding this autonomy makes itself. One per line reads best.",
    "district_keeps": "The boundaries: what every school keeps to, holding this autonomy or not (laws, "
    "contracts, district policy). One per line reads best.",
    "retention_expectations": "What a school must keep meeting to keep this autonomy, as the schools will read it.",
}


def _entry_text(name: str, *, rows: int) -> forms.CharField:
    """An optional text of the entry, labelled and limited as the catalog model and service know it, so the
    form cannot drift from the limits the service holds the API to."""
    return text_area(CATALOG_TEXT_LABELS[name], rows=rows, required=False, max_length=CATALOG_TEXT_LIMITS[name])


class CatalogEntryForm(AccessibleFormMixin, forms.Form):
    name = forms.CharField(
        label=CATALOG_TEXT_LABELS["name"],
        max_length=CATALOG_TEXT_LIMITS["name"],
        error_messages={"required": "Give the autonomy a name."},
    )
    description = _entry_text("description", rows=2)
    school_decides = _entry_text("school_decides", rows=5)
    district_keeps = _entry_text("district_keeps", rows=5)
    retention_expectations = _entry_text("retention_expectations", rows=3)
    # As Spanish readers see the entry; blank, they see the English.
    name_es = forms.CharField(
        label=CATALOG_TEXT_LABELS["name_es"], required=False, max_length=CATALOG_TEXT_LIMITS["name_es"]
    )
    description_es = _entry_text("description_es", rows=2)
    school_decides_es = _entry_text("school_decides_es", rows=5)
    district_keeps_es = _entry_text("district_keeps_es", rows=5)
    retention_expectations_es = _entry_text("retention_expectations_es", rows=3)
    note = text_area(
        "Why you are changing it (optional)",
        rows=2,
        required=False,
        max_length=NOTE_TEXT,
        help_text="Kept in the entry's history with your name and the time.",
    )
    seen_revision = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, help_text in HELP.items():
            self.fields[name].help_text = help_text

    def texts(self) -> dict[str, str]:
        return {name: self.cleaned_data[name] for name in CATALOG_TEXT_LABELS}
