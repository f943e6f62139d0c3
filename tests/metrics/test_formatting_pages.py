"""The request pages write a measure's numbers through metrics.formatting, in the metric's unit."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from autonomy.models import Autonomy, EligibilityCriterion
from metrics.models import Metric
from schools.models import Role
from tests.autonomy.factories import CallFactory, complete_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(school, make_member):
    principal = make_member(Role.PRINCIPAL, school=school)
    call = CallFactory(created_by=make_member(Role.ADMIN))
    return principal, complete_request(principal=principal, school=school, call=call)


def test_the_request_lists_its_outcomes_in_the_metrics_unit(draft, client_for):
    principal, request = draft
    page = client_for(principal).get(reverse("autonomy:request_detail", args=[request.pk])).content.decode()
    row = page[page.index('<th scope="row">Proficiency in ELA</th>') :][:200]
    assert '<td class="num">40%</td><td class="num">55%</td>' in row


def test_an_earned_autonomys_criterion_is_written_in_the_metrics_unit(draft, client_for):
    principal, request = draft
    EligibilityCriterion.objects.create(
        autonomy=Autonomy.objects.get(code="money.budget"),
        metric=Metric.objects.get(code="teacher_vacancies_first_day"),
        comparator="<=",
        threshold=Decimal("3.0000"),
    )
    page = client_for(principal).get(reverse("autonomy:request_edit", args=[request.pk, "autonomies"])).content.decode()
    assert "Teacher vacancies on the first day" in page and "3 vacancies" in page and "3.0000" not in page


def test_the_import_page_shows_how_each_metrics_values_read_on_the_pages(make_member, client_for):
    page = client_for(make_member(Role.ADMIN)).get(reverse("metrics:observation_import")).content.decode()
    rows = {
        code: shown
        for code, shown in re.findall(
            r"<tr><td><code>([a-z_]+)</code></td><td>[^<]*</td>"
            r"<td>[^<]*<small class=\"shown\">shown as ([^<]*)</small>",
            page,
        )
    }
    assert rows["ela_proficiency"] == "41.7%"  # 41.667 rounded to the percent's one decimal
    assert rows["teacher_vacancies_first_day"] == "208 vacancies"
    assert rows["finance_rating"] == "3"  # a whole rating
    assert len(rows) == Metric.objects.count()
