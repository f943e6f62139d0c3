"""The demo's history for the evaluation of autonomy (impact): the rest of the demo issues every grant
at the start of the current school year, so no school has yet held one long enough for outcomes around
the grant to show anything. Two programmatic autonomies were granted in earlier years instead, in three
waves, each to its own schools, chosen at random among those with results from the first year:

- `program.assessment` (interim assessments of the school's own): from the second year a school holds
  it, its ELA proficiency is 3 points higher than it would have been, a modest real effect;
- `people.evaluation` (the school's own evaluation and coaching cycle): no effect at all.

So the outcomes page shows one autonomy whose later years stand apart from zero and one whose ranges
all cover it. Grants go through the grants service; the planted effect is written onto the demo's own
observations, as the builder writes them (clamped to the metric's range).
"""

import datetime
import random
from decimal import Decimal

from autonomy.models import Autonomy
from autonomy.services import grants_issue
from metrics.models import Metric, Observation

EFFECT = {"program.assessment": Decimal("3"), "people.evaluation": Decimal("0")}
PER_WAVE = 6
WAVES = (1, 2, 3)  # indexes into the demo's school years: the second, third and fourth
OUTCOME = "ela_proficiency"


def impact_scene(district, *, rng: random.Random) -> None:
    years = district.years
    if len(years) <= max(WAVES) or len(district.schools) < 2 * PER_WAVE * len(WAVES):
        return  # too small a district for waves of grants: the outcomes page says so on its own
    metric = Metric.objects.get(code=OUTCOME)
    rows = {(o.school_id, o.period): o for o in Observation.objects.filter(metric=metric, school__in=district.schools)}
    with_start = [s for s in district.schools if (s.pk, years[0].label) in rows]
    taken: set[int] = set()
    for code, effect in EFFECT.items():
        # Different schools for each autonomy, so that one's effect does not show in the other's figures.
        pool = [s for s in with_start if s.pk not in taken]
        chosen = rng.sample(pool, k=min(len(pool), PER_WAVE * len(WAVES)))
        taken.update(s.pk for s in chosen)
        changed = []
        for wave, index in enumerate(WAVES):
            schools = sorted(chosen[wave * PER_WAVE : (wave + 1) * PER_WAVE], key=lambda s: s.pk)
            grants_issue(
                schools=schools,
                autonomy=Autonomy.objects.get(code=code),
                actor=district.staff["admin"],
                reason=f"Approved in the district's {years[index].label} proposal round.",
                starts_on=years[index].start_date + datetime.timedelta(days=45),
            )
            for school in schools:
                for later in years[index + 1 :]:
                    row = rows.get((school.pk, later.label))
                    if row is not None and effect:
                        row.value = min(row.value + effect, metric.max_value or row.value + effect)
                        changed.append(row)
        Observation.objects.bulk_update(changed, ["value"])
