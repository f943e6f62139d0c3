"""A draft contract posted twice is drafted once: the second post of the same page is sent to the first
draft. Two posts at the same instant on PostgreSQL only (see tests/core/test_idempotent_forms.py)."""

import uuid

from django.urls import reverse

from contracts.models import PerformanceContract
from core.idempotency import FORM_KEY_FIELD
from tests.core.test_idempotent_forms import at_once, form_key_of, from_two_connections, last_message, post_at_once


def _new_post(key, school, template, term):
    return {
        FORM_KEY_FIELD: key,
        "school": school.pk,
        "template": template.pk,
        "term_start": term[0].pk,
        "term_end": term[1].pk,
    }


def test_a_draft_contract_posted_twice_is_drafted_once(client_for, admin, school, template, term, baselines):
    client = client_for(admin)
    url = reverse("contracts:contract_new")
    data = _new_post(form_key_of(client.get(url)), school, template, term)

    first = client.post(url, data)
    assert first.status_code == 302
    second = client.post(url, data)
    contract = PerformanceContract.objects.get(school=school)
    assert second.status_code == 302
    assert second.url == first.url == reverse("contracts:contract_edit", args=[contract.pk])
    assert last_message(second) == f"This was already created: the draft contract for {school.name}."


@at_once
@from_two_connections
def test_a_draft_contract_posted_twice_at_once_is_drafted_once(client_for, admin, school, template, term, baselines):
    url = reverse("contracts:contract_new")
    data = _new_post(str(uuid.uuid4()), school, template, term)
    clients = [client_for(admin), client_for(admin)]
    statuses = post_at_once(*(lambda c=c: c.post(url, data) for c in clients))
    assert statuses == [302, 302]
    assert PerformanceContract.objects.filter(school=school).count() == 1
