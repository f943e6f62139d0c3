"""The public pages answer anyone, with no login, and show what the district publishes."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.reports.public_world import more_schools, public_world


@pytest.fixture
def world(db):
    return public_world()


def test_the_register_lists_every_school_with_its_autonomies_and_totals(client, world):
    response = client.get(reverse("reports:register"))
    assert response.status_code == 200
    text = response.content.decode()
    assert world["own"].name in text and world["other"].name in text
    assert "Hire and dismiss staff" in text or "people.hiring" in text
    assert 'href="#main"' in text and "<main" in text
    assert reverse("reports:school", args=[world["own"].code]) in text


@pytest.mark.parametrize("query", ["domain=weather", "model=nope", "network=abc", "network=999999", "domain=%00"])
def test_a_bad_filter_answers_400_naming_the_field(client, world, query):
    response = client.get(reverse("reports:register") + "?" + query)
    assert response.status_code == 400
    name = query.split("=")[0]
    assert f'href="#id_{name}"' in response.content.decode()


def test_the_filter_keeps_schools_holding_a_matching_autonomy(client, world):
    response = client.get(reverse("reports:register"), {"network": world["network"].pk})
    text = response.content.decode()
    assert response.status_code == 200
    assert world["own"].name in text and world["other"].name not in text
    response = client.get(reverse("reports:register"), {"domain": "time"})
    assert world["own"].name not in response.content.decode()


def test_the_school_page_shows_decisions_results_rung_and_liaison(client, world):
    response = client.get(reverse("reports:school", args=[world["own"].code]))
    assert response.status_code == 200
    text = response.content.decode()
    assert world["own"].name in text
    assert "Lena Ortiz" in text  # the liaison, by name
    assert "Notice of concern" in text  # the rung, and no more of the flag
    assert "<caption>" in text and 'scope="col"' in text


def test_an_unknown_school_or_autonomy_is_404(client, world):
    assert client.get(reverse("reports:school", args=["NOPE"])).status_code == 404
    assert client.get(reverse("reports:autonomy", args=["nope.nope"])).status_code == 404


def test_the_autonomy_page_lists_its_holders(client, world):
    response = client.get(reverse("reports:autonomy", args=["people.hiring"]))
    assert response.status_code == 200
    text = response.content.decode()
    assert world["own"].name in text and world["other"].name in text


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


# Schools, held grants, the latest year with results, its results, their observations' n, the policy in
# force, the catalog, networks (the filter form and the table), the year's grant events, the school year.
REGISTER_QUERIES = 11
# The school, its grants and their events, the metrics its grants' criteria name and their observations'
# n, the active contract, its benchmarks, the latest year with results, the results and observations, the
# flags' rungs, the policy in force and the record of what was masked (the small group's values); the
# latest closed survey of central office (none here: test_school_service_scores counts one).
SCHOOL_QUERIES = 15


def test_register_and_school_page_cost_the_same_queries_for_3_and_30_schools(client, world):
    more_schools(1)
    register, school = reverse("reports:register"), reverse("reports:school", args=[world["own"].code])
    few = (_queries(client, register), _queries(client, school))
    more_schools(27)
    cache.clear()
    many = (_queries(client, register), _queries(client, school))
    assert few == many == (REGISTER_QUERIES, SCHOOL_QUERIES)


def test_a_grant_is_held_since_it_started_or_since_its_last_change(client, db):
    import datetime

    from autonomy.services import grant_change
    from tests.factories import SchoolFactory, grant

    school = SchoolFactory()
    held = grant(school, "people.hiring", starts_on=datetime.date(2026, 7, 1))  # issued today, started in July
    page = client.get(reverse("reports:school", args=[school.code])).content.decode()
    assert "since July 1, 2026" in page
    grant_change(actor=None, grant_id=held.pk, action="expire", reason="The term ended.")
    cache.clear()
    grant(school, "time.schedule", starts_on=datetime.date(2026, 8, 3))
    assert "since Aug. 3, 2026" in client.get(reverse("reports:school", args=[school.code])).content.decode()


def test_the_register_comes_a_page_of_schools_at_a_time(client, world, monkeypatch):
    from reports.views import public

    monkeypatch.setattr(public, "REGISTER_PAGE_SIZE", 1)
    cache.clear()
    first = client.get(reverse("reports:register")).content.decode()
    second = client.get(reverse("reports:register"), {"page": "2"}).content.decode()
    assert 'rel="next"' in first and "page=2" in first and 'rel="prev"' in second
    assert first.count('<th scope="row"><a href="/reports/schools/') == 1
    assert first != second  # a page of its own in the cache, not the first page again
    for bad in ("0", "x", "²", "99999"):
        assert client.get(reverse("reports:register"), {"page": bad}).status_code == 200
