"""The catalog states the district's latest evaluation decision per autonomy, recorded through the
evaluation's decision log (impact) and written onto the entry by autonomy.services.evaluation: shown on
the catalog and the entry, linked to its evidence for those who may read the evaluation, replaced by a
later decision, at no extra query."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format

from autonomy.models import Autonomy
from autonomy.services.evaluation import autonomy_evaluation_decision_set
from autonomy.views.catalog import sees_the_evaluation
from core.errors import ApplicationError
from impact.policies import can_view_impact
from schools.models import Role
from tests.matrix_kit import ROLES
from tests.world import build_world

pytestmark = pytest.mark.django_db
EVIDENCE = "/impact/outcomes/?autonomy=program.assessment&metric=ela_proficiency"


def _record(client, decision, rationale, evidence=EVIDENCE):
    data = {"autonomy": "program.assessment", "decision": decision, "rationale": rationale, "evidence_path": evidence}
    assert client.post(reverse("impact:decisions"), data).status_code == 302


def test_a_decision_recorded_in_the_evaluation_shows_in_the_catalog_and_a_later_one_replaces_it(
    client_for, make_member, school
):
    office = client_for(make_member(Role.ADMIN))
    today = date_format(timezone.localdate(), "M j, Y")
    assert "Latest evaluation decision" not in office.get(reverse("autonomy:catalog")).content.decode()

    _record(office, "extend", "+3 points from year two.")
    catalog = office.get(reverse("autonomy:catalog")).content.decode()
    line = "Latest evaluation decision: <strong>Extend it to more schools</strong> (<time datetime="
    assert (
        line in catalog
        and f'>{today}</time>), <a href="{EVIDENCE.replace("&", "&amp;")}">see the evidence</a>' in catalog
    )
    entry = office.get(reverse("autonomy:catalog_entry", args=["program.assessment"])).content.decode()
    assert "Extend it to more schools" in entry and "see the evidence" in entry

    _record(office, "adjust", "Only in middle schools.", evidence="")
    catalog = office.get(reverse("autonomy:catalog")).content.decode()
    assert "Adjust its terms" in catalog and "Extend it to more schools" not in catalog
    assert '<a href="/impact/decisions/">see the evidence</a>' in catalog  # no page named: the log itself

    # A principal reads the decision, without a link to pages that are not theirs.
    principal = client_for(make_member(Role.PRINCIPAL, school=school))
    theirs = principal.get(reverse("autonomy:catalog")).content.decode()
    assert "Adjust its terms" in theirs and "see the evidence" not in theirs


def test_an_earlier_decision_does_not_replace_a_later_one_and_bad_input_is_refused_naming_the_field():
    autonomy = Autonomy.objects.get(code="time.schedule")
    later, earlier = datetime.date(2026, 5, 1), datetime.date(2026, 4, 1)
    autonomy_evaluation_decision_set(
        autonomy_id=autonomy.pk, decision="Keep it as it is", decided_on=later, evidence_path="/impact/"
    )
    autonomy_evaluation_decision_set(
        autonomy_id=autonomy.pk, decision="Retire it", decided_on=earlier, evidence_path="/impact/"
    )
    autonomy.refresh_from_db()
    assert (autonomy.evaluation_decision, autonomy.evaluation_decided_on) == ("Keep it as it is", later)
    with pytest.raises(ApplicationError) as refused:
        autonomy_evaluation_decision_set(
            autonomy_id=autonomy.pk, decision="Retire it", decided_on=later, evidence_path="https://x.example/"
        )
    assert "evidence_path" in refused.value.fields
    with pytest.raises(ApplicationError) as refused:
        autonomy_evaluation_decision_set(autonomy_id=autonomy.pk, decision=" ", decided_on=later, evidence_path="")
    assert "decision" in refused.value.fields
    autonomy.refresh_from_db()
    assert autonomy.evaluation_decision == "Keep it as it is"


def test_the_catalog_costs_the_same_queries_with_decisions_shown(client_for, make_member):
    client = client_for(make_member(Role.VIEWER))
    client.get(reverse("autonomy:catalog"))  # warm the session and the roles
    with CaptureQueriesContext(connection) as without:
        client.get(reverse("autonomy:catalog"))
    for autonomy in Autonomy.objects.all():
        autonomy_evaluation_decision_set(
            autonomy_id=autonomy.pk, decision="Keep it as it is", decided_on=timezone.localdate(), evidence_path=""
        )
    with CaptureQueriesContext(connection) as shown:
        page = client.get(reverse("autonomy:catalog")).content.decode()
    assert page.count("Latest evaluation decision") == Autonomy.objects.count()
    # user, entries with their held counts, their criteria
    assert len(shown.captured_queries) == len(without.captured_queries) == 3


def test_the_catalog_links_the_evidence_for_exactly_those_the_evaluation_answers():
    world = build_world()
    for role in ROLES[1:]:
        user = world["users"][role]
        assert sees_the_evaluation(user) == bool(can_view_impact(user)), role
