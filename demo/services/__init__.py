"""A deterministic, realistic demo district, built with bulk inserts and the apps' services.

Same seed, same district: every random choice comes from one `random.Random(seed)`, consumed in a
fixed order, and rows are created in a fixed order. Dates count back from the current school year.
`data` holds the district's fixed facts, `builder` makes its rows, `scenes` and `request_scenes` tell
its story; `demo_district_seed` runs them in order.
"""

import random

from django.db import transaction

from core.versions import versions_bump_all
from demo.services.budget_scenes import budget_scene
from demo.services.builder import DemoLogins, DistrictBuilder, current_school_year_start, school_year_label
from demo.services.catalog_text import catalog_text_fill
from demo.services.commitment_scenes import commitments_scene
from demo.services.data import (
    BENCHMARK_COUNTS,
    DEMO_PASSWORD,
    LARGE_DISTRICT_SCHOOLS,
    MORE_BENCHMARKS,
    TEMPLATE_BENCHMARKS,
)
from demo.services.impact_pilot_scenes import impact_pilot_scene
from demo.services.impact_scenes import impact_scene
from demo.services.request_scenes import requests_scene
from demo.services.scenes import FlaggedSchools, contracts_scene, grants_scene
from demo.services.support_calendar_scenes import calendar_scene
from demo.services.support_caseload_scenes import caseloads_scene
from demo.services.support_network_scenes import networks_scene
from demo.services.support_request_scenes import requests_scene as support_requests_scene
from demo.services.support_survey_scenes import surveys_scene
from schools.models import School

__all__ = [
    "BENCHMARK_COUNTS",
    "DEMO_PASSWORD",
    "LARGE_DISTRICT_SCHOOLS",
    "DemoLogins",
    "DistrictAlreadySeeded",
    "current_school_year_start",
    "default_benchmark_count",
    "demo_district_seed",
    "school_year_label",
]


class DistrictAlreadySeeded(Exception):
    pass


def default_benchmark_count(schools: int) -> int:
    """The standard contract for a district of up to 100 schools; a large district's longer one above."""
    return BENCHMARK_COUNTS[0] if schools <= LARGE_DISTRICT_SCHOOLS else BENCHMARK_COUNTS[-1]


def demo_district_seed(
    *, schools: int = 40, years: int = 5, seed: int = 2026, benchmarks: int | None = None
) -> DemoLogins:
    """Create the demo district; refuses when the database already holds schools.

    `benchmarks` is how many benchmarks each contract holds (default: by the district's size)."""
    if benchmarks is None:
        benchmarks = default_benchmark_count(schools)
    if benchmarks not in BENCHMARK_COUNTS:
        raise ValueError(f"benchmarks: {benchmarks} is not between {BENCHMARK_COUNTS[0]} and {BENCHMARK_COUNTS[-1]}.")
    if School.objects.exists():
        raise DistrictAlreadySeeded(f"The database already holds {School.objects.count()} schools.")
    rng = random.Random(seed)
    with transaction.atomic():
        district = DistrictBuilder(rng=rng, school_count=schools, year_count=years)
        district.organisation()
        district.observations(flagged=FlaggedSchools.among(district.schools, year=district.years[-1]))
        district.criteria()
        catalog_text_fill()
        grants_scene(district, rng=rng)
        requests_scene(district)
        contracts_scene(district, benchmarks=(TEMPLATE_BENCHMARKS + MORE_BENCHMARKS)[:benchmarks])
        budget_scene(district, seed=seed)
        # Central office's side: networks and their teams (the departments' staff the later scenes ask for),
        # caseloads and the partnership log, support requests, service surveys, the contracts' commitments,
        # and last the calendar (it types a milestone only where no window or survey already dates it).
        # Scenes with a random stream of their own leave the others' draws unchanged.
        networks_scene(district, rng=rng)
        caseloads_scene(district, rng=random.Random(seed * 7 + 15))
        support_requests_scene(district, rng=rng)
        surveys_scene(district, rng=random.Random(seed * 11 + 3))
        commitments_scene(district, rng=rng)
        calendar_scene(district, rng=rng)
        # Evidence for the evaluation team: one autonomy with a modest effect, one with none.
        impact_scene(district, rng=rng)
        # A comparison group kept for the pilot cohort, and a decision the catalog states.
        impact_pilot_scene(district)
        # Much of the district was written in bulk, past the signals that move the versions (its flags, for
        # one): nothing a shared cache kept from an earlier database (flushed and seeded again) may be shown.
        versions_bump_all()
        return district.logins
