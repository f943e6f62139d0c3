"""The caseloads pages in the authorization matrix: {url name: Page} in the vocabulary of tests/matrix_kit.py.

Central office (reviewer, viewer, the autonomy office) sees the district's caseloads and each liaison's; a
liaison their own. A school's partnership log is read by its principal, team and liaison and by the
autonomy office (which may stand in for the liaison); reviewers and viewers do not read the conversations.
"""

from tests.matrix_kit import ADMIN_ONLY, CENTRAL, Page, login_or
from tests.support.caseloads_world import caseloads_world


def school_code(world, own):
    return {"code": world["own" if own else "other"].code}


def entry(world, own):
    return {**school_code(world, own), "pk": caseloads_world(world)["entries"][own].pk}


def liaison(world, own):
    return {"liaison_id": caseloads_world(world)["liaisons"][own].pk}


LOG_READERS = login_or(others=404, principal=(200, 404), school_team=(200, 404), liaison=(200, 404), admin=200)
LIAISON_OR_OFFICE = login_or(others=404, liaison=(200, 404), admin=200)

PAGES = {
    "support:caseload_district": Page(login_or(others=404, **dict.fromkeys(CENTRAL, 200))),
    "support:caseload_settings": Page(ADMIN_ONLY),
    "support:school_liaison_edit": Page(ADMIN_ONLY, kwargs=school_code),
    "support:partnership_log": Page(LOG_READERS, kwargs=school_code),
    "support:partnership_entry_add": Page(LIAISON_OR_OFFICE, kwargs=school_code),
    "support:partnership_entry_edit": Page(LIAISON_OR_OFFICE, kwargs=entry),
    # The liaison (asked before the office) removes the own school's entry; the office then finds it gone.
    "support:partnership_entry_remove": Page(
        login_or(others=404, liaison=(302, 404), admin=(404, 302)), kwargs=entry, method="post"
    ),
}


# A liaison's caseload page shows flags, so sgs_portal routes it (sgs_portal/caseload.py).
PAGES["liaison_caseload"] = Page(
    login_or(others=404, liaison=(200, 404), **dict.fromkeys(CENTRAL, 200)), kwargs=liaison
)
