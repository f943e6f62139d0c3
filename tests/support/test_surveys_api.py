"""The surveys API: a principal answers through the same service as the page (a bad value refused naming
it, a second answer refused naming the cycle, nothing saved); cycles read in the same queries for 1 or 20."""

import pytest
from django.urls import reverse

from support.models import SurveyCycle, SurveyItem, SurveyResponse
from tests.factories import SchoolYearFactory
from tests.support.surveys_world import admin_user, every_answer, networks_with, open_cycle

pytestmark = pytest.mark.django_db


def _json_answers(cycle, **changes):
    answers = {d: {str(p): v for p, v in items.items()} for d, items in every_answer(cycle).items()}
    for department, values in changes.items():
        answers[department].update(values)
    return {"answers": answers}


def test_a_principal_answers_once_through_the_api(api_for):
    _, [(school, principal)] = networks_with(1)
    cycle = open_cycle(admin_user())
    client = api_for(principal)
    url = reverse("api:survey-cycle-answer", args=[cycle.pk, school.code])
    bad = client.post(url, _json_answers(cycle, finance={"2": 9}), format="json")
    assert bad.status_code == 400 and "answers[finance][2]" in bad.json()["fields"]
    unknown = client.post(url, {**_json_answers(cycle), "school": "X"}, format="json")
    assert unknown.status_code == 400 and "school" in unknown.json()["fields"]
    assert not SurveyResponse.objects.exists()
    assert client.post(url, _json_answers(cycle, data={"1": None}), format="json").status_code == 201
    again = client.post(url, _json_answers(cycle), format="json")
    assert again.status_code == 409 and str(cycle) in again.json()["detail"]
    assert SurveyResponse.objects.count() == 1


@pytest.mark.parametrize("count", [1, 20])
def test_the_cycles_list_takes_the_same_queries(api_for, django_assert_num_queries, count):
    admin = admin_user()
    year = SchoolYearFactory()
    for n in range(count):
        cycle = SurveyCycle.objects.create(
            school_year=year, term=f"T{n}", opens_on=year.start_date, closes_on=year.end_date
        )
        SurveyItem.objects.create(cycle=cycle, position=1, text="Fine.")
    client = api_for(admin)
    client.get(reverse("api:survey-cycle-list"))  # warm the token and role caches alike
    with django_assert_num_queries(LIST_QUERIES):
        response = client.get(reverse("api:survey-cycle-list"))
    assert response.status_code == 200 and response.json()["count"] == count


# the token, the count, the page of cycles, their statements (roles come from the cache; the office reads every
# department without asking which it works in); the token's last use is written once a minute at most
LIST_QUERIES = 4


def test_a_draft_is_the_offices_alone(api_for):
    admin = admin_user()
    _, [(school, principal)] = networks_with(1)
    year = SchoolYearFactory()
    draft = SurveyCycle.objects.create(
        school_year=year, term="Draft", opens_on=year.start_date, closes_on=year.end_date
    )
    running = open_cycle(admin)
    listed = api_for(principal).get(reverse("api:survey-cycle-list")).json()["results"]
    assert [row["id"] for row in listed] == [running.pk]
    assert api_for(principal).get(reverse("api:survey-cycle-detail", args=[draft.pk])).status_code == 404
    assert api_for(admin).get(reverse("api:survey-cycle-detail", args=[draft.pk])).status_code == 200
    url = reverse("api:survey-cycle-answer", args=[draft.pk, school.code])
    assert api_for(principal).post(url, _json_answers(running), format="json").status_code == 404
