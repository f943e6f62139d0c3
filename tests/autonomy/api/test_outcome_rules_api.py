"""A target outcome's school year through the API: the rule of schools.periods, the field named."""

import pytest

from tests.autonomy.factories import CallFactory, complete_request

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("by_period", "problem"),
    [
        ("2025-99", "'2025-99' is not a school year: 99 is not the year after 2025 (write 2025-26)"),
        ("٢٠٢٥-٢٦", "'٢٠٢٥-٢٦' is not a school year written as 2025-26 with the digits 0-9"),
        ("２０２５-２６", "'２０２５-２６' is not a school year written as 2025-26 with the digits 0-9"),
    ],
)
def test_a_wrong_school_year_is_refused_naming_the_field(clients, people, school, by_period, problem):
    call = CallFactory(offers=["program.curriculum"])
    draft = complete_request(principal=people["principal"], school=school, call=call)
    url = f"/api/v1/requests/{draft.pk}/"
    outcome = {"metric": "ela_proficiency", "target": 50, "by_period": by_period}
    refused = clients["principal"].patch(url, {"outcomes": [outcome]}, format="json")
    assert refused.status_code == 400
    assert refused.json()["fields"] == {"outcomes.0.by_period": [problem]}
    accepted = clients["principal"].patch(url, {"outcomes": [outcome | {"by_period": "2025-26"}]}, format="json")
    assert accepted.status_code == 200, accepted.content
    assert accepted.json()["outcomes"][0]["by_period"] == "2025-26"
