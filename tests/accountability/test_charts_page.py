"""The results page draws each trend as a chart with axes and a table behind it, and writes every number
as people do; the flag page's evidence says a standing as value, percentile and the number of schools."""

import re

import pytest
from django.urls import reverse

from accountability.models import InterventionFlag
from accountability.services import evaluation_run
from contracts.models import ContractTemplate, TemplateBenchmark, TemplateRule
from metrics.models import Metric
from schools.models import Role
from tests.accountability.builders import AS_OF, active_contract, observe, school_years
from tests.factories import SchoolFactory

pytestmark = pytest.mark.django_db


def _template():
    template = ContractTemplate.objects.create(name="Standing")
    for position, (key, metric, kind, comparator, target) in enumerate(
        [
            ("ela", "ela_proficiency", "value", ">=", 90),
            ("standing", "growth_percentile", "relative", ">=", 40),
            ("vacancies", "teacher_vacancies_first_day", "value", "<=", 3),
        ]
    ):
        TemplateBenchmark.objects.create(
            template=template,
            position=position,
            key=key,
            metric=Metric.objects.get(code=metric),
            kind=kind,
            comparator=comparator,
            target_mode="fixed",
            target_value=target,
        )
    TemplateRule.objects.create(
        template=template,
        key="one-missed",
        condition="n_missed",
        count=1,
        level=1,
        deadline_days=30,
        remedy="Meet your liaison.",
        provision="Section 5.1",
    )
    return template


@pytest.fixture
def district(make_member):
    """Four schools on the same contract; the first reads ELA of 88.1667 (a miss), stands 25th of four on
    growth (a miss) and has 7 vacancies (a miss)."""
    admin = make_member(Role.ADMIN)
    years, template = school_years(), _template()
    schools = [SchoolFactory() for _ in range(4)]
    principals = [active_contract(school, admin=admin, template=template, years=years) for school in schools]
    for school, growth in zip(schools, (40, 30, 50, 70), strict=True):
        observe(school, "2025-26", "85.25")
        observe(school, "2026-27", "88.1667")
        observe(school, "2026-27", growth, metric="growth_percentile")
        observe(school, "2025-26", 2, metric="teacher_vacancies_first_day")
        observe(school, "2026-27", 7, metric="teacher_vacancies_first_day")
    evaluation_run(as_of=AS_OF)
    return {"school": schools[0], "principal": principals[0]}


def _card(page: str, heading: str) -> str:
    """The benchmark card whose heading starts with `heading`."""
    start = page.index(f"<h3>{heading}")
    return page[start : page.index("</li>", start)]


def test_the_results_page_writes_values_in_the_metrics_unit_and_standing_with_its_n(district, client_for):
    page = (
        client_for(district["principal"])
        .get(reverse("accountability:school_results", args=[district["school"].code]))
        .content.decode()
    )
    assert "88.1667" not in page and ".0000" not in page
    assert "88.2% against a target of 90%" in _card(page, "Proficiency in ELA")
    assert "40 (25th percentile of 4 schools) against a target of the 40th percentile" in _card(
        page, "Median growth percentile"
    )
    assert "7 vacancies against a target of 3 vacancies" in _card(page, "Teacher vacancies")


def test_each_trend_is_a_chart_with_axes_a_labelled_target_and_the_figures_in_a_table(district, client_for):
    page = (
        client_for(district["principal"])
        .get(reverse("accountability:school_results", args=[district["school"].code]))
        .content.decode()
    )
    card = _card(page, "Proficiency in ELA")
    svg = card[card.index("<svg") : card.index("</svg>")]
    ticks = re.findall(r'<text class="tick"[^>]*>([^<]+)</text>', svg)
    assert len(ticks) >= 3 and all(t.endswith("%") for t in ticks)
    assert re.findall(r'<text class="period"[^>]*>([^<]+)</text>', svg) == ["2025-26", "2026-27"]
    assert re.findall(r'<text class="point-label"[^>]*>([^<]+)</text>', svg) == ["85.3%", "88.2%"]
    assert '<polyline class="target-line"' in svg and ">Target</text>" in svg and ">90%</text>" in svg
    assert "2025-26: 85.3%; 2026-27: 88.2% (not met). Target: 90%." in svg  # the description
    # The table behind the chart holds the same figures, row by row.
    table = card[card.index("<summary>Show the figures</summary>") : card.index("</table>")]
    rows = [
        [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row)]
        for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)
    ]
    assert rows[1:] == [["2025-26", "85.3%", "90%", "Before the contract"], ["2026-27", "88.2%", "90%", "Not met"]]


def test_a_standing_has_no_target_line_and_says_why(district, client_for):
    page = (
        client_for(district["principal"])
        .get(reverse("accountability:school_results", args=[district["school"].code]))
        .content.decode()
    )
    card = _card(page, "Median growth percentile")
    assert "target-line" not in card and "a standing among district schools" in card


def test_the_flag_evidence_writes_values_and_standing_as_people_do(district, client_for):
    flag = InterventionFlag.objects.get(school=district["school"])
    page = client_for(district["principal"]).get(reverse("accountability:flag_detail", args=[flag.pk])).content.decode()
    cells = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", page, re.S)]
    assert "88.2%" in cells and "at least 90%" in cells
    assert "40 (25th percentile of 4 schools)" in cells and "at least the 40th percentile" in cells
    assert "7 vacancies" in cells and "at most 3 vacancies" in cells
    assert "compared with" not in page and "88.1667" not in page


def test_growth_without_a_baseline_says_it_is_not_measured_yet(make_member, client_for):
    admin = make_member(Role.ADMIN)
    template = ContractTemplate.objects.create(name="Growth")
    TemplateBenchmark.objects.create(
        template=template,
        key="ela-growth",
        metric=Metric.objects.get(code="ela_proficiency"),
        kind="growth",
        comparator=">=",
        target_mode="fixed",
        target_value=1,
    )
    years = school_years()
    new, old = SchoolFactory(), SchoolFactory()
    observe(old, "2025-26", 50)  # the baseline, before the contract is drafted
    principals = [active_contract(school, admin=admin, template=template, years=years) for school in (new, old)]
    for school in (new, old):
        observe(school, "2026-27", 54)
    evaluation_run(as_of=AS_OF)
    note = "no result from before the contract to grow from"
    pages = [
        client_for(principal).get(reverse("accountability:school_results", args=[school.code])).content.decode()
        for school, principal in zip((new, old), principals, strict=True)
    ]
    assert note in pages[0] and "baseline plus the growth" not in pages[0]
    assert note not in pages[1] and "The target line is the baseline plus the growth asked for." in pages[1]
    assert "+4 points against a target of +1 point" in pages[1]


def test_the_legend_names_only_the_kinds_of_point_the_chart_draws(district, client_for):
    page = (
        client_for(district["principal"])
        .get(reverse("accountability:school_results", args=[district["school"].code]))
        .content.decode()
    )
    ela = _card(page, "Proficiency in ELA")  # 2025-26 before the contract, 2026-27 not met
    assert "not met (red)" in ela and "before the contract (grey)" in ela
    standing = _card(page, "Median growth percentile")  # one point, in the contract, not met
    assert "before the contract (grey)" not in standing


def test_a_standing_recorded_with_the_flag_is_the_one_its_evidence_states(district, client_for):
    """Where the evaluation kept the percentile in the flag's evidence, the page states that one, not a
    later result's."""
    flag = InterventionFlag.objects.get(school=district["school"])
    flag.evidence["results"]["standing"]["standing"] = "12.5"
    flag.save(update_fields=["evidence"])
    page = client_for(district["principal"]).get(reverse("accountability:flag_detail", args=[flag.pk])).content.decode()
    cells = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", page, re.S)]
    assert "40 (13th percentile of 4 schools)" in cells and "40 (25th percentile of 4 schools)" not in cells
