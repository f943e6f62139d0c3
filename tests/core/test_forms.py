"""Drop-downs are written by core's own select template (core.forms.QUICK_SELECT_TEMPLATE), which draws
each option in place instead of through two included templates: the markup must be Django's, option for
option, with groups, a chosen value, a blank, attributes and text that needs escaping."""

from django import forms

from core.forms import QUICK_SELECT_TEMPLATE, AccessibleFormMixin

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
        assert quick.fields["network"].widget.template_name == QUICK_SELECT_TEMPLATE
        plain_html = str(plain["network"]).replace(' aria-describedby="id_network_helptext"', "")
        quick_html = str(quick["network"]).replace(' aria-describedby="id_network_helptext"', "")
        assert quick_html == plain_html
        assert "&lt;East&gt;" in quick_html and '<optgroup label="Elementary">' in quick_html


def test_other_choice_widgets_keep_djangos_templates():
    form = QuickForm()
    assert form.fields["kind"].widget.template_name == forms.RadioSelect.template_name
    assert PlainForm().fields["network"].widget.template_name == forms.Select.template_name
