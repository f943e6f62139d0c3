"""The event study recovers what was planted in a simulated district (tests/impact/simulation.py)."""

from impact.services.event_study import MIN_SCHOOLS, event_study_estimate
from tests.impact.simulation import district


def _at(study, years):
    return next(h for h in study.horizons if h.years == years)


def test_a_planted_effect_of_5_points_from_the_second_year_is_recovered():
    rows, adopted = district(effect=5.0)
    study = event_study_estimate(rows=rows, adopted=adopted)
    assert study.estimated
    for years in (1, 2, 3):
        h = _at(study, years)
        assert h.low <= 5.0 <= h.high, h
        assert h.low > 0  # told apart from no effect
    assert _at(study, 0).covers_zero  # nothing planted in the first year held
    assert not study.pre_trend_differs and study.pre_trend_p > 0.05


def test_with_nothing_planted_every_interval_covers_zero():
    rows, adopted = district(effect=0.0, seed=11)
    study = event_study_estimate(rows=rows, adopted=adopted)
    assert study.estimated and study.after
    assert all(h.covers_zero for h in study.after), study.after
    assert not study.pre_trend_differs


def test_a_planted_pre_grant_trend_fails_the_check():
    rows, adopted = district(effect=0.0, pre_trend=3.0, seed=5)
    study = event_study_estimate(rows=rows, adopted=adopted)
    assert study.pre_trend_differs, study.pre_trend_p


def test_too_few_granted_schools_shows_nothing():
    rows, adopted = district(schools=20)
    few = dict(list(adopted.items())[: MIN_SCHOOLS - 1])
    study = event_study_estimate(rows=rows, adopted=few)
    assert not study.estimated and not any(h.shown for h in study.horizons)


def test_a_horizon_with_fewer_schools_than_the_minimum_is_hidden():
    rows, adopted = district(schools=40)  # 8 schools per grant year: +4 only from the 2019 group
    study = event_study_estimate(rows=rows, adopted=adopted)
    four = _at(study, 4)
    assert four.schools == 8 and four.shown
    rows, adopted = district(schools=20)  # 4 per grant year
    study = event_study_estimate(rows=rows, adopted=adopted)
    assert _at(study, 4).schools == 4 and not _at(study, 4).shown
    assert _at(study, 1).shown


def test_schools_granted_before_the_first_year_are_left_out():
    rows, adopted = district(schools=40)
    study = event_study_estimate(rows=rows, adopted={**adopted, 0: 2015, 5: 2016})
    assert study.comparison_schools == 8 - 2  # school 0 and school 5 were never-granted schools


def test_a_district_with_fewer_years_than_the_window_is_estimated_on_the_years_it_has():
    """Five years of results (2018-19 to 2022-23) and grants of 2019 to 2021: nothing is four years after a
    grant, and the library refuses a window past the data unless asked for what is there."""
    rows, adopted = district(schools=60)
    five_years = [(s, y, v) for s, y, v in rows if 2018 <= y <= 2022]
    study = event_study_estimate(rows=five_years, adopted={s: g for s, g in adopted.items() if g <= 2021})
    assert study.estimated
    assert _at(study, 3).shown and not _at(study, 4).shown and _at(study, 4).schools == 0
    assert _at(study, -3).shown  # the 2021 grants have 2018 behind them
