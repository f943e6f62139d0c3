"""Support's pages in the authorization matrix (tests/test_authorization_matrix.py), one module per part."""

from tests.matrix_kit import Page, login_or
from tests.support.matrix_calendar import PAGES as CALENDAR
from tests.support.matrix_caseloads import PAGES as CASELOADS
from tests.support.matrix_networks import PAGES as NETWORKS
from tests.support.matrix_requests import PAGES as REQUESTS
from tests.support.matrix_surveys import PAGES as SURVEYS

# Support's landing page: everyone with a role; a signed-in person without one finds nothing there.
HOME = {"support:home": Page(login_or(no_role=404, others=200))}

SUPPORT_PAGES = {**HOME, **NETWORKS, **CASELOADS, **REQUESTS, **SURVEYS, **CALENDAR}
