"""impact's pages in the authorization matrix (tests/test_authorization_matrix.py): the autonomy office
and the district's viewers (the board, the evaluation team) read them; everyone else signed in gets a
404, as impact.policies says."""

from tests.matrix_kit import Page, login_or

EVALUATION_TEAM = login_or(others=404, admin=200, viewer=200)
CHOSEN = {"autonomy": "people.hiring", "metric": "ela_proficiency"}

PAGES = {
    "impact:uptake": Page(EVALUATION_TEAM),
    "impact:uptake_csv": Page(EVALUATION_TEAM),
    "impact:use": Page(EVALUATION_TEAM),
    "impact:use_csv": Page(EVALUATION_TEAM),
    "impact:outcomes": Page(EVALUATION_TEAM, data=CHOSEN),
    "impact:outcomes_csv": Page(EVALUATION_TEAM, data=CHOSEN),
    "impact:decisions": Page(EVALUATION_TEAM),
}
