"""Budget plans through the API: read as scoped (another school's plan is 404), written by the principal
through the same services as the page (a locked category is 400 naming the field, nothing saved)."""

import pytest

from budgeting.models import PlanLine, Position
from tests.budgeting.plan_builders import plan_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(make_member):
    return plan_world(make_member)


def _url(plan, tail=""):
    return f"/api/v1/budget-plans/{plan.pk}/{tail}"


def test_the_principal_reads_the_plan_with_its_locks(world, api_for):
    body = api_for(world["people"]["principal"]).get(_url(world["plan"])).json()
    assert body["school"] == world["school"].code and body["status"] == "draft"
    categories = {row["category"]: row for row in body["categories"]}
    assert categories["curriculum"]["locked"] is True
    assert categories["curriculum"]["reason"].startswith("Locked: the school does not hold")
    assert categories["salary"]["locked"] is False
    assert body["balance"]["allocation"] == "1000000.00" and body["balance"]["formula_total"] == "260000.00"
    assert [p["job_type"] for p in body["positions"]] == ["principal"]


def test_another_schools_plan_is_404(world, api_for):
    client = api_for(world["people"]["other_principal"])
    assert client.get(_url(world["plan"])).status_code == 404
    line = {"category": "operations", "source": "formula", "description": "Paper", "amount": "5.00"}
    assert client.post(_url(world["plan"], "lines/"), line, format="json").status_code == 404
    assert client.get("/api/v1/budget-plans/").json()["count"] == 0


def test_the_principal_writes_lines_and_positions(world, api_for):
    client = api_for(world["people"]["principal"])
    line = {"category": "operations", "source": "formula", "description": "Paper", "amount": "5.25"}
    response = client.post(_url(world["plan"], "lines/"), line, format="json")
    assert response.status_code == 201
    created = PlanLine.objects.get(description="Paper")
    changed = client.put(_url(world["plan"], f"lines/{created.pk}/"), {**line, "amount": "6.00"}, format="json")
    assert changed.status_code == 200
    created.refresh_from_db()
    assert str(created.amount) == "6.00"
    position = {
        "job_type": "teacher",
        "fte": "0.50",
        "funding": [{"source": "formula", "share": "0.5"}, {"source": "local", "share": "0.5"}],
    }
    assert client.post(_url(world["plan"], "positions/"), position, format="json").status_code == 201
    teacher = Position.objects.get(job_type__code="teacher")
    assert str(teacher.cost) == "36250.00"
    assert client.delete(_url(world["plan"], f"positions/{teacher.pk}/")).status_code == 200
    assert client.delete(_url(world["plan"], f"lines/{created.pk}/")).status_code == 200
    assert not PlanLine.objects.filter(pk=created.pk).exists()


def test_a_locked_category_is_refused_naming_the_field(world, api_for):
    client = api_for(world["people"]["principal"])
    line = {"category": "curriculum", "source": "formula", "description": "Books", "amount": "5.00"}
    response = client.post(_url(world["plan"], "lines/"), line, format="json")
    assert response.status_code == 400
    assert "category" in response.json()["fields"]
    assert "does not hold" in response.json()["detail"]
    mandated = PlanLine.objects.get(mandated=True, source__code="formula")
    refused = client.delete(_url(world["plan"], f"lines/{mandated.pk}/"))
    assert refused.status_code == 400 and "line" in refused.json()["fields"]
    assert not PlanLine.objects.filter(description="Books").exists()
    assert PlanLine.objects.filter(pk=mandated.pk).exists()


def test_the_team_and_finance_cannot_write(world, api_for):
    line = {"category": "operations", "source": "formula", "description": "Paper", "amount": "5.00"}
    for who in ("team", "finance"):
        response = api_for(world["people"][who]).post(_url(world["plan"], "lines/"), line, format="json")
        assert response.status_code == 403, who
    assert not PlanLine.objects.filter(description="Paper").exists()


def test_bad_input_is_refused_naming_the_field(world, api_for):
    client = api_for(world["people"]["principal"])
    bad = {"category": "operations", "source": "formula", "description": "Paper", "amount": "-1"}
    response = client.post(_url(world["plan"], "lines/"), bad, format="json")
    assert response.status_code == 400 and "amount" in response.json()["fields"]
    position = {"job_type": "teacher", "fte": "1.50", "funding": [{"source": "formula", "share": "1"}]}
    response = client.post(_url(world["plan"], "positions/"), position, format="json")
    assert response.status_code == 400 and "fte" in response.json()["fields"]
