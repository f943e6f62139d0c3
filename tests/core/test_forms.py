"""Drop-downs are written in Python (core.forms.QuickSelect) instead of through Django's templates: the markup
must be Django's, option for option, with groups, a chosen value, a blank, attributes and text that needs
escaping.

Choices of rows by id (core.forms.IdsChoiceField) refuse what cannot be an id as an invalid choice, never
as a database error."""

from django import forms

from core.forms import AccessibleFormMixin, IdsChoiceField, QuickSelect
from schools.models import Network

CHOICES = [
    ("", "All networks"),
    ("1", "North & <East>"),
    ("Elementary", [("2", "Oak"), ("3", "Elm “Heights”")]),
    (4, "Four"),
]


class PlainForm(forms.Form):
    network = forms.ChoiceField(choices=CHOICES, required=False, help_text="Pick one.")
    kind = forms.ChoiceField(choices=CHOICES, widget=forms.RadioSelect, required=False)


class QuickForm(AccessibleFormMixin, PlainForm):
    pass


def test_a_drop_down_reads_as_djangos_own_option_for_option():
    for data in ({"network": "3"}, {"network": "4"}, {"network": ""}, None):
        quick, plain = QuickForm(data), PlainForm(data)
        assert type(quick.fields["network"].widget) is QuickSelect
        plain_html = str(plain["network"]).replace(' aria-describedby="id_network_helptext"', "")
        quick_html = str(quick["network"]).replace(' aria-describedby="id_network_helptext"', "")
        assert quick_html == plain_html
        assert "&lt;East&gt;" in quick_html and '<optgroup label="Elementary">' in quick_html


def test_other_choice_widgets_keep_djangos_templates():
    form = QuickForm()
    assert type(form.fields["kind"].widget) is forms.RadioSelect
    assert type(PlainForm().fields["network"].widget) is forms.Select


def test_ids_past_any_bigint_or_not_ids_at_all_are_invalid_choices_not_database_errors(db):
    network = Network.objects.create(name="North")

    class NetworksForm(forms.Form):
        networks = IdsChoiceField(queryset=Network.objects.all(), required=False)

    for junk in ("99999999999999999999", "-1", "٣", "1.5", " 2"):
        form = NetworksForm({"networks": [str(network.pk), junk]})
        assert not form.is_valid(), junk
        assert form.errors["networks"] == [f"“{junk}” is not a valid value."]
    form = NetworksForm({"networks": [str(network.pk)]})
    assert form.is_valid() and list(form.cleaned_data["networks"]) == [network]


def test_a_drop_down_with_attributes_a_required_choice_rows_and_an_error_reads_as_djangos(db):
    north = Network.objects.create(name="North & <Co>")

    class Plain(forms.Form):
        size = forms.TypedChoiceField(
            choices=[(1, 1200), (2, "Two")],
            coerce=int,
            widget=forms.Select(attrs={"data-note": 'say "hi" & go', "disabled": True, "hidden": False}),
        )
        network = forms.ModelChoiceField(queryset=Network.objects.order_by("name"), empty_label="Every network")

    class Quick(AccessibleFormMixin, Plain):
        pass

    for data in (None, {"size": "2", "network": str(north.pk)}, {"size": "9", "network": "x"}):
        plain, quick = Plain(data), Quick(data)
        if data:
            plain.is_valid(), quick.is_valid()
        for name in ("size", "network"):
            assert type(quick.fields[name].widget) is QuickSelect
            described = f' aria-describedby="id_{name}_error"'
            assert str(quick[name]).replace(described, "") == str(plain[name]).replace(described, "")
