"""The flags list's liaison filter: its options are (id, name) pairs (accountability.selectors.
liaison_choices_for_user), central office's kept in the shared cache under the "schools" version, which a
school's liaison changing (schools.services.liaisons.school_liaison_set) and a person's name changing move."""

import pytest

from accountability.selectors import liaison_choices_for_user
from schools.services.liaisons import school_liaison_set
from tests.factories import SchoolFactory

FLAGS = "/flags/"


@pytest.fixture
def office(make_member):
    return make_member("admin")


def test_central_office_is_offered_every_schools_liaison_by_last_name(db, office, make_member):
    zane = make_member("liaison", first_name="Ana", last_name="Zane")
    nameless = make_member("liaison", first_name="", last_name="", username="liaison-nameless")
    make_member("liaison", first_name="Idle", last_name="Aaron")  # a liaison of no school is no filter
    SchoolFactory(liaison=zane), SchoolFactory(liaison=nameless), SchoolFactory(liaison=zane)
    assert liaison_choices_for_user(user=office) == [(nameless.pk, "liaison-nameless"), (zane.pk, "Ana Zane")]


def test_a_liaison_is_offered_themself_only(db, make_member):
    mine, other = make_member("liaison", last_name="Mine"), make_member("liaison", last_name="Other")
    SchoolFactory(liaison=mine), SchoolFactory(liaison=other)
    assert [pk for pk, _ in liaison_choices_for_user(user=mine)] == [mine.pk]


def test_a_liaison_assigned_or_renamed_is_offered_on_the_next_page(
    fragments, on_commit, office, make_member, client_for
):
    school = SchoolFactory()
    first = make_member("liaison", first_name="Bea", last_name="First")
    with on_commit():
        school_liaison_set(school=school, liaison=first)
    client = client_for(office)
    assert f'<option value="{first.pk}">Bea First</option>' in client.get(FLAGS).content.decode()
    second = make_member("liaison", first_name="Cy", last_name="Second")
    with on_commit():
        school_liaison_set(school=school, liaison=second)
    page = client.get(FLAGS).content.decode()
    assert f'<option value="{second.pk}">Cy Second</option>' in page and "Bea First" not in page
    with on_commit():
        second.last_name = "Renamed"
        second.save()
    assert f'<option value="{second.pk}">Cy Renamed</option>' in client.get(FLAGS).content.decode()


def test_the_list_filters_by_liaison_and_names_the_field_of_one_not_offered(db, office, make_member, client_for):
    liaison = make_member("liaison", first_name="Di", last_name="Kept")
    SchoolFactory(liaison=liaison)
    client = client_for(office)
    chosen = client.get(FLAGS, {"liaison": liaison.pk}).content.decode()
    assert f'<option value="{liaison.pk}" selected>Di Kept</option>' in chosen
    refused = client.get(FLAGS, {"liaison": liaison.pk + 1000}).content.decode()
    assert 'id="id_liaison_error"' in refused


def test_a_liaison_deleted_is_no_longer_offered_on_the_next_page(fragments, on_commit, office, make_member, client_for):
    """Deleting the person empties their schools' liaison in SQL, past the School signals: the person's own
    delete moves the version."""
    gone = make_member("liaison", first_name="Ed", last_name="Gone")
    SchoolFactory(liaison=gone)
    client = client_for(office)
    assert "Ed Gone" in client.get(FLAGS).content.decode()
    with on_commit():
        gone.delete()
    assert "Ed Gone" not in client.get(FLAGS).content.decode()
