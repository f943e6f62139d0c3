"""The demo's pilot design and decision log for the evaluation of autonomy (impact): the autonomy office
kept a comparison group for the pilot cohort's schedule autonomy (the cohort holds every full autonomy
from the start of this school year), matched on the year before on ELA proficiency, size and need
shares; and, from the outcomes of interim assessments (impact_scenes plants +3 points from the second
year held), it decided to extend them, which the catalog states as the autonomy's latest evaluation
decision. Both go through impact's services, as the pages do.

A district too small for a comparison group (a cohort of fewer than five schools, or too few candidates)
keeps none: the pilots page then says why when someone asks.
"""

from autonomy.models import Autonomy
from core.errors import ApplicationError
from impact.models import DecisionKind
from impact.services.decisions import decision_record
from impact.services.pilots import pilot_comparison_keep
from metrics.models import Metric

PILOT_AUTONOMY = "time.schedule"
OUTCOME = "ela_proficiency"
DECIDED = "program.assessment"
EVIDENCE = f"/impact/outcomes/?autonomy={DECIDED}&metric={OUTCOME}"


def impact_pilot_scene(district) -> None:
    admin = district.staff["admin"]
    try:
        pilot_comparison_keep(
            actor=admin,
            cohort=district.cohort,
            autonomy=Autonomy.objects.get(code=PILOT_AUTONOMY),
            metric=Metric.objects.get(code=OUTCOME),
        )
    except ApplicationError:
        pass  # too small a district: nothing to keep
    decision_record(
        actor=admin,
        autonomy=Autonomy.objects.get(code=DECIDED),
        decision=DecisionKind.EXTEND,
        rationale="ELA proficiency rose about 3 points from the second year schools held it, against schools not "
        "yet holding it, with no difference in the trend before; offer it to every school in the next call.",
        evidence_path=EVIDENCE,
    )
