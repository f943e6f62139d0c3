"""Every public URL — pages in both languages, files, API — rendered for a district full of small groups
and secret markers, and searched for them: no internal note, no improvement plan, no person's email, no
draft contract, no small group's value."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from autonomy.models import Autonomy
from reports.models import MaskedCellRecord
from schools.models import School
from tests.reports.public_world import SECRET_DRAFT, SECRET_EMAIL, SECRET_NOTE, SECRET_PLAN, SMALL_VALUE, public_world

# The small group's value as stored and as any page would round it; a rule's remedy (a notice's words).
SECRETS = [SECRET_NOTE, SECRET_PLAN, SECRET_DRAFT, SECRET_EMAIL, SMALL_VALUE, "93.5", "93.46"]
SECRETS += ["Submit an improvement plan"]


def public_urls() -> list[str]:
    urls = [
        reverse("reports:register"),
        reverse("reports:register") + "?domain=people",
        reverse("reports:register_csv"),
        reverse("reports:results_csv"),
        "/api/v1/public/register/?limit=500",
        "/api/v1/public/results/?limit=500",
    ]
    urls += [reverse("reports:school", args=[code]) for code in School.objects.values_list("code", flat=True)]
    urls += [reverse("reports:autonomy", args=[code]) for code in Autonomy.objects.values_list("code", flat=True)]
    return urls


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "es"])
def test_no_public_output_holds_anything_private(language):
    world = public_world()
    client = APIClient(HTTP_ACCEPT_LANGUAGE=language)
    outputs = {}
    for url in public_urls():
        response = client.get(url)
        assert response.status_code == 200, url
        outputs[url] = response.content.decode()
    for url, text in outputs.items():
        for secret in SECRETS:
            assert secret not in text, f"{secret!r} is published at {url}"
    school_page = outputs[reverse("reports:school", args=[world["own"].code])]
    assert world["own"].name in school_page and "Lena Ortiz" in school_page  # the pages did render
    assert "How it was earned" in school_page or "Cómo se obtuvo" in school_page  # the evidence, masked
    masked = MaskedCellRecord.objects.filter(school_code=world["own"].code, reason="small_n")
    assert set(masked.values_list("field", flat=True)) == {"ela_proficiency", "eligibility:ela_proficiency"}


@pytest.mark.django_db
def test_the_markers_would_be_found_if_they_were_published():
    """The search can fail: with the policy's minimum at 1, the small group's value is on the page."""
    from reports.services.publishing import policy_publish

    world = public_world()
    policy_publish(minimum_n=1, coding_bands=[])
    text = APIClient().get(reverse("reports:school", args=[world["own"].code])).content.decode()
    assert "Proficiency in ELA: 93.5% in 2026-27 (met)" in text  # the evidence
    assert text.count("93.5%") >= 2  # and the result
