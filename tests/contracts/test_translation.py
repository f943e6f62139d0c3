"""The contract pages a principal reads are in Spanish: the catalog is complete and compiled, and no English is
left on a Spanish page. Names typed by people (metrics, remedies, provisions, schools) are data, left out."""

import datetime
from io import BytesIO

import pytest
from django.urls import reverse
from pypdf import PdfReader

from contracts.models import CommitmentMeasure, CommitmentStatus, ContractCommitment
from contracts.services import contract_amend
from metrics.models import Metric
from support.models import Department, DepartmentStaff
from tests.factories import UserFactory
from tests.translation_kit import assert_catalog_complete, english_left

pytestmark = pytest.mark.django_db


def _data(contract) -> tuple[str, ...]:
    names = tuple(Metric.objects.values_list("name", flat=True))
    rules = tuple(text for rule in contract.rules.all() for text in (rule.remedy, rule.provision))
    grants = tuple(grant.autonomy.name for grant in contract.grants.all())
    events = tuple(event.reason for event in contract.events.all() if event.reason)
    return (contract.school.name, *names, *rules, *grants, *events)


def test_the_catalog_is_complete_and_compiled():
    assert_catalog_complete("contracts", at_least=200)


@pytest.mark.parametrize("name", ["contracts:contract_detail", "contracts:contract_print"])
def test_the_contract_a_principal_signs_is_in_spanish(principal, proposed, name):
    url = reverse(name, args=[proposed.pk])
    assert not english_left(url, as_user=principal, data=_data(proposed))


def test_the_changes_between_versions_are_in_spanish(admin, principal, active):
    amendment = contract_amend(actor=admin, contract_id=active.pk, reason="Subir la meta de lectura.")
    url = reverse("contracts:contract_diff", args=[amendment.pk])
    assert not english_left(url, as_user=admin, data=(*_data(amendment), "Subir la meta de lectura."))


def test_the_contract_in_english_is_still_english(client, principal, proposed):
    client.force_login(principal)
    page = client.get(reverse("contracts:contract_detail", args=[proposed.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert "What your school must achieve" in page.content.decode()
    assert "This contract is waiting for your signature." in page.content.decode()


def test_the_contract_pdf_follows_the_language_of_the_page(client, principal, proposed):
    client.force_login(principal)
    url = reverse("contracts:contract_pdf", args=[proposed.pk])
    for language, heading in (("es", "Lo que la escuela debe lograr"), ("en", "What the school must achieve")):
        pdf = PdfReader(BytesIO(client.get(url, HTTP_ACCEPT_LANGUAGE=language).content))
        text = " ".join(page.extract_text() for page in pdf.pages)
        assert heading in " ".join(text.split()), language


def test_the_contract_with_central_offices_commitments_is_in_spanish(principal, active):
    missed = {"due_on": "2026-10-01", "source": "recorded"}
    ContractCommitment.objects.create(
        contract=active,
        key="c1",
        department=Department.FINANCE,
        text="Proyecciones de presupuesto",
        measure=CommitmentMeasure.DELIVERED_BY,
        due_on=datetime.date(2026, 10, 1),
        status=CommitmentStatus.MISSED,
        evidence=missed,
    )
    url = reverse("contracts:contract_detail", args=[active.pk])
    assert not english_left(url, as_user=principal, data=(*_data(active), "Proyecciones de presupuesto"))


def test_a_departments_commitments_are_in_spanish(active):
    head = UserFactory()
    DepartmentStaff.objects.create(user=head, department=Department.FINANCE)
    ContractCommitment.objects.create(
        contract=active,
        key="c1",
        department=Department.FINANCE,
        text="Proyecciones de presupuesto",
        measure=CommitmentMeasure.DELIVERED_BY,
        due_on=datetime.date(2027, 3, 1),
    )
    url = reverse("contracts:commitment_list")
    assert not english_left(url, as_user=head, data=(active.school.name, "Proyecciones de presupuesto"))
