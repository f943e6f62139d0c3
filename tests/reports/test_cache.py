"""The public pages are kept in the cache and rebuilt on the next request after a change they show:
a grant changed, an evaluation run, a new suppression policy, a contract saved."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accountability.models import BenchmarkResult
from accountability.services import evaluation_run
from autonomy.services import grant_change
from metrics.models import Observation
from reports.services.publishing import policy_publish
from tests.factories import grant
from tests.reports.public_world import public_world


@pytest.fixture
def world(db):
    return public_world(small_n=False)


def get(client, url) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), len(captured)


def test_a_page_seen_twice_is_served_from_the_cache(client, world):
    url = reverse("reports:register")
    first, built = get(client, url)
    again, served = get(client, url)
    assert again == first and built > 0 and served == 0


def test_a_grant_change_shows_on_the_next_request(client, world, django_capture_on_commit_callbacks):
    url = reverse("reports:school", args=[world["own"].code])
    assert "Suspended" not in get(client, url)[0]
    with django_capture_on_commit_callbacks(execute=True):
        grant_change(actor=world["users"]["admin"], grant_id=world["grants"][True].pk, action="suspend", reason="Test.")
    assert "Suspended" in get(client, url)[0]


def test_a_new_grant_shows_on_the_register_and_the_autonomy_page(client, world, django_capture_on_commit_callbacks):
    register, autonomy = reverse("reports:register"), reverse("reports:autonomy", args=["time.schedule"])
    assert world["own"].name not in get(client, autonomy)[0]
    get(client, register)
    with django_capture_on_commit_callbacks(execute=True):
        grant(world["own"], "time.schedule")
    assert world["own"].name in get(client, autonomy)[0]
    assert world["own"].name in get(client, register + "?domain=time")[0]


def test_an_evaluation_run_shows_on_the_next_request(client, world, django_capture_on_commit_callbacks):
    url = reverse("reports:results_csv")
    assert ",40," in get(client, url)[0]
    Observation.objects.filter(school=world["own"]).update(value=61)
    assert ",61," not in get(client, url)[0]  # the file shows what the last run published
    with django_capture_on_commit_callbacks(execute=True):
        evaluation_run(as_of=datetime.date(2026, 11, 20))
    assert BenchmarkResult.objects.filter(benchmark__contract__school=world["own"], value=61).exists()
    assert ",61," in get(client, url)[0]


def test_a_new_policy_shows_on_the_next_request(client, world, django_capture_on_commit_callbacks):
    Observation.objects.filter(school=world["own"]).update(n=12)
    url = reverse("reports:results_csv")
    assert "n<20" not in get(client, url)[0]
    with django_capture_on_commit_callbacks(execute=True):
        policy_publish(minimum_n=20, marker="n<20")
    assert "n<20" in get(client, url)[0]


def test_a_parameter_the_page_does_not_read_makes_no_new_entry(client, world):
    url = reverse("reports:register")
    get(client, url + "?domain=people")
    assert get(client, url + "?domain=people&anything=1")[1] == 0
    assert get(client, url + "?domain=time")[1] > 0  # a parameter it reads is its own entry
