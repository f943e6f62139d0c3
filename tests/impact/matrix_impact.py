"""impact's pages in the authorization matrix (tests/test_authorization_matrix.py): the autonomy office
and the district's viewers (the board, the evaluation team) read them; everyone else signed in gets a
404, as impact.policies says."""

from tests.matrix_kit import Page, login_or

EVALUATION_TEAM = login_or(others=404, admin=200, viewer=200)
CHOSEN = {"autonomy": "people.hiring", "metric": "ela_proficiency"}


def kept_comparison(world, own):
    """A comparison group kept for a pilot of the world's own school (the row written as kept: the matrix
    asks who may read it, not how it was matched)."""
    from autonomy.models import Autonomy
    from impact.models import PilotComparison
    from metrics.models import Metric
    from schools.models import Cohort, Role

    kept = PilotComparison.objects.filter(cohort__name="Matrix pilot").first()
    if kept is None:
        kept = PilotComparison.objects.create(
            cohort=Cohort.objects.get_or_create(name="Matrix pilot")[0],
            autonomy=Autonomy.objects.get(code="time.schedule"),
            metric=Metric.objects.get(code="ela_proficiency"),
            prior_year="2025-26",
            matches={world["own"].code: [world["other"].code]},
            kept_by=world["users"][Role.ADMIN],
        )
        kept.pilot_schools.set([world["own"]])
        kept.schools.set([world["other"]])
    return {"pk": kept.pk}


PAGES = {
    "impact:uptake": Page(EVALUATION_TEAM),
    "impact:uptake_csv": Page(EVALUATION_TEAM),
    "impact:use": Page(EVALUATION_TEAM),
    "impact:use_csv": Page(EVALUATION_TEAM),
    "impact:outcomes": Page(EVALUATION_TEAM, data=CHOSEN),
    "impact:outcomes_csv": Page(EVALUATION_TEAM, data=CHOSEN),
    "impact:decisions": Page(EVALUATION_TEAM),
    "impact:pilots": Page(EVALUATION_TEAM),
    # The same page for either school: a kept group is the district's, not one school's.
    "impact:pilot": Page(EVALUATION_TEAM, kwargs=kept_comparison),
}
