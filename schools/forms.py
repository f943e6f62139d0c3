from django import forms

from core.forms import AccessibleFormMixin


class NetworkFilterField(forms.TypedChoiceField):
    """A network to filter a list by, offered as (id, name) pairs (schools.selectors.network_choices_for_user):
    a district's networks drawn as plain options, with no model row built for each on every page. Cleaned to
    the network's id, or None for every network; an id not offered is refused."""

    def __init__(self, *, empty_label, **kwargs):
        self.empty_label = empty_label
        super().__init__(coerce=int, empty_value=None, required=False, **kwargs)

    def offer(self, networks: list[tuple[int, str]]) -> None:
        self.choices = [("", self.empty_label), *networks]


class OverviewFilterForm(AccessibleFormMixin, forms.Form):
    q = forms.CharField(label="Search by name or code", required=False, max_length=100)
    network = NetworkFilterField(label="Network", empty_label="All networks")

    def __init__(self, *args, networks, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["network"].offer(networks)
