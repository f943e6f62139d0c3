"""A school's partnership log: newest first with focus tags and next steps, read by its principal; the
liaison's add, change and remove forms, each refusal named next to its field; another school's log 404."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from core.models import Notification
from schools.models import Role
from support.models import FocusArea, PartnershipEntry
from tests.factories import SchoolFactory

pytestmark = pytest.mark.django_db


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


@pytest.fixture
def school_people(make_member):
    liaison = make_member(Role.LIAISON, first_name="Lena", last_name="Ortiz")
    school = SchoolFactory(liaison=liaison, name="Adams Elementary")
    principal = make_member(Role.PRINCIPAL, school=school)
    return {"liaison": liaison, "school": school, "principal": principal}


def form_data(**changes):
    data = {
        "kind": "visit",
        "on": days(-1).isoformat(),
        "minutes": "75",
        "with_principal": "on",
        "focus": [str(pk) for pk in FocusArea.objects.filter(number__in=[1, 5]).values_list("pk", flat=True)],
        "notes": "Walked grade 3 classrooms.",
        "next_steps": "Principal drafts the feedback cycle.",
        "next_step_due": days(6).isoformat(),
    }
    return data | changes


def test_the_liaison_logs_a_visit_and_the_principal_reads_it_with_its_next_steps(school_people, client_for):
    school = school_people["school"]
    liaison_client = client_for(school_people["liaison"])
    form = liaison_client.get(reverse("support:partnership_entry_add", args=[school.code])).content.decode()
    assert 'name="form_key"' in form and "1. Time for instructional leadership" in form
    response = liaison_client.post(
        reverse("support:partnership_entry_add", args=[school.code]), form_data(), follow=True
    )
    assert "The school visit is logged. The principal is told of the next steps." in response.content.decode()

    page = client_for(school_people["principal"]).get(reverse("support:partnership_log", args=[school.code]))
    html = page.content.decode()
    assert f"School visit on {days(-1):%b} {days(-1).day}, {days(-1).year}" in html
    assert "75 minutes with the principal · by Lena Ortiz" in html
    assert "1. Time for instructional leadership" in html and "5. Central-office services for the school" in html
    assert f"Next steps, due {days(6):%b} {days(6).day}, {days(6).year}" in html
    assert "Principal drafts the feedback cycle." in html
    assert "Log a contact" not in html and "Change<span" not in html  # the principal reads, never writes
    assert Notification.objects.filter(user=school_people["principal"]).count() == 1


def test_posting_the_same_form_twice_logs_one_contact(school_people, client_for):
    client = client_for(school_people["liaison"])
    url = reverse("support:partnership_entry_add", args=[school_people["school"].code])
    data = form_data(form_key="6f1c1d7e-3a53-4d8e-9a1e-0b8f6f2f8c11")
    client.post(url, data)
    second = client.post(url, data)
    assert second.status_code == 302
    assert PartnershipEntry.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"minutes": "0"}, "minutes", "Ensure this value is greater than or equal to 1."),
        ({"minutes": "601"}, "minutes", "Ensure this value is less than or equal to 600."),
        ({"kind": ""}, "kind", "This field is required."),
        ({"on": days(2).isoformat()}, "on", "The contact cannot be in the future: log it once it has happened."),
        ({"next_step_due": days(-9).isoformat()}, "next_step_due", "The next step cannot be due before the contact."),
        ({"notes": "x" * 4001}, "notes", "Ensure this value has at most 4000 characters (it has 4001)."),
    ],
)
def test_bad_input_is_refused_next_to_its_field_and_nothing_is_saved(
    school_people, client_for, changes, field, message
):
    url = reverse("support:partnership_entry_add", args=[school_people["school"].code])
    response = client_for(school_people["liaison"]).post(url, form_data(**changes))
    assert response.status_code == 400
    html = response.content.decode()
    assert f'id="id_{field}_error">{message}' in html
    assert f'href="#id_{field}"' in html  # the summary links to it
    assert not PartnershipEntry.objects.exists()


def test_the_liaison_corrects_and_removes_an_entry(school_people, client_for):
    school = school_people["school"]
    entry = PartnershipEntry.objects.create(
        school=school, liaison=school_people["liaison"], kind="call", on=days(-2), minutes=20
    )
    client = client_for(school_people["liaison"])
    edit_url = reverse("support:partnership_entry_edit", args=[school.code, entry.pk])
    assert 'value="20"' in client.get(edit_url).content.decode()
    assert client.post(edit_url, form_data(kind="call", minutes="25")).status_code == 302
    entry.refresh_from_db()
    assert (entry.kind, entry.minutes) == ("call", 25)
    response = client.post(reverse("support:partnership_entry_remove", args=[school.code, entry.pk]), follow=True)
    assert "is removed." in response.content.decode()
    assert not PartnershipEntry.objects.exists()


def test_another_schools_log_and_entries_answer_404(school_people, client_for, make_member):
    other = SchoolFactory(liaison=make_member(Role.LIAISON))
    entry = PartnershipEntry.objects.create(school=other, liaison=other.liaison, kind="visit", on=days(-1), minutes=30)
    for user in (school_people["liaison"], school_people["principal"]):
        client = client_for(user)
        assert client.get(reverse("support:partnership_log", args=[other.code])).status_code == 404
        assert client.get(reverse("support:partnership_entry_add", args=[other.code])).status_code == 404
        assert client.get(reverse("support:partnership_entry_edit", args=[other.code, entry.pk])).status_code == 404
        # nor through the own school's address
        assert (
            client.get(
                reverse("support:partnership_entry_edit", args=[school_people["school"].code, entry.pk])
            ).status_code
            == 404
        )


def test_the_log_page_costs_the_same_queries_for_one_entry_as_for_twenty(
    school_people, client_for, django_assert_num_queries
):
    school, liaison = school_people["school"], school_people["liaison"]
    client = client_for(school_people["principal"])
    url = reverse("support:partnership_log", args=[school.code])

    def add(n):
        entry = PartnershipEntry.objects.create(school=school, liaison=liaison, kind="visit", on=days(-n), minutes=30)
        entry.focus.set(FocusArea.objects.filter(number__in=[1, 2]))

    add(1)
    client.get(url)
    # the user, the school, the count, the entries with their liaison, their focus tags
    with django_assert_num_queries(5) as first:
        client.get(url)
    for n in range(2, 21):
        add(n)
    with django_assert_num_queries(len(first)):
        response = client.get(url)
    assert len(response.context["entries"]) == 20
