"""The pilots' pages: the proposal with its balance table, the office keeping it, the history, a kept
group's own page, refusals naming the field, the outcomes view offering the kept group, and their
query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from autonomy.models import Autonomy
from impact.models import PilotComparison
from metrics.models import Metric
from schools.models import Cohort, Role
from tests.factories import SchoolFactory
from tests.impact.builders import pilot_district

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(client_for, make_member):
    return client_for(make_member(Role.ADMIN))


def _choice(pilot, **extra):
    chosen = {"cohort": pilot.pk, "autonomy": "time.schedule", "metric": "ela_proficiency", "per_school": 1}
    return chosen | extra


def test_the_office_sees_the_proposal_with_its_balance_table_and_keeps_it(office):
    cohort, _, groups = pilot_district()
    response = office.get(reverse("impact:pilots"), _choice(cohort))
    page = response.content.decode()
    assert response.status_code == 200
    assert "10 pilot schools matched with 10 of 42 candidate schools, on 2020-21." in page
    assert '<caption id="balance-caption">Balance: the pilot and its proposed comparison group</caption>' in page
    assert "Proficiency in ELA, 2020-21" in page and "Standardized difference" in page
    assert groups["pilot"][0].name in page
    assert "Keep this comparison group" in page

    kept = office.post(reverse("impact:pilots"), _choice(cohort))
    row = PilotComparison.objects.get()
    assert kept.status_code == 302 and kept.url == reverse("impact:pilot", args=[row.pk])
    shown = office.get(kept.url).content.decode()
    assert "<h1>The comparison group kept for Schedule pilot</h1>" in shown
    assert "Balance, as it read when kept" in shown and "in use" in shown
    assert f"compare_with={row.pk}" in shown
    history = office.get(reverse("impact:pilots")).content.decode()
    assert "Every comparison group kept, newest first" in history and "In use" in history

    office.post(reverse("impact:pilots"), _choice(cohort, per_school=2))
    history = office.get(reverse("impact:pilots")).content.decode()
    assert history.count("Superseded") == 1 and history.count("In use") == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [({"per_school": 9}, "per_school"), ({"metric": "no_such"}, "metric"), ({"cohort": 999999}, "cohort")],
)
def test_bad_choices_are_refused_naming_the_field(office, change, field):
    cohort, _, _ = pilot_district()
    for method in ("get", "post"):
        response = getattr(office, method)(reverse("impact:pilots"), _choice(cohort, **change))
        assert response.status_code == 400 and f'href="#id_{field}"' in response.content.decode()
    assert not PilotComparison.objects.exists()


def test_a_cohort_too_small_is_refused_on_the_page_naming_the_cohort(office):
    cohort = Cohort.objects.create(name="Two schools")
    SchoolFactory(cohort=cohort), SchoolFactory(cohort=cohort)
    response = office.post(reverse("impact:pilots"), _choice(cohort))
    page = response.content.decode()
    assert response.status_code == 400 and 'href="#id_cohort"' in page and "at least 5" in page
    assert not PilotComparison.objects.exists()


def test_a_viewer_reads_the_proposal_but_may_not_keep_it(client_for, make_member):
    cohort, _, _ = pilot_district()
    viewer = client_for(make_member(Role.VIEWER))
    page = viewer.get(reverse("impact:pilots"), _choice(cohort)).content.decode()
    assert "Balance: the pilot" in page and "Keep this comparison group" not in page
    assert viewer.post(reverse("impact:pilots"), _choice(cohort)).status_code == 403
    assert not PilotComparison.objects.exists()


def test_the_outcomes_view_offers_the_kept_group_and_compares_with_it(office):
    cohort, _, _ = pilot_district()
    chosen = {"autonomy": "time.schedule", "metric": "ela_proficiency"}
    before = office.get(reverse("impact:outcomes"), chosen).content.decode()
    assert "Compare with" not in before  # nothing kept yet: nothing to offer
    office.post(reverse("impact:pilots"), _choice(cohort))
    row = PilotComparison.objects.get()
    offered = office.get(reverse("impact:outcomes"), chosen).content.decode()
    assert "Compare with" in offered and "The comparison group kept for Schedule pilot" in offered
    assert "Schools not yet holding it" in offered
    against = office.get(reverse("impact:outcomes"), {**chosen, "compare_with": row.pk}).content.decode()
    assert "10 schools of Schedule pilot compared with the 10 schools of the comparison group kept for it" in against
    assert "against the pilot&#x27;s comparison group" in against
    assert "Check of the trend before the grant: passed" in against
    assert "Check of the trend before the grant: <strong>failed</strong>" in before
    other = office.get(reverse("impact:outcomes"), {"autonomy": "people.hiring", "metric": "ela_proficiency"})
    assert "Compare with" not in other.content.decode()  # offered for its own autonomy only
    stray = office.get(reverse("impact:outcomes"), {**chosen, "compare_with": "999"})
    assert stray.status_code == 400 and 'href="#id_compare_with"' in stray.content.decode()


def _kept(n, admin):
    autonomy = Autonomy.objects.get(code="time.schedule")
    for i in range(n):
        cohort = Cohort.objects.create(name=f"Pilot {Cohort.objects.count()}-{i}")
        schools = [SchoolFactory(cohort=cohort) for _ in range(2)]
        kept = PilotComparison.objects.create(
            cohort=cohort,
            autonomy=autonomy,
            metric=Metric.objects.get(code="ela_proficiency"),
            prior_year="2024-25",
            matches={schools[0].code: [schools[1].code]},
            kept_by=admin,
        )
        kept.schools.set(schools[1:])
        kept.pilot_schools.set(schools[:1])


def test_the_pilots_page_costs_the_same_queries_for_1_and_20_groups_kept(client_for, make_member):
    admin = make_member(Role.ADMIN)
    client = client_for(admin)
    _kept(1, admin)
    client.get(reverse("impact:pilots"))  # warm the session and the roles
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("impact:pilots"))
    _kept(19, admin)
    with CaptureQueriesContext(connection) as twenty:
        response = client.get(reverse("impact:pilots"))
    assert len(response.context["history"]) == 20
    # session, user, the cohorts, autonomies and metrics of the form, the history (annotated)
    assert len(twenty.captured_queries) == len(one.captured_queries) == 5


def test_a_kept_groups_page_costs_the_same_queries_for_2_and_40_schools(client_for, make_member):
    admin = make_member(Role.ADMIN)
    client = client_for(admin)
    _kept(1, admin)
    small = PilotComparison.objects.get()
    large = PilotComparison.objects.create(
        cohort=Cohort.objects.create(name="Large"),
        autonomy=small.autonomy,
        metric=small.metric,
        prior_year="2024-25",
        kept_by=admin,
    )
    pilots, controls = [SchoolFactory() for _ in range(20)], [SchoolFactory() for _ in range(20)]
    large.matches = {p.code: [c.code] for p, c in zip(pilots, controls, strict=True)}
    large.save()
    large.pilot_schools.set(pilots)
    large.schools.set(controls)
    client.get(reverse("impact:pilot", args=[small.pk]))  # warm the session and the roles
    with CaptureQueriesContext(connection) as two:
        client.get(reverse("impact:pilot", args=[small.pk]))
    with CaptureQueriesContext(connection) as forty:
        page = client.get(reverse("impact:pilot", args=[large.pk])).content.decode()
    assert page.count('<th scope="row">') == 20
    # user, the group (annotated), its comparison schools, its pilot schools
    assert len(forty.captured_queries) == len(two.captured_queries) == 4
