"""The register's filter: every query parameter checked, a bad one answered with a 400 page naming it."""

from django import forms
from django.utils.translation import gettext_lazy as _

from autonomy.models import AccountabilityModel, Domain
from reports.selectors import DOMAIN_WORDS, MODEL_WORDS
from reports.selectors_service_scores import DISTRICT_KEY, NO_NETWORK
from schools.models import Network


class RegisterFilterForm(forms.Form):
    domain = forms.ChoiceField(label=_("Domain"), required=False)
    model = forms.ChoiceField(label=_("How it is held"), required=False)
    network = forms.ModelChoiceField(
        label=_("Network"),
        required=False,
        queryset=Network.objects.order_by("name"),
        empty_label=_("All networks"),
        error_messages={"invalid_choice": _("Choose a network from the list.")},
    )

    def __init__(self, *args, networks=None, **kwargs):
        super().__init__(*args, **kwargs)
        invalid = {"invalid_choice": _("Choose a value from the list.")}
        self.fields["domain"].choices = [("", _("All domains"))] + [(d, DOMAIN_WORDS[d]) for d in Domain.values]
        self.fields["domain"].error_messages.update(invalid)
        self.fields["model"].choices = [("", _("All models"))] + [
            (m, MODEL_WORDS[m]) for m in AccountabilityModel.values
        ]
        self.fields["model"].error_messages.update(invalid)
        if networks is not None:
            self.fields["network"].choices = [("", _("All networks"))] + [(n.pk, n.name) for n in networks]


class ServiceScoresFilterForm(forms.Form):
    """The service scores' filter: a network's id, "none" (schools in no network) or "all" (the district's
    own row); a value that is none of them is refused naming the field."""

    network = forms.CharField(label=_("Network"), required=False, max_length=20)

    def clean_network(self) -> str | None:
        value = self.cleaned_data["network"].strip()
        if not value:
            return None
        if value in (DISTRICT_KEY, NO_NETWORK):
            return value
        if value.isascii() and value.isdigit() and len(value) <= 18 and Network.objects.filter(pk=value).exists():
            return str(int(value))
        raise forms.ValidationError(_("Choose a network from the list."), code="invalid_choice")
