"""The accountability pages a principal reads are in Spanish: the catalog is complete and compiled, and no
English is left on a Spanish page. What the nightly run or people wrote into a flag (its deficiency, remedy,
provision, the steps' reasons) and names (schools, metrics) are data, left out."""

import re

import pytest
from django.urls import reverse

from core.models import Notification
from metrics.models import Metric
from schools.models import Role
from tests.accountability.builders import ela_template, flag_of, flagged_schools
from tests.translation_kit import assert_catalog_complete, english_left

pytestmark = pytest.mark.django_db


@pytest.fixture
def flagged(make_member):
    """A school with an open flag on a missed benchmark, its principal, and the data the page repeats."""
    admin = make_member(Role.ADMIN)
    ((school, principal),) = flagged_schools(1, admin=admin, template=ela_template())
    flag = flag_of(school)
    written = [flag.deficiency, flag.remedy, flag.provision, *(event.reason for event in flag.events.all())]
    names = list(Metric.objects.values_list("name", flat=True))
    return flag, principal, (school.name, *names, *[text for text in written if text])


def test_the_catalog_is_complete_and_compiled():
    assert_catalog_complete("accountability", at_least=150)


def test_a_flag_and_its_notice_are_in_spanish(flagged):
    flag, principal, data = flagged
    assert not english_left(reverse("accountability:flag_detail", args=[flag.pk]), as_user=principal, data=data)


def test_the_flags_list_is_in_spanish(flagged):
    flag, principal, data = flagged
    assert not english_left(reverse("accountability:flag_list"), as_user=principal, data=data)


def test_the_schools_results_are_in_spanish(flagged):
    flag, principal, data = flagged
    url = reverse("accountability:school_results", args=[flag.school.code])
    assert not english_left(url, as_user=principal, data=data)


def test_a_flag_in_english_is_still_english(client, flagged):
    flag, principal, _ = flagged
    client.force_login(principal)
    page = client.get(reverse("accountability:flag_detail", args=[flag.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert "What the school is expected to do" in page.content.decode()


def test_the_trend_charts_coordinates_stay_numbers_in_spanish(client, flagged):
    """Spanish writes 12,5 for 12.5: a chart's coordinates are not localized, or the chart falls apart."""
    flag, principal, _ = flagged
    client.force_login(principal)
    url = reverse("accountability:school_results", args=[flag.school.code])
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    coordinates = re.findall(r'\s(?:x|y|x1|y1|x2|y2|cx|cy)="([^"]*)"', page)
    assert coordinates
    assert all(re.fullmatch(r"-?\d+(\.\d+)?", value) for value in coordinates), coordinates


def test_a_flag_raised_from_a_spanish_page_writes_the_notice_in_the_districts_language(client, make_member, flagged):
    """The school's notice and the flag's step are the district's record: the language the admin reads the
    portal in does not change them."""
    flag, principal, _ = flagged
    client.force_login(make_member(Role.ADMIN))
    url = reverse("accountability:flag_action", args=[flag.pk, "escalate"])
    data = {"note": "Sin respuesta.", "expected_status": "open", "expected_level": 1}
    assert client.post(url, data, HTTP_ACCEPT_LANGUAGE="es").status_code == 302
    notice = Notification.objects.filter(user=principal).latest("pk")
    assert "Contract provision:" in notice.body and "Expected remedy:" in notice.body
    assert flag.events.latest("pk").reason.startswith("Raised to level 2, corrective action plan required.")
