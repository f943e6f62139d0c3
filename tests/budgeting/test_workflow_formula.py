"""The formula version's workflow, row by row: draft → published → superseded, publishing in one
transaction with the supersession, and two people publishing two drafts of one year at once."""

import threading
from decimal import Decimal as D

import pytest
from django.db import IntegrityError, connection, transaction

from budgeting.models import FormulaStatus, FormulaVersion
from budgeting.services.formula import formula_draft_create, formula_publish
from budgeting.services.formula_edits import formula_base_update, formula_transition_update
from budgeting.workflows import FORMULA_WORKFLOW
from core.errors import ApplicationError, Conflict, NotPermitted
from core.workflows import Actor
from schools.models import Role
from tests.budgeting.formula_world import finance_officer, nyc_draft, school_year


@pytest.fixture
def finance(db):
    return finance_officer()


def test_the_table():
    rows = {(t.source, t.action): (t.target, t.who) for t in FORMULA_WORKFLOW.transitions}
    assert rows == {
        ("draft", "edit"): ("draft", Actor.REVIEWER),
        ("draft", "publish"): ("published", Actor.REVIEWER),
        ("published", "supersede"): ("superseded", Actor.RULE),
    }
    assert FORMULA_WORKFLOW.person_steps_from("published") == []  # superseding is publishing's doing
    assert FORMULA_WORKFLOW.steps_from("superseded") == []


@pytest.mark.django_db
def test_publishing_the_first_version_of_a_year(finance):
    draft = nyc_draft(finance)
    formula_publish(actor=finance, formula_id=draft.pk, supersedes_id=None, expected_status="draft")
    draft.refresh_from_db()
    assert draft.status == FormulaStatus.PUBLISHED and draft.published_at is not None
    event = draft.events.latest("pk")
    assert (event.action, event.from_status, event.to_status, event.actor) == ("publish", "draft", "published", finance)
    assert event.evidence == {"supersedes": None}


@pytest.mark.django_db
def test_publishing_supersedes_the_version_in_force(finance):
    first = nyc_draft(finance)
    formula_publish(actor=finance, formula_id=first.pk, supersedes_id=None)
    second = formula_draft_create(actor=finance, school_year=first.school_year, copy_from=first)
    formula_base_update(actor=finance, formula_id=second.pk, base_mode="entered", base_per_pupil=D("4200"), pool=None)
    formula_publish(actor=finance, formula_id=second.pk, supersedes_id=first.pk)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (FormulaStatus.SUPERSEDED, FormulaStatus.PUBLISHED)
    superseded = first.events.latest("pk")
    assert (superseded.action, superseded.reason, superseded.actor) == ("supersede", "Replaced by version 2.", finance)
    assert second.events.latest("pk").reason == "Published, replacing version 1."


@pytest.mark.django_db
def test_another_year_is_left_alone(finance):
    this_year = nyc_draft(finance)
    next_year = nyc_draft(finance, school_year("2027-28"))
    formula_publish(actor=finance, formula_id=this_year.pk, supersedes_id=None)
    formula_publish(actor=finance, formula_id=next_year.pk, supersedes_id=None)
    assert set(FormulaVersion.objects.values_list("status", flat=True)) == {"published"}


@pytest.mark.django_db
def test_publishing_over_a_version_the_person_was_not_told_of_is_a_conflict(finance):
    first = nyc_draft(finance)
    second = formula_draft_create(actor=finance, school_year=first.school_year, copy_from=first)
    formula_publish(actor=finance, formula_id=first.pk, supersedes_id=None)
    with pytest.raises(Conflict) as refused:
        formula_publish(actor=finance, formula_id=second.pk, supersedes_id=None)  # saw nothing in force
    assert "Version 1 of 2026-27 is in force now" in refused.value.message
    second.refresh_from_db()
    first.refresh_from_db()
    assert (first.status, second.status) == ("published", "draft")


@pytest.mark.django_db
def test_a_published_or_superseded_version_cannot_be_published_again(finance):
    first = nyc_draft(finance)
    formula_publish(actor=finance, formula_id=first.pk, supersedes_id=None)
    with pytest.raises(Conflict):
        formula_publish(actor=finance, formula_id=first.pk, supersedes_id=first.pk)
    second = formula_draft_create(actor=finance, school_year=first.school_year, copy_from=first)
    formula_publish(actor=finance, formula_id=second.pk, supersedes_id=first.pk)
    with pytest.raises(Conflict):
        formula_publish(actor=finance, formula_id=first.pk, supersedes_id=second.pk)


@pytest.mark.django_db
def test_an_incomplete_version_is_refused_naming_what_is_missing(finance):
    empty = formula_draft_create(actor=finance, school_year=school_year())
    formula_transition_update(
        actor=finance, formula_id=empty.pk, mode="percent_of_formula", percent_of_formula=D("0.9")
    )
    FormulaVersion.objects.filter(pk=empty.pk).update(percent_of_formula=None)  # as an old row might be
    with pytest.raises(ApplicationError) as refused:
        formula_publish(actor=finance, formula_id=empty.pk, supersedes_id=None)
    assert set(refused.value.fields) == {"base_per_pupil", "weights", "percent_of_formula"}
    assert FormulaVersion.objects.get(pk=empty.pk).status == "draft"


@pytest.mark.django_db
def test_only_finance_publishes(make_member, school, finance):
    draft = nyc_draft(finance)
    principal = make_member(Role.PRINCIPAL, school=school)
    with pytest.raises(NotPermitted):
        formula_publish(actor=principal, formula_id=draft.pk, supersedes_id=None)
    assert FormulaVersion.objects.get(pk=draft.pk).status == "draft"


@pytest.mark.django_db
def test_the_database_holds_one_published_version_a_year(finance):
    first = nyc_draft(finance)
    formula_publish(actor=finance, formula_id=first.pk, supersedes_id=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        FormulaVersion.objects.create(school_year=first.school_year, number=9, status="published")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_two_people_publishing_two_drafts_of_one_year_at_once_one_wins():
    finance, other = finance_officer(), finance_officer()
    first = nyc_draft(finance)
    second = formula_draft_create(actor=other, school_year=first.school_year, copy_from=first)
    barrier = threading.Barrier(2)
    outcomes = {}

    def publish(actor, formula):
        try:
            barrier.wait(timeout=10)
            formula_publish(actor=actor, formula_id=formula.pk, supersedes_id=None)
            outcomes[formula.pk] = "won"
        except Conflict as conflict:
            outcomes[formula.pk] = conflict
        finally:
            connection.close()

    threads = [threading.Thread(target=publish, args=pair) for pair in ((finance, first), (other, second))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(type(o).__name__ for o in outcomes.values()) == ["Conflict", "str"]
    winner = next(pk for pk, outcome in outcomes.items() if outcome == "won")
    assert list(FormulaVersion.objects.filter(status="published").values_list("pk", flat=True)) == [winner]
    assert FormulaVersion.objects.filter(status="superseded").count() == 0
