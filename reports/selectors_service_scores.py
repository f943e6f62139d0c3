"""Central office's service scores on the public pages: how principals rated each central-office department
in the latest closed service survey, district-wide and by network.

Every figure passes two doors before it is shown. The survey's own (support.survey_results, through
support's selectors) shows a cell only where at least ServicePolicy.survey_min_respondents principals
answered, with complementary suppression across networks. Then the reports' policy (reports.selectors.
suppress_and_record, the one place), where each department's networks add up to its district-wide total:
a cell the survey hid comes in with no one counted, so the policy hides it too and records it; a cell the
survey showed is still hidden if the district's public minimum is higher, its complement hidden with it,
and its percent top or bottom coded by the policy's bands. The letter grade is read from the published
percent, so a coded figure and its grade never disagree. No school and no person is named.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from reports.selectors import suppress_and_record
from reports.services.publishing import rules_in_force
from reports.services.suppression import Cell, PolicyRules
from support.models import Department
from support.selectors.surveys import survey_cycles_closed, survey_results
from support.survey_results import NO_NETWORK, letter_grade

SURFACE = "page:central-office"

DEPARTMENT_WORDS = {
    Department.ACADEMICS: _("Academics"),
    Department.HR: _("Talent and human resources"),
    Department.FINANCE: _("Finance"),
    Department.OPERATIONS: _("Operations"),
    Department.SPECIAL_EDUCATION: _("Special education"),
    Department.DATA: _("Data and assessment"),
}
NO_NETWORK_WORDS = _("Schools in no network")
DISTRICT_WORDS = _("Whole district")
DISTRICT_KEY = "all"


@dataclass(frozen=True)
class ScoreCell:
    """One published figure: the percent (or the coded bound's text), its grade and how many answered; or
    the marker and nothing else."""

    key: str  # the network's id, NO_NETWORK, or DISTRICT_KEY for the whole district
    network: str  # a network's name, "" for the whole district
    percent: Decimal | None
    text: str  # the coded bound ("> 95%") or the marker where hidden; "" when the percent is shown as it is
    grade: str
    respondents: int | None

    @property
    def shown(self) -> bool:
        return self.percent is not None


@dataclass(frozen=True)
class DepartmentScores:
    department: str
    name: str
    district: ScoreCell
    networks: list[ScoreCell]


@dataclass(frozen=True)
class ServiceScores:
    cycle: object | None  # the latest closed SurveyCycle, None before one closes
    survey_minimum: int
    public_minimum: int
    marker: str
    departments: list[DepartmentScores]

    @property
    def minimum(self) -> int:
        """The number of principals a shown figure needs at least: the stricter of the two rules."""
        return max(self.survey_minimum, self.public_minimum)

    def for_network(self, key: str) -> list[tuple[str, ScoreCell]]:
        """Each department's figure for one network (its id, or NO_NETWORK): [(department's name, cell)];
        empty when the survey counted no school of that network."""
        rows = []
        for department in self.departments:
            cell = next((c for c in department.networks if c.key == key), None)
            if cell is not None:
                rows.append((department.name, cell))
        return rows


def _key(department: str, network: str) -> str:
    return f"service:{department}:{network}"


def _policy_cell(department: str, network: str, support_cell, period: str) -> Cell:
    shown = support_cell.shown
    return Cell(
        _key(department, network),
        Decimal(support_cell.percent_positive) if shown else None,
        support_cell.respondents if shown else 0,  # hidden by the survey: no one may be counted here
        percent=True,
        total=f"service:{department}",
        is_total=network == DISTRICT_KEY,
        field=f"service:{department}:{network}"[:120],
        period=period[:20],
    )


def _score(published, key: str, network_name: str, respondents: int | None) -> ScoreCell:
    if published.hidden or published.value is None:
        return ScoreCell(key, network_name, None, published.text, "", None)
    grade = letter_grade(int(published.value))
    return ScoreCell(key, network_name, published.value, published.text, grade, respondents)


def service_scores_read(*, rules: PolicyRules | None = None, surface: str = SURFACE) -> ServiceScores:
    """The latest closed cycle's scores, through both suppressions; the cells masked recorded under
    `surface` (the page, file or endpoint publishing them). A school's page shows its network's part of
    the same figures, so a network hidden here is hidden there too."""
    rules = rules or rules_in_force()
    cycle = survey_cycles_closed().order_by("-closes_on", "-opens_on", "-pk").first()
    if cycle is None:
        return ServiceScores(None, 0, rules.minimum_n, rules.marker, [])
    results = survey_results(cycle=cycle, departments=Department.values)
    period = str(cycle)
    cells = []
    for result in results.departments:
        cells.append(_policy_cell(result.department, DISTRICT_KEY, result.overall, period))
        cells += [_policy_cell(result.department, n.key, n.cell, period) for n in result.networks]
    published = suppress_and_record(cells, surface=surface, rules=rules)
    departments = []
    for result in results.departments:
        district = _score(
            published[_key(result.department, DISTRICT_KEY)], DISTRICT_KEY, "", result.overall.respondents
        )
        networks = [
            _score(
                published[_key(result.department, n.key)],
                n.key,
                str(NO_NETWORK_WORDS) if n.key == NO_NETWORK else n.name,
                n.cell.respondents,
            )
            for n in result.networks
        ]
        departments.append(
            DepartmentScores(
                result.department, str(DEPARTMENT_WORDS.get(result.department, result.name)), district, networks
            )
        )
    return ServiceScores(cycle, results.minimum, rules.minimum_n, rules.marker, departments)


@dataclass(frozen=True)
class NetworkScores:
    """A school's page: its network's figure for each department, cut from the district's (the same
    suppression, so a network the central-office page masks is masked here too)."""

    network: str  # the network's name; "" for a school in no network
    cycle: object | None  # the latest closed SurveyCycle; None before one closes or for no network
    minimum: int
    marker: str
    rows: list[tuple[str, ScoreCell]]  # (department's name, its cell); empty when the network was not surveyed
    district: list[tuple[str, ScoreCell]]  # (department's name, the whole district's cell)

    @property
    def all_hidden(self) -> bool:
        """Every figure of the network masked: the page says so in words and shows the district's instead."""
        return bool(self.rows) and not any(cell.shown for _name, cell in self.rows)


def network_scores_read(*, network, rules: PolicyRules | None = None, surface: str = "page:school") -> NetworkScores:
    """The latest closed survey's scores of one network (a Network, or None: no query at all)."""
    if network is None:
        return NetworkScores("", None, 0, "", [], [])
    scores = service_scores_read(rules=rules, surface=surface)
    district = [(department.name, department.district) for department in scores.departments]
    rows = scores.for_network(str(network.pk))
    return NetworkScores(network.name, scores.cycle, scores.minimum, scores.marker, rows, district)


SCORE_COLUMNS = ["survey", "department", "department_name", "network", "network_name"]
SCORE_COLUMNS += ["percent_positive", "grade", "respondents"]


def service_score_rows(*, surface: str, network: str | None = None) -> list[dict]:
    """The open-data rows of the same figures: one per department and group (the whole district, whose
    `network` is "all", then each network; NO_NETWORK for schools in none), or one network's only. A
    hidden figure's percent is the policy's marker, with no grade and no count."""
    scores = service_scores_read(surface=surface)
    if scores.cycle is None:
        return []
    rows = []
    for department in scores.departments:
        for cell in [department.district, *department.networks]:
            if network is not None and cell.key != network:
                continue
            rows.append(
                {
                    "survey": str(scores.cycle),
                    "department": department.department,
                    "department_name": department.name,
                    "network": cell.key,
                    "network_name": cell.network if cell.key != DISTRICT_KEY else str(DISTRICT_WORDS),
                    "percent_positive": cell.text or format(cell.percent.normalize(), "f"),
                    "grade": cell.grade,
                    "respondents": cell.respondents if cell.shown else None,
                }
            )
    return rows
