"""Support's API in the API's authorization matrix (tests/api/test_api_matrix.py), one module per part."""

from tests.support import (
    api_matrix_calendar,
    api_matrix_caseloads,
    api_matrix_networks,
    api_matrix_requests,
    api_matrix_surveys,
)

PARTS = [api_matrix_networks, api_matrix_caseloads, api_matrix_requests, api_matrix_surveys, api_matrix_calendar]
SUPPORT_API = {name: calls for part in PARTS for name, calls in part.API.items()}


def support_api_world(world: dict) -> None:
    """Each part adds its objects to the module's world."""
    for part in PARTS:
        part.add_to_world(world)
