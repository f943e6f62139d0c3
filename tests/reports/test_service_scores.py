"""Central office's service scores on the public pages: principals' ratings of each department in the latest
closed survey, district-wide and by network, through the survey's suppression and the reports' policy."""

import csv
import datetime
import io
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from reports.models import MaskedCellRecord
from reports.selectors_service_scores import SURFACE, service_scores_read
from reports.services.publishing import policy_publish
from reports.services.suppression import Reason
from support.services.surveys import survey_cycle_close, survey_cycles_close_due
from tests.support.surveys_world import admin_user, answer, networks_with, open_cycle

URL = "/reports/central-office/"


def visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture
def world(db):
    """Three networks: A with 6 principals, B with 7 and C with 2 (fewer than the survey's 5). In A, 4 agree
    (4) and 2 disagree (2); every principal of B strongly agrees (5); both of C agree (4)."""
    admin = admin_user()
    (a, b, c), pairs = networks_with(6, 7, 2)
    policy_publish(minimum_n=5, coding_bands=[])
    cycle = open_cycle(admin)
    answer(cycle, pairs[:4], 4)
    answer(cycle, pairs[4:6], 2)
    answer(cycle, pairs[6:13], 5)
    answer(cycle, pairs[13:], 4)
    return {"admin": admin, "cycle": cycle, "networks": (a, b, c), "pairs": pairs}


def closed(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        survey_cycle_close(actor=world["admin"], cycle_id=world["cycle"].pk)


def test_figures_match_a_hand_count(world, django_capture_on_commit_callbacks):
    closed(world, django_capture_on_commit_callbacks)
    a, b, c = world["networks"]
    scores = service_scores_read()
    academics = next(d for d in scores.departments if d.department == "academics")
    # District: 15 principals × 3 statements; positive from A's 4, B's 7 and C's 2 → 39 of 45 = 86.7 → 87 %.
    assert (academics.district.percent, academics.district.grade, academics.district.respondents) == (87, "B", 15)
    by_name = {cell.network: cell for cell in academics.networks}
    assert (by_name[b.name].percent, by_name[b.name].grade, by_name[b.name].respondents) == (100, "A", 7)
    # C has 2 (hidden by the survey); A, the next smallest, is hidden so that C cannot be worked out.
    assert not by_name[c.name].shown and by_name[c.name].respondents is None
    assert not by_name[a.name].shown and by_name[a.name].respondents is None
    assert scores.minimum == 5 and str(scores.cycle) == str(world["cycle"])


def test_the_page_shows_them_and_nothing_of_a_small_network(client, world, django_capture_on_commit_callbacks):
    closed(world, django_capture_on_commit_callbacks)
    a, b, c = world["networks"]
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    text = visible_text(html)
    assert (
        f"Principals' ratings of central office's service, {world['cycle']} survey; a figure is shown only where "
        "at least 5 principals answered." in text
    )
    academics = text.split("Principals' ratings of Academics", 1)[1].split("Principals' ratings of", 1)[0]
    assert "Whole district 87% B 15" in academics
    assert f"{b.name} 100% A 7" in academics
    assert f"{a.name} * " in academics and f"{c.name} * " in academics  # the marker, no count
    # Nothing private: no school, no principal, no email.
    for school, principal in world["pairs"]:
        assert school.name not in text and school.code not in html
        assert principal.email not in html and (not principal.last_name or principal.get_full_name() not in text)
    # The register links to the page.
    assert f'href="{URL}"' in client.get(reverse("reports:register")).content.decode()


def test_the_reports_policy_hides_what_the_survey_showed_and_records_it(world, django_capture_on_commit_callbacks):
    closed(world, django_capture_on_commit_callbacks)
    a, b, c = world["networks"]
    policy_publish(minimum_n=8, coding_bands=[])  # stricter than the survey's 5: B's 7 is too few
    scores = service_scores_read()
    academics = next(d for d in scores.departments if d.department == "academics")
    by_name = {cell.network: cell for cell in academics.networks}
    assert not by_name[b.name].shown and by_name[b.name].text == "*"
    assert academics.district.shown and scores.minimum == 8
    records = MaskedCellRecord.objects.filter(surface=SURFACE, policy_version=2)
    fields = {(r.field, r.reason) for r in records}
    assert (f"service:academics:{b.pk}", Reason.SMALL_N) in fields
    assert (f"service:academics:{c.pk}", Reason.SMALL_N) in fields
    assert (f"service:academics:{a.pk}", Reason.SMALL_N) in fields  # hidden by the survey, recorded here too
    assert all(r.school_code == "" and r.period == str(world["cycle"]) for r in records)
    assert "100%" not in visible_text(Client().get(URL).content.decode())


def test_top_coding_applies_and_the_grade_follows_it(world, django_capture_on_commit_callbacks):
    closed(world, django_capture_on_commit_callbacks)
    b = world["networks"][1]
    policy_publish(minimum_n=5, coding_bands=[{"min_n": 0, "high": 95, "low": 5}])
    academics = next(d for d in service_scores_read().departments if d.department == "academics")
    cell = next(cell for cell in academics.networks if cell.network == b.name)
    assert (cell.text, cell.grade, cell.respondents) == ("> 95%", "A", 7)
    assert MaskedCellRecord.objects.filter(surface=SURFACE, reason=Reason.TOP_CODED).exists()


def test_closing_a_cycle_refreshes_the_cached_page(client, world, django_capture_on_commit_callbacks):
    assert "No survey of central office's service has closed yet." in client.get(URL).content.decode()
    assert "No survey of central office's service has closed yet." in client.get(URL).content.decode()  # cached
    closed(world, django_capture_on_commit_callbacks)
    assert "Whole district" in client.get(URL).content.decode()


def test_the_nightly_close_refreshes_the_cached_page(client, world, django_capture_on_commit_callbacks):
    assert "Whole district" not in client.get(URL).content.decode()
    later = timezone.localdate() + datetime.timedelta(days=11)
    with django_capture_on_commit_callbacks(execute=True):
        assert survey_cycles_close_due(today=later) == 1
    assert "Whole district" in client.get(URL).content.decode()


def test_the_page_in_spanish(world, django_capture_on_commit_callbacks):
    closed(world, django_capture_on_commit_callbacks)
    text = visible_text(Client(HTTP_ACCEPT_LANGUAGE="es").get(URL).content.decode())
    assert "Whole district" not in text and "Talent and human resources" not in text
    assert "Todo el distrito" in text


def csv_rows(client, **query) -> list[dict]:
    response = client.get(reverse("reports:service_scores_csv"), query)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == 'attachment; filename="service-scores.csv"'
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_the_file_holds_the_pages_figures_with_the_marker(client, world, django_capture_on_commit_callbacks):
    assert csv_rows(client) == []  # no survey closed: the header only
    closed(world, django_capture_on_commit_callbacks)
    a, b, c = world["networks"]
    rows = [r for r in csv_rows(client) if r["department"] == "academics"]
    assert [(r["network"], r["network_name"]) for r in rows][0] == ("all", "Whole district")
    by_network = {r["network"]: r for r in rows}
    assert [by_network["all"][k] for k in ("percent_positive", "grade", "respondents")] == ["87", "B", "15"]
    assert [by_network[str(b.pk)][k] for k in ("percent_positive", "grade", "respondents")] == ["100", "A", "7"]
    for hidden in (a, c):  # the marker, no grade, no count
        assert [by_network[str(hidden.pk)][k] for k in ("percent_positive", "grade", "respondents")] == ["*", "", ""]
    assert {r["survey"] for r in rows} == {str(world["cycle"])}
    assert len(csv_rows(client)) == 6 * 4  # six departments × (the district and three networks)
    assert MaskedCellRecord.objects.filter(surface="csv:service-scores", field=f"service:academics:{c.pk}").exists()
