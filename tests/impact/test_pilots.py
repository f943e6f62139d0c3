"""Pilot design: the comparison group proposed for a cohort (nearest neighbours on standardized
features, without replacement, deterministic), its balance table, the office keeping it (frozen; a new
one supersedes, history kept), bad input refused naming the field, and the outcomes view comparing the
pilot with the group it kept, in a district where that changes the answer."""

import datetime

import pytest

from autonomy.models import Autonomy
from budgeting.models import EnrollmentCategory, EnrollmentCount, EnrollmentSnapshot, SnapshotKind, SnapshotSource
from core.errors import ApplicationError, NotPermitted
from impact.models import PilotComparison
from impact.selectors.panel import Selection
from impact.services.outcomes import outcomes_estimate
from impact.services.pilots import (
    nearest_neighbours,
    pilot_comparison_keep,
    pilot_comparison_propose,
    standardized_difference,
)
from metrics.models import Metric, Observation
from schools.models import Cohort, Role
from tests.factories import SchoolFactory, SchoolYearFactory
from tests.impact.builders import granted, pilot_district

pytestmark = pytest.mark.django_db
SCHEDULE = "time.schedule"


# --- The matching, by hand ------------------------------------------------------------------------------


def test_nearest_pairs_are_taken_first_over_the_district_without_replacement():
    pilots = [("P1", [0.0]), ("P2", [1.0])]
    candidates = [("C1", [0.9]), ("C2", [3.0]), ("C3", [-0.5])]
    # P2–C1 is the nearest pair (0.1), so P1 cannot take C1 (0.9 away) and takes C3 (0.5).
    one = nearest_neighbours(pilots, candidates, per_school=1)
    assert {p: [c for c, _ in m] for p, m in one.items()} == {"P1": ["C3"], "P2": ["C1"]}
    assert one["P1"][0][1] == pytest.approx(0.5) and one["P2"][0][1] == pytest.approx(0.1)
    two = nearest_neighbours(pilots, candidates, per_school=2)
    assert [c for c, _ in two["P1"]] == ["C3"] and [c for c, _ in two["P2"]] == ["C1", "C2"]
    # The order the rows come in changes nothing.
    assert nearest_neighbours(pilots[::-1], candidates[::-1], per_school=1) == nearest_neighbours(
        pilots, candidates, per_school=1
    )


def test_a_tie_goes_to_the_first_codes():
    assert nearest_neighbours([("P1", [0.0]), ("P2", [0.0])], [("C2", [1.0]), ("C1", [1.0])], per_school=1) == {
        "P1": [("C1", 1.0)],
        "P2": [("C2", 1.0)],
    }


def test_the_standardized_difference_by_hand():
    # means 2 and 4, variances 1 and 1: (2 - 4) / sqrt((1 + 1) / 2) = -2
    assert standardized_difference([1.0, 2.0, 3.0], [3.0, 4.0, 5.0]) == pytest.approx(-2.0)
    assert standardized_difference([5.0, 5.0], [5.0, 5.0]) == 0.0
    assert standardized_difference([5.0, 5.0], [6.0, 6.0]) is None


# --- Proposals --------------------------------------------------------------------------------------------


def _propose(cohort, metric, **extra):
    return pilot_comparison_propose(cohort=cohort, autonomy=Autonomy.objects.get(code=SCHEDULE), metric=metric, **extra)


def test_the_proposal_matches_each_pilot_school_with_a_similar_school_and_shows_the_balance():
    cohort, metric, groups = pilot_district()
    proposal = _propose(cohort, metric)
    similar = {s.pk for s in groups["similar"]}
    assert proposal.prior_year == "2020-21"  # the year before the cohort's grant
    assert len(proposal.matches) == 10 and all(len(m.comparisons) == 1 for m in proposal.matches)
    chosen = [s.pk for s in proposal.comparison_schools]
    assert len(set(chosen)) == 10 and set(chosen) <= similar  # without replacement, the low schools only
    assert proposal.candidates == 42
    result, size = proposal.balance
    assert result.feature.label == "Proficiency in ELA, 2020-21" and size.feature.label == "Enrollment"
    pilot_values = [
        float(v)
        for v in Observation.objects.filter(metric=metric, period="2020-21", school__in=groups["pilot"]).values_list(
            "value", flat=True
        )
    ]
    assert result.pilot == pytest.approx(sum(pilot_values) / 10)
    assert size.pilot == pytest.approx(sum(300 + 10 * i for i in range(10)) / 10)  # hand count: 345
    assert abs(result.difference_before) > 2 and result.close  # far apart from every candidate; close after
    assert _propose(cohort, metric).matches == proposal.matches  # deterministic


def test_need_shares_are_matched_when_the_enrollment_counts_hold_them():
    cohort, metric, groups = pilot_district()
    year = SchoolYearFactory(
        label="2020-21",
        start_date=datetime.date(2020, 7, 1),
        end_date=datetime.date(2021, 6, 30),
        first_day=datetime.date(2020, 8, 20),
    )
    snapshot = EnrollmentSnapshot.objects.create(
        school_year=year, kind=SnapshotKind.OFFICIAL, as_of=datetime.date(2020, 10, 1), source=SnapshotSource.IMPORT
    )
    grade = EnrollmentCategory.objects.create(code="t-k5", name="K-5", kind="grade")
    need = EnrollmentCategory.objects.create(code="t-poverty", name="Poverty", kind="need")
    counted = [*groups["pilot"], *groups["similar"][:11], *groups["different"]]
    EnrollmentCount.objects.bulk_create(
        [EnrollmentCount(snapshot=snapshot, school=s, category=grade, students=200) for s in counted]
        + [EnrollmentCount(snapshot=snapshot, school=s, category=need, students=50) for s in counted]
    )
    proposal = _propose(cohort, metric)
    labels = [row.feature.label for row in proposal.balance]
    assert labels[2] == "Poverty, share of students"
    assert proposal.balance[2].pilot == pytest.approx(25.0)  # 50 of 200
    assert proposal.left_out == {"no enrollment counts for 2020-21": 1}
    assert proposal.candidates == 41


def test_a_cohort_too_small_is_refused_naming_the_cohort():
    cohort = Cohort.objects.create(name="Small")
    for _ in range(4):
        SchoolFactory(cohort=cohort)
    with pytest.raises(ApplicationError) as refused:
        _propose(cohort, Metric.objects.get(code="ela_proficiency"))
    assert "cohort" in refused.value.fields and "at least 5" in refused.value.fields["cohort"][0]


def test_no_candidate_is_refused_naming_the_cohort():
    cohort, metric, groups = pilot_district()
    for school in [*groups["similar"], *groups["different"]]:
        granted(school, SCHEDULE, starts_on=datetime.date(2023, 8, 1))
    with pytest.raises(ApplicationError) as refused:
        _propose(cohort, metric)
    assert "nobody to compare with" in refused.value.fields["cohort"][0]


def test_too_few_candidates_for_the_number_per_school_is_refused_naming_it():
    cohort, metric, groups = pilot_district()
    for school in [*groups["different"], *groups["similar"][:5]]:  # 7 candidates left for 10 pilot schools
        granted(school, SCHEDULE, starts_on=datetime.date(2023, 8, 1))
    with pytest.raises(ApplicationError) as refused:
        _propose(cohort, metric)
    assert refused.value.fields == {"per_school": ["1 per pilot school needs 10 candidates; 7 are available."]}
    with pytest.raises(ApplicationError) as refused:
        _propose(cohort, metric, per_school=4)
    assert "per_school" in refused.value.fields


def test_a_metric_the_cohort_does_not_report_is_refused_naming_the_metric():
    cohort, _, _ = pilot_district()
    with pytest.raises(ApplicationError) as refused:
        _propose(cohort, Metric.objects.get(code="graduation_rate"))
    assert "metric" in refused.value.fields


# --- Keeping ------------------------------------------------------------------------------------------------


def _keep(actor, cohort, metric, **extra):
    return pilot_comparison_keep(
        actor=actor, cohort=cohort, autonomy=Autonomy.objects.get(code=SCHEDULE), metric=metric, **extra
    )


def test_the_office_keeps_a_group_frozen_and_a_new_one_supersedes_it_with_history_kept(make_member):
    office = make_member(Role.ADMIN)
    cohort, metric, groups = pilot_district()
    first = _keep(office, cohort, metric)
    proposal = _propose(cohort, metric)
    assert set(first.schools.all()) == set(proposal.comparison_schools)
    assert set(first.pilot_schools.all()) == set(groups["pilot"])
    assert first.features == ["Proficiency in ELA, 2020-21", "Enrollment"] and first.prior_year == "2020-21"
    assert first.matches == {m.pilot.code: [s.code for s, _ in m.comparisons] for m in proposal.matches}
    assert [row["feature"] for row in first.balance] == first.features and first.kept_by == office
    # The data move on: the kept group does not.
    frozen = set(first.schools.values_list("pk", flat=True))
    granted(proposal.comparison_schools[0], SCHEDULE, starts_on=datetime.date(2023, 8, 1))
    assert set(first.schools.values_list("pk", flat=True)) == frozen

    second = _keep(office, cohort, metric, per_school=2)
    first.refresh_from_db()
    assert first.superseded_at is not None and second.superseded_at is None
    assert second.schools.count() == 20 and proposal.comparison_schools[0] not in second.schools.all()
    assert PilotComparison.objects.count() == 2


def test_a_viewer_may_not_keep_a_group(make_member):
    cohort, metric, _ = pilot_district()
    with pytest.raises(NotPermitted):
        _keep(make_member(Role.VIEWER), cohort, metric)
    assert not PilotComparison.objects.exists()


# --- Outcomes against the kept group --------------------------------------------------------------------------


def test_against_the_pilots_comparison_group_a_climb_shared_with_similar_schools_is_no_effect(make_member):
    cohort, metric, _ = pilot_district(effect=0.0)
    kept = _keep(make_member(Role.ADMIN), cohort, metric)
    selection = Selection(autonomy=SCHEDULE)
    everyone = outcomes_estimate(metric_id=metric.pk, selection=selection)
    matched = outcomes_estimate(metric_id=metric.pk, selection=selection, comparison=kept)
    second = {h.years: h for h in everyone.horizons}[1]
    assert everyone.estimated and second.low > 1  # the low schools' climb read as an effect, and pre-trends flag it
    assert everyone.pre_trend_differs
    assert matched.estimated and (matched.granted_schools, matched.comparison_schools) == (10, 10)
    assert all(h.covers_zero for h in matched.after) and not matched.pre_trend_differs


def test_against_the_pilots_comparison_group_a_planted_effect_is_recovered(make_member):
    cohort, metric, _ = pilot_district(effect=4.0)
    kept = _keep(make_member(Role.ADMIN), cohort, metric)
    matched = outcomes_estimate(metric_id=metric.pk, selection=Selection(autonomy=SCHEDULE), comparison=kept)
    later = [h for h in matched.after if h.years >= 1]
    assert later and all(h.low <= 4 <= h.high and h.low > 0 for h in later)
    first_year = {h.years: h for h in matched.horizons}[0]
    assert first_year.covers_zero  # the effect starts in the second year held, as planted


def test_a_comparison_school_granted_later_counts_only_for_the_years_before_its_grant(make_member):
    cohort, metric, _ = pilot_district()
    kept = _keep(make_member(Role.ADMIN), cohort, metric)
    late = kept.schools.order_by("code").first()
    granted(late, SCHEDULE, starts_on=datetime.date(2022, 8, 1))
    from impact.selectors.panel import pilot_panel_read

    rows, adopted = pilot_panel_read(metric_id=metric.pk, comparison=kept)
    assert late.pk not in adopted and len(adopted) == 10
    assert sorted(y for s, y, _ in rows if s == late.pk) == [2017, 2018, 2019, 2020, 2021]
