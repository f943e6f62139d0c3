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


class CatalogEntryForm(AccessibleFormMixin, forms.Form):
    name = forms.CharField(
        label=CATALOG_TEXT_LABELS["name"],
        max_length=CATALOG_TEXT_LIMITS["name"],
        error_messages={"required": "Give the autonomy a name."},
    )
    description = text_area(
        CATALOG_TEXT_LABELS["description"], rows=2, required=False, max_length=CATALOG_TEXT_LIMITS["description"]
    )
    school_decides = text_area(
        CATALOG_TEXT_LABELS["school_decides"], rows=5, required=False, max_length=CATALOG_TEXT_LIMITS["school_decides"]
    )
    district_keeps = text_area(
        CATALOG_TEXT_LABELS["district_keeps"], rows=5, required=False, max_length=CATALOG_TEXT_LIMITS["district_keeps"]
    )
    retention_expectations = text_area(
        CATALOG_TEXT_LABELS["retention_expectations"],
        rows=3,
        required=False,
        max_length=CATALOG_TEXT_LIMITS["retention_expectations"],
    )
    # As Spanish readers see the entry; blank, they see the English.
    name_es = forms.CharField(
        label=CATALOG_TEXT_LABELS["name_es"], required=False, max_length=CATALOG_TEXT_LIMITS["name_es"]
    )
    description_es = text_area(
        CATALOG_TEXT_LABELS["description_es"], rows=2, required=False, max_length=CATALOG_TEXT_LIMITS["description_es"]
    )
    school_decides_es = text_area(
        CATALOG_TEXT_LABELS["school_decides_es"],
        rows=5,
        required=False,
        max_length=CATALOG_TEXT_LIMITS["school_decides_es"],
    )
    district_keeps_es = text_area(
        CATALOG_TEXT_LABELS["district_keeps_es"],
        rows=5,
        required=False,
        max_length=CATALOG_TEXT_LIMITS["district_keeps_es"],
    )
    retention_expectations_es = text_area(
        CATALOG_TEXT_LABELS["retention_expectations_es"],
        rows=3,
        required=False,
        max_length=CATALOG_TEXT_LIMITS["retention_expectations_es"],
    )
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
