"""Survey results are shown only where at least the district's minimum answered, by every route: the page
(with and without filters), the API (with and without filters) and the CSV. A hidden network's figure
cannot be worked out from the department's total minus the networks shown (complementary suppression)."""

import csv
import io

import pytest
from django.urls import reverse

from support.models import ServicePolicy
from support.selectors.surveys import survey_results
from support.services.surveys import survey_cycle_close
from support.survey_results import COMPLEMENT_WORDS, Tally, cell, letter_grade, network_cells
from tests.support.surveys_world import admin_user, answer, networks_with, open_cycle, principals_in

pytestmark = pytest.mark.django_db

# The small network's figure for finance: 3 principals who all strongly disagree (1 of 5).
SMALL_MEAN = "1.0"


@pytest.fixture
def district():
    """Network A: 6 schools, B: 5, C: 3 (below the minimum). Every principal answers 4 everywhere, except
    that C's three answer finance with 1."""
    admin = admin_user()
    (big, middle, small), pairs = networks_with(6, 5, 3)
    cycle = open_cycle(admin)
    answer(cycle, pairs[:11], 4)
    answer(cycle, pairs[11:], 4, finance=1)
    cycle = survey_cycle_close(actor=admin, cycle_id=cycle.pk)
    return {"admin": admin, "cycle": cycle, "big": big, "middle": middle, "small": small, "pairs": pairs}


def test_the_rule_shows_figures_only_from_the_minimum():
    assert not cell(Tally(respondents=4, answers=12, total=48, positive=12), minimum=5).shown
    shown = cell(Tally(respondents=5, answers=15, total=60, positive=14), minimum=5)
    assert (shown.respondents, shown.percent_positive, str(shown.mean), shown.grade) == (5, 93, "4.0", "A")
    assert cell(None, minimum=5).hidden == "Fewer than 5 answered"


def test_a_district_that_asks_for_more_hides_more():
    ServicePolicy.objects.create(survey_min_respondents=8)
    tally = Tally(respondents=7, answers=7, total=28, positive=7)
    assert not cell(tally, minimum=ServicePolicy.objects.get().survey_min_respondents).shown


@pytest.mark.parametrize(
    ("percent", "grade"),
    [(100, "A"), (90, "A"), (89, "B"), (80, "B"), (79, "C"), (70, "C"), (69, "D"), (60, "D"), (59, "F"), (0, "F")],
)
def test_grades_follow_palm_beach_bands(percent, grade):
    assert letter_grade(percent) == grade


def test_one_hidden_network_hides_the_next_smallest_too():
    names = {"a": "A", "b": "B", "c": "C"}
    tallies = {"a": Tally(8, 8, 32, 8), "b": Tally(5, 5, 20, 5), "c": Tally(3, 3, 3, 0)}
    cells = {n.key: n.cell for n in network_cells(tallies, names, minimum=5)}
    assert cells["a"].shown
    assert cells["b"].hidden == COMPLEMENT_WORDS
    assert cells["c"].hidden == "Fewer than 5 answered"


def test_two_hidden_networks_need_no_complement_and_empty_ones_do_not_count():
    names = {"a": "A", "b": "B", "c": "C", "d": "D"}
    two = {"a": Tally(8, 8, 32, 8), "b": Tally(2, 2, 8, 2), "c": Tally(3, 3, 3, 0)}
    assert [n.cell.shown for n in network_cells(two, names, minimum=5)] == [True, False, False, False]
    one_and_empty = {"a": Tally(8, 8, 32, 8), "b": Tally(6, 6, 24, 6), "c": Tally(3, 3, 3, 0)}
    cells = {n.key: n.cell for n in network_cells(one_and_empty, names, minimum=5)}
    assert cells["b"].hidden == COMPLEMENT_WORDS and cells["a"].shown  # D has no answers: it hides nothing


def test_the_selector_suppresses_the_small_network_and_its_complement(district):
    results = survey_results(cycle=district["cycle"], departments=["finance"])
    finance = results.departments[0]
    assert finance.overall.respondents == 14
    by_key = {n.key: n.cell for n in finance.networks}
    assert by_key[str(district["big"].pk)].respondents == 6
    assert by_key[str(district["middle"].pk)].hidden == COMPLEMENT_WORDS
    assert by_key[str(district["small"].pk)].hidden == "Fewer than 5 answered"
    assert "none" not in by_key  # every school is in a network: no row for schools in none


def _no_small_figure(text: str, district):
    """The small network's figures (3 answered, mean 1.0) and the middle one's (5 answered) never appear."""
    assert SMALL_MEAN not in text
    assert "Fewer than 5 answered" in text


def test_the_page_never_shows_the_small_networks_figure(client_for, district):
    client = client_for(district["admin"])
    url = reverse("support:survey_results", args=[district["cycle"].pk])
    whole = client.get(url).content.decode()
    _no_small_figure(whole, district)
    for network in ("small", "middle"):
        response = client.get(url, {"network": district[network].pk, "department": "finance"})
        assert response.status_code == 200
        text = response.content.decode()
        _no_small_figure(text, district)
        table = text[text.index('id="summary-caption"') : text.index("</table>", text.index('id="summary-caption"'))]
        assert '<td class="num">' not in table  # no figure at all in the filtered row
    shown = client.get(url, {"network": district["big"].pk, "department": "finance"}).content.decode()
    assert '<td class="num">6</td>' in shown


def test_the_page_refuses_a_filter_that_is_not_a_choice(client_for, district):
    client = client_for(district["admin"])
    url = reverse("support:survey_results", args=[district["cycle"].pk])
    response = client.get(url, {"network": "99999"})
    assert response.status_code == 400
    assert "Network" in response.content.decode()


def test_the_csv_never_holds_the_small_networks_figure(client_for, district):
    client = client_for(district["admin"])
    url = reverse("support:survey_results_csv", args=[district["cycle"].pk])
    for params in ({}, {"network": district["small"].pk}, {"network": district["middle"].pk, "department": "finance"}):
        response = client.get(url, params)
        assert response.status_code == 200
        rows = list(csv.reader(io.StringIO(response.content.decode())))
        assert rows[0][:4] == ["Department", "Network", "Statement", "Answered"]
        for row in rows[1:]:
            if row[1] in (district["small"].name, district["middle"].name) and row[0] == "Finance":
                assert row[3:7] == ["", "", "", ""], row
                assert row[7]
        assert SMALL_MEAN not in response.content.decode()


def test_the_api_never_holds_the_small_networks_figure(api_for, district):
    client = api_for(district["admin"])
    url = reverse("api:survey-cycle-results", args=[district["cycle"].pk])
    for params in ({}, {"network": district["small"].pk}, {"network": district["middle"].pk, "department": "finance"}):
        response = client.get(url, params)
        assert response.status_code == 200, response.content
        rows = response.json()["rows"]
        assert rows
        for row in rows:
            if (
                row["network"] in (str(district["small"].pk), str(district["middle"].pk))
                and row["department"] == "finance"
            ):
                assert row["shown"] is False
                assert row["respondents"] is row["percent_positive"] is row["mean"] is None
                assert row["grade"] == ""
        assert SMALL_MEAN not in response.content.decode()


def test_the_api_refuses_a_filter_naming_it(api_for, district):
    client = api_for(district["admin"])
    url = reverse("api:survey-cycle-results", args=[district["cycle"].pk])
    response = client.get(url, {"department": "catering"})
    assert response.status_code == 400
    assert "department" in response.json()["fields"]


def test_a_department_below_the_minimum_shows_no_figure_anywhere(client_for):
    admin = admin_user()
    pairs = principals_in(None, 4)
    cycle = open_cycle(admin)
    answer(cycle, pairs, 5)
    cycle = survey_cycle_close(actor=admin, cycle_id=cycle.pk)
    results = survey_results(cycle=cycle, departments=["finance", "hr"])
    assert all(not d.overall.shown and not any(i.cell.shown for i in d.items) for d in results.departments)
    assert not results.departments[0].network("none").shown  # schools in no network have a row of their own
    text = client_for(admin).get(reverse("support:survey_results", args=[cycle.pk])).content.decode()
    assert '<td class="num">' not in text
