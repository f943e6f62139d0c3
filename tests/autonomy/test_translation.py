"""The autonomy pages a principal uses, in Spanish: the requests (the list, each step of the form, the
review before submitting, the request's page with its decisions, comments and history), the calls, the
school's decision rights and its grants' history, and the clarified flexibilities. Each page is rendered
in both languages and fails on English left; only what the district typed stays as it was."""

import datetime

import pytest
from django.urls import reverse

from autonomy.models import Autonomy, AutonomyRequest
from autonomy.services import autonomy_catalog_update, request_comment, request_item_clarify, request_return
from autonomy.services.evaluation import autonomy_evaluation_decision_set
from metrics.models import Metric
from schools.models import Role
from tests.autonomy.factories import CallFactory, complete_request
from tests.factories import grant
from tests.home.builders import admin_user
from tests.translation_kit import assert_catalog_complete, english_left

pytestmark = pytest.mark.django_db

CALL = "Convocatoria de primavera"
GUIDANCE = "Cuéntenos qué haría de otra manera."
QUESTION = "¿Cómo participarán las familias?"


@pytest.fixture
def district(school, make_member):
    """A principal with a request returned for changes (a comment to the school, an item the office
    clarified), a draft in another open call, and a grant held."""
    admin = admin_user()
    principal = make_member(Role.PRINCIPAL, school=school, first_name="Ana", last_name="Ruiz")
    call = CallFactory(title=CALL, guidance=GUIDANCE, questions=[QUESTION], created_by=admin, offers=None)
    returned = complete_request(
        principal=principal, school=school, call=call, codes=("program.curriculum", "money.budget"), submit=True
    )
    clarified = returned.items.get(autonomy__code="money.budget")
    request_item_clarify(actor=admin, item_id=clarified.pk, explanation="Ninguna norma lo impide.")
    request_comment(actor=admin, request_id=returned.pk, body="Añadan las fechas.", to_school=True)
    request_return(actor=admin, request_id=returned.pk, note="Digan a qué familias preguntarán.")
    other = CallFactory(title="Convocatoria de otoño", guidance="", questions=[QUESTION], created_by=admin)
    draft = complete_request(principal=principal, school=school, call=other)
    grant(school, "people.hiring", actor=admin)
    autonomy_evaluation_decision_set(
        autonomy_id=Autonomy.objects.get(code="people.hiring").pk,
        decision="Ampliar a más escuelas",
        decided_on=datetime.date(2026, 11, 20),
        evidence_path="/impact/",
    )
    autonomy_catalog_update(
        actor=admin, code="people.hiring", texts={"district_keeps": "Las normas estatales."}, note="Más claro."
    )
    return {"principal": principal, "returned": returned, "draft": draft, "school": school}


def _data(district) -> tuple[str, ...]:
    """What the district and the school typed: names, the catalog, the request's own words."""
    return (
        district["school"].name,
        "Ana Ruiz",
        *Autonomy.objects.values_list("name", flat=True),
        *Autonomy.objects.values_list("description", flat=True),
        *[line for text in Autonomy.objects.values_list("school_decides", flat=True) for line in text.splitlines()],
        *[line for text in Autonomy.objects.values_list("district_keeps", flat=True) for line in text.splitlines()],
        *[
            line
            for text in Autonomy.objects.values_list("retention_expectations", flat=True)
            for line in text.splitlines()
        ],
        *Metric.objects.values_list("name", flat=True),
        "Granted in a test.",
        "We need",
        "Policy 7.2 requires approval.",
        "Our plan.",
        "Family nights.",
    )


def test_the_autonomy_catalog_of_strings_is_complete_and_compiled():
    assert_catalog_complete("autonomy", at_least=200)


PAGES = {
    "request list": lambda d: reverse("autonomy:request_list"),
    "returned request": lambda d: reverse("autonomy:request_detail", args=[d["returned"].pk]),
    "draft request": lambda d: reverse("autonomy:request_detail", args=[d["draft"].pk]),
    **{
        f"step {step}": (lambda d, step=step: reverse("autonomy:request_edit", args=[d["draft"].pk, step]))
        for step in ("autonomies", "reasons", "plan", "outcomes", "review")
    },
    "calls": lambda d: reverse("autonomy:call_list"),
    "school's decisions": lambda d: reverse("autonomy:school_detail", args=[d["school"].code]),
    "grant history": lambda d: reverse("autonomy:school_grants", args=[d["school"].code]),
    "clarified flexibilities": lambda d: reverse("autonomy:flexibility_list"),
    "decision rights": lambda d: reverse("autonomy:grants_matrix"),
    "catalog": lambda d: reverse("autonomy:catalog"),
    "catalog entry held": lambda d: reverse("autonomy:catalog_entry", args=["people.hiring"]),
    "catalog entry offered": lambda d: reverse("autonomy:catalog_entry", args=["program.curriculum"]),
    "catalog entry earned": lambda d: reverse("autonomy:catalog_entry", args=["money.budget"]),
}


@pytest.mark.parametrize("page", PAGES)
def test_the_principals_autonomy_pages_are_spanish(district, page):
    assert english_left(PAGES[page](district), as_user=district["principal"], data=_data(district)) == []


def test_what_is_still_missing_before_submitting_is_said_in_spanish(school, make_member, client_for):
    principal = make_member(Role.PRINCIPAL, school=school)
    call = CallFactory(title=CALL, questions=[QUESTION])
    client = client_for(principal)
    client.post(reverse("autonomy:request_start", args=[call.pk]), {"school": school.pk}, HTTP_ACCEPT_LANGUAGE="es")
    draft = AutonomyRequest.objects.get(school=school, call=call)
    page = client.get(reverse("autonomy:request_edit", args=[draft.pk, "review"]), HTTP_ACCEPT_LANGUAGE="es")
    text = page.content.decode()
    assert "Lo que falta antes de poder enviar" in text
    assert "Elija al menos una autonomía." in text and "Describa el plan de la escuela." in text
    assert f"Responda: {QUESTION}" in text and ">Ir a elegir autonomías</a>" in text


def test_the_filters_say_their_choices_in_spanish(district, client_for):
    """One-word labels slip past the check for English sentences: the filters' are looked at here."""
    client = client_for(district["principal"])
    page = client.get(reverse("autonomy:flexibility_list"), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert ">Todos los ámbitos</option>" in page and ">Buscar</button>" in page
    page = client.get(reverse("autonomy:grants_matrix"), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert ">Todas las redes</option>" in page and ">Filtrar</button>" in page and "Qué significan las celdas" in page


def test_a_step_saved_says_so_in_spanish(district, client_for):
    client = client_for(district["principal"])
    url = reverse("autonomy:request_edit", args=[district["draft"].pk, "plan"])
    question = district["draft"].call.questions.get()
    response = client.post(
        url,
        {"plan": "Nuestro plan.", f"answers-{question.pk}": "Noches de familia.", "intent": "draft"},
        HTTP_ACCEPT_LANGUAGE="es",
        follow=True,
    )
    assert "Borrador guardado." in response.content.decode()
