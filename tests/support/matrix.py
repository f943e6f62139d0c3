"""Support's pages in the authorization matrix (tests/test_authorization_matrix.py), one module per part."""

from tests.support.matrix_calendar import PAGES as CALENDAR
from tests.support.matrix_caseloads import PAGES as CASELOADS
from tests.support.matrix_networks import PAGES as NETWORKS
from tests.support.matrix_requests import PAGES as REQUESTS
from tests.support.matrix_surveys import PAGES as SURVEYS

SUPPORT_PAGES = {**NETWORKS, **CASELOADS, **REQUESTS, **SURVEYS, **CALENDAR}
