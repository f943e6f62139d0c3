"""impact's pages: who sees them (the matrix's part, run here too), what they say, bad input refused
naming the field, and the CSVs behind every figure."""

import csv
import datetime
import io

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from autonomy.models import Autonomy
from impact.cache import GRANTS_VERSION
from impact.selectors.panel import Selection
from impact.services.outcomes import outcomes_estimate
from metrics.models import Observation
from schools.models import Role, School
from tests.factories import SchoolFactory
from tests.impact.builders import granted, simulated_district
from tests.impact.matrix_impact import PAGES
from tests.matrix_kit import ROLES
from tests.world import build_world

pytestmark = pytest.mark.django_db


def test_the_matrix_part_holds():
    world = build_world()
    for name, page in PAGES.items():
        for role in ROLES:
            c = Client()
            if role != "anonymous":
                c.force_login(world["users"][role], backend="django.contrib.auth.backends.ModelBackend")
            url = reverse(name, kwargs=page.kwargs(world, True) if page.kwargs else None)
            got = c.get(url, page.data or {}).status_code
            assert got == page.expect(role, True), (name, role, got)


@pytest.fixture
def office(client_for, make_member):
    return client_for(make_member(Role.ADMIN))


def test_the_outcomes_page_shows_the_planted_effect_with_its_chart_table_and_caveats(office):
    simulated_district(5.0)
    response = office.get(reverse("impact:outcomes"), {"autonomy": "people.hiring", "metric": "ela_proficiency"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "<svg" in page and "<desc" in page and "Years since the grant" in page
    assert "32 granted schools compared with schools not yet granted (8 never granted)" in page
    assert "Check of the trend before the grant: passed" in page
    assert "+5" in page  # the estimates as people write them, "+5.3 points"
    assert "Schools were not granted autonomy at random" in page
    assert "Record the district's decision from this evidence" in page
    assert "/impact/decisions/?autonomy=people.hiring&amp;evidence=/impact/outcomes/" in page
    assert "Did the students change?" in page  # no enrollment counts in this district:
    assert "Too few schools to tell: 0 granted schools with enrollment counts" in page
    rows = list(
        csv.reader(
            io.StringIO(
                office.get(
                    reverse("impact:outcomes_csv"), {"autonomy": "people.hiring", "metric": "ela_proficiency"}
                ).content.decode()
            )
        )
    )
    assert rows[0][:3] == ["metric", "years_since_grant", "granted_schools"]
    second = next(r for r in rows if r[1] == "1")
    assert float(second[4]) <= 5 <= float(second[5])


def test_an_autonomy_few_schools_hold_says_too_few_schools_to_tell(office):
    school = SchoolFactory()
    granted(school, "program.curriculum", starts_on=datetime.date(2024, 8, 1))
    response = office.get(reverse("impact:outcomes"), {"autonomy": "program.curriculum", "metric": "ela_proficiency"})
    assert response.status_code == 200
    assert "Too few schools to tell" in response.content.decode()
    assert "<svg" not in response.content.decode()


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"autonomy": "no.such", "metric": "ela_proficiency"}, "autonomy"),
        ({"autonomy": "people.hiring", "metric": "nope"}, "metric"),
        ({"autonomy": "people.hiring", "domain": "money", "metric": "ela_proficiency"}, "autonomy"),
        ({"metric": "ela_proficiency"}, "autonomy"),
    ],
)
def test_a_bad_choice_is_refused_naming_the_field(office, query, field):
    for name in ("impact:outcomes", "impact:outcomes_csv"):
        response = office.get(reverse(name), query)
        assert response.status_code == 400
        assert f'href="#id_{field}"' in response.content.decode()


def test_a_bad_school_year_on_uptake_is_refused_naming_it(office):
    response = office.get(reverse("impact:uptake"), {"year": "2025"})
    assert response.status_code == 400 and 'href="#id_year"' in response.content.decode()
    assert "Write the school year as 2025-26." in response.content.decode()


def test_the_estimate_is_kept_until_observations_or_grants_change(
    django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    metric = simulated_district(0.0, schools=20)
    selection = Selection(autonomy="people.hiring")
    first = outcomes_estimate(metric_id=metric.pk, selection=selection)
    with django_assert_max_num_queries(1):  # the fingerprint only: the estimate comes from the cache
        assert outcomes_estimate(metric_id=metric.pk, selection=selection) == first
    Observation.objects.filter(metric=metric).update(value=50)
    changed = outcomes_estimate(metric_id=metric.pk, selection=selection)
    assert changed != first
    school = School.objects.filter(observations__isnull=False, grants__isnull=True).first()  # never granted
    with django_capture_on_commit_callbacks(execute=True):  # the hook is sent once the grant commits
        granted(school, "people.hiring", starts_on=datetime.date(2020, 8, 1))
    assert cache.get(GRANTS_VERSION) == 2
    with django_assert_max_num_queries(3):  # read afresh: the fingerprint, the panel's two queries
        fresh = outcomes_estimate(metric_id=metric.pk, selection=selection)
    assert (fresh.granted_schools, fresh.comparison_schools) == (
        changed.granted_schools + 1,
        changed.comparison_schools - 1,
    )


def test_uptake_and_use_pages_and_their_csvs(office):
    school = SchoolFactory()
    granted(school, "money.budget", starts_on=datetime.date(2024, 7, 1))
    page = office.get(reverse("impact:uptake")).content.decode()
    assert Autonomy.objects.get(code="money.budget").name in page and "2024-25" in page
    rows = list(csv.reader(io.StringIO(office.get(reverse("impact:uptake_csv")).content.decode())))
    money = next(r for r in rows if r[0] == "money.budget")
    assert money[:4] == ["money.budget", Autonomy.objects.get(code="money.budget").model, "2024-25", "0"]
    assert money[4] == "1"  # granted
    use = office.get(reverse("impact:use"))
    assert use.status_code == 200 and "How use is judged" in use.content.decode()
    rows = list(csv.reader(io.StringIO(office.get(reverse("impact:use_csv")).content.decode())))
    assert rows[1][:2] == ["money.budget", school.code]
