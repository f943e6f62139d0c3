"""A simulated district for the event study: schools granted an autonomy in staggered years (or never),
each with its own level, a district-wide trend and noise; a planted effect from the second year held
(years since the grant >= 1) and, on request, a planted pre-grant trend. Fixed seeds: the same district
every run."""

import numpy as np

YEARS = range(2016, 2024)  # eight school years, 2016-17 to 2023-24
GRANT_YEARS = (0, 2019, 2020, 2021, 2022)  # 0: never granted


def district(*, schools: int = 80, effect: float = 5.0, pre_trend: float = 0.0, noise: float = 2.0, seed: int = 7):
    rng = np.random.default_rng(seed)
    rows, adopted = [], {}
    for school in range(schools):
        grant_year = int(GRANT_YEARS[school % len(GRANT_YEARS)])
        if grant_year:
            adopted[school] = grant_year
        level = rng.normal(60, 8)
        for year in YEARS:
            value = level + 0.8 * (year - YEARS[0]) + rng.normal(0, noise)
            if grant_year and year - grant_year >= 1:
                value += effect
            if grant_year and pre_trend and year < grant_year:  # moving up towards the grant already
                value += pre_trend * (year - grant_year)
            rows.append((school, year, float(value)))
    return rows, adopted
