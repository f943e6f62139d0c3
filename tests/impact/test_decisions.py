"""The decision log: the autonomy office records the district's decision from the evidence; viewers
read it; bad input is refused naming the field; nobody else finds the page."""

import pytest
from django.urls import reverse

from impact.models import AutonomyDecision
from schools.models import Role

pytestmark = pytest.mark.django_db
EVIDENCE = "/impact/outcomes/?autonomy=program.assessment&metric=ela_proficiency"


def test_the_office_records_a_decision_linked_to_its_evidence_and_viewers_read_it(client_for, make_member):
    office = client_for(make_member(Role.ADMIN))
    form = office.get(reverse("impact:decisions"), {"autonomy": "program.assessment", "evidence": EVIDENCE})
    assert form.status_code == 200 and 'value="/impact/outcomes/' in form.content.decode()
    data = {
        "autonomy": "program.assessment",
        "decision": "extend",
        "rationale": "+3 points from year two.",
        "evidence_path": EVIDENCE,
    }
    assert office.post(reverse("impact:decisions"), data).status_code == 302
    row = AutonomyDecision.objects.get()
    assert (row.autonomy.code, row.decision, row.evidence_path) == ("program.assessment", "extend", EVIDENCE)

    viewer = client_for(make_member(Role.VIEWER))
    page = viewer.get(reverse("impact:decisions")).content.decode()
    assert "Extend it to more schools" in page and "+3 points from year two." in page
    assert "Record a decision" not in page
    refused = viewer.post(reverse("impact:decisions"), {**data, "decision": "retire"})
    assert refused.status_code == 403 and AutonomyDecision.objects.count() == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"rationale": ""}, "rationale"),
        ({"decision": "abolish"}, "decision"),
        ({"evidence_path": "https://x.example/"}, "evidence_path"),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_nothing_is_saved(client_for, make_member, change, field):
    office = client_for(make_member(Role.ADMIN))
    data = {"autonomy": "program.assessment", "decision": "keep", "rationale": "Too early.", **change}
    response = office.post(reverse("impact:decisions"), data)
    page = response.content.decode()
    assert response.status_code == 400
    if field == "evidence_path":  # a hidden field: its message is said on top
        assert "Link to a page of Is autonomy working?" in page
    else:
        assert f'href="#id_{field}"' in page
    assert not AutonomyDecision.objects.exists()


@pytest.mark.parametrize("role", [Role.PRINCIPAL, Role.SCHOOL_TEAM, Role.LIAISON, Role.REVIEWER])
def test_anyone_else_finds_no_page(client_for, make_member, school, role):
    user = make_member(
        role,
        school=school if role in (Role.PRINCIPAL, Role.SCHOOL_TEAM) else None,
        function="finance" if role == Role.REVIEWER else "",
    )
    assert client_for(user).get(reverse("impact:decisions")).status_code == 404
