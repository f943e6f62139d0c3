from django import forms

from core.forms import AccessibleFormMixin, IdFilterField


class OverviewFilterForm(AccessibleFormMixin, forms.Form):
    q = forms.CharField(label="Search by name or code", required=False, max_length=100)
    network = IdFilterField(label="Network", empty_label="All networks")

    def __init__(self, *args, networks, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["network"].offer(networks)
