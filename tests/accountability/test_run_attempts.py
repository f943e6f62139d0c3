"""Every attempt and every re-run of a date keeps its own record of what it counted and changed; the
preview lists the schools and grants a run would change."""

import pytest
from django.urls import reverse

from accountability.models import EvaluationAttempt
from accountability.services import evaluation_run
from autonomy.models import GrantStatus
from contracts.models import Level
from schools.models import Role
from tests.accountability.builders import AS_OF, active_contract, ela_template, observe, school_years
from tests.factories import SchoolFactory, grant

pytestmark = pytest.mark.django_db


@pytest.fixture
def revoking_school(make_member):
    """A school holding hiring whose contract revokes its autonomy for a missed ELA benchmark."""
    admin = make_member(Role.ADMIN)
    school = SchoolFactory(name="Ada Lovelace Elementary")
    hiring = grant(school, "people.hiring")
    active_contract(school, admin=admin, template=ela_template(level=Level.REVOKED), years=school_years())
    observe(school, "2026-27", 40)
    return admin, school, hiring


def test_a_rerun_keeps_the_first_attempts_record_and_says_it_changed_nothing(revoking_school, client):
    """Found: a re-run for the same date overwrote the run's record; the first run's counts were gone."""
    admin, school, hiring = revoking_school
    first = evaluation_run(as_of=AS_OF)
    again = evaluation_run(as_of=AS_OF)
    assert first.pk == again.pk and again.attempts == 2
    one, two = EvaluationAttempt.objects.filter(run=again).order_by("number")
    assert (one.number, one.status, one.counts["flags_opened"], one.counts["grants_revoked"]) == (1, "succeeded", 1, 1)
    assert {"school": school.code, "name": school.name, "what": "Hire and dismiss staff: revoked"} in one.changes
    assert one.changes_total == 2  # the flag opened, and the grant revoked
    assert (two.number, two.counts["flags_opened"], two.counts["grants_revoked"], two.changes_total) == (2, 0, 0, 0)
    client.force_login(admin)
    page = client.get(reverse("accountability:evaluation_runs")).content.decode()
    assert "It made 2 changes" in page and "Ada Lovelace Elementary: Hire and dismiss staff: revoked" in page
    assert "No change." in page


def test_a_failed_attempt_keeps_its_error_and_the_next_one_its_own_record(revoking_school, monkeypatch):
    from accountability.services.evaluation import runs

    def broken(**kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(runs, "evaluation_compute", broken)
    with pytest.raises(RuntimeError):
        evaluation_run(as_of=AS_OF)
    monkeypatch.undo()
    run = evaluation_run(as_of=AS_OF)
    failed, ok = EvaluationAttempt.objects.filter(run=run).order_by("number")
    assert failed.status == "failed" and "the database went away" in failed.error
    assert ok.status == "succeeded" and ok.counts["grants_revoked"] == 1


def test_the_preview_lists_the_schools_and_grants_that_would_change_and_changes_nothing(revoking_school, client):
    """Found: the preview showed counts, not which schools."""
    admin, school, hiring = revoking_school
    client.force_login(admin)
    response = client.post(reverse("accountability:evaluation_runs"), {"as_of": AS_OF.isoformat(), "preview": "1"})
    page = response.content.decode()
    assert response.status_code == 200 and "What would change, school by school" in page
    assert "Ada Lovelace Elementary" in page and "Hire and dismiss staff: revoked" in page
    assert "Flag opened: autonomy revoked (Section 5.1)" in page
    hiring.refresh_from_db()
    assert hiring.status == GrantStatus.ACTIVE and not EvaluationAttempt.objects.exists()
