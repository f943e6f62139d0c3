"""The network filter of the district overview, the decision-rights matrix and the flags list: its options are
(id, name) pairs (schools.selectors.network_choices_for_user), central office's kept in the shared cache under
the "schools" version; it cleans to the network's id, and refuses one it did not offer."""

import pytest

from schools.forms import OverviewFilterForm
from schools.models import Network
from schools.selectors import network_choices_for_user
from tests.factories import NetworkFactory, SchoolFactory

PAGES = ["/schools/", "/grants/", "/flags/"]


@pytest.fixture
def office(make_member):
    return make_member("admin")


def test_central_office_is_offered_every_network_by_name(db, office):
    later, earlier = NetworkFactory(name="Westside"), NetworkFactory(name="Eastside")
    assert network_choices_for_user(user=office) == [(earlier.pk, "Eastside"), (later.pk, "Westside")]


def test_a_liaison_is_offered_the_networks_of_their_schools_only(db, make_member):
    liaison = make_member("liaison")
    mine = SchoolFactory(liaison=liaison, network=NetworkFactory(name="Mine"))
    SchoolFactory(network=NetworkFactory(name="Not mine"))
    assert network_choices_for_user(user=liaison) == [(mine.network_id, "Mine")]


def test_a_network_saved_is_offered_on_the_next_page_one_written_past_the_signals_is_not(
    fragments, on_commit, office, client_for
):
    first = NetworkFactory(name="Northside")
    assert network_choices_for_user(user=office) == [(first.pk, "Northside")]
    Network.objects.bulk_create([Network(name="Behind the services")])  # no signal: the kept list stays
    assert network_choices_for_user(user=office) == [(first.pk, "Northside")]
    with on_commit():
        first.name = "North"
        first.save()
    names = [name for _, name in network_choices_for_user(user=office)]
    assert names == ["Behind the services", "North"]
    page = client_for(office).get("/grants/").content.decode()
    assert f'<option value="{first.pk}">North</option>' in page


def test_the_filter_cleans_to_the_id_and_refuses_a_network_it_did_not_offer(db):
    offered = [(7, "Northside")]
    chosen = OverviewFilterForm({"network": "7"}, networks=offered)
    assert chosen.is_valid() and chosen.cleaned_data["network"] == 7
    everything = OverviewFilterForm({"network": ""}, networks=offered)
    assert everything.is_valid() and everything.cleaned_data["network"] is None
    other = OverviewFilterForm({"network": "8"}, networks=offered)
    assert not other.is_valid() and "network" in other.errors


@pytest.mark.parametrize("path", PAGES)
def test_each_list_filters_by_network_and_names_the_field_of_a_network_not_offered(path, db, office, client_for):
    kept, other = SchoolFactory(name="Kept School"), SchoolFactory(name="Other School")
    client = client_for(office)
    page = client.get(path, {"network": kept.network_id})
    assert page.status_code == 200
    assert f'<option value="{kept.network_id}" selected>' in page.content.decode()
    if path != "/flags/":  # the flags list shows flags, and these schools have none
        assert "Kept School" in page.content.decode() and "Other School" not in page.content.decode()
    refused = client.get(path, {"network": other.network_id + 1000})
    assert refused.status_code == 200
    assert 'id="id_network_error"' in refused.content.decode()
