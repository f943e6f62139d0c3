"""Every public URL — pages in both languages, files, API — rendered for a district full of small groups
and secret markers, and searched for them: no internal note, no improvement plan, no person's email, no
draft contract, no small group's value; and, from a closed survey of central office, no principal who
answered and no small network's score."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from autonomy.models import Autonomy
from reports.models import MaskedCellRecord
from schools.models import School
from tests.reports.public_world import (
    SECRET_DRAFT,
    SECRET_EMAIL,
    SECRET_NOTE,
    SECRET_PLAN,
    SECRET_PRINCIPAL_EMAIL,
    SMALL_VALUE,
    public_world,
    service_survey,
)

# The small group's value as stored and as any page would round it; a rule's remedy (a notice's words).
SECRETS = [SECRET_NOTE, SECRET_PLAN, SECRET_DRAFT, SECRET_EMAIL, SMALL_VALUE, "93.5", "93.46"]
SECRETS += ["Submit an improvement plan"]
# A principal who answered the survey; the small North Network's score (100 %, as a page, the file or the
# API would write it), which East's 100 % is hidden with.
SECRETS += [SECRET_PRINCIPAL_EMAIL, "100%", ",100,", '"100"']


def public_urls() -> list[str]:
    urls = [
        reverse("reports:register"),
        reverse("reports:register") + "?domain=people",
        reverse("reports:register_csv"),
        reverse("reports:results_csv"),
        "/api/v1/public/register/?limit=500",
        "/api/v1/public/results/?limit=500",
        reverse("reports:central_office"),
        reverse("reports:service_scores_csv"),
        "/api/v1/public/service-scores/?limit=500",
    ]
    urls += [reverse("reports:school", args=[code]) for code in School.objects.values_list("code", flat=True)]
    urls += [reverse("reports:autonomy", args=[code]) for code in Autonomy.objects.values_list("code", flat=True)]
    return urls


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "es"])
def test_no_public_output_holds_anything_private(language, django_capture_on_commit_callbacks):
    world = service_survey(public_world(), execute_on_commit=django_capture_on_commit_callbacks)
    north, east = world["own"].network, world["east"]
    urls = public_urls()
    urls += [f"/api/v1/public/service-scores/?network={network.pk}" for network in (north, east)]
    client = APIClient(HTTP_ACCEPT_LANGUAGE=language)
    outputs = {}
    for url in urls:
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
    # The survey's schools and principals are named nowhere but their own school pages and the register.
    scores = [reverse("reports:central_office"), reverse("reports:service_scores_csv")]
    scores += [url for url in urls if "service-scores/" in url]
    for school, principal in world["west_pairs"] + world["east_pairs"]:
        for url in scores:
            assert school.code not in outputs[url] and school.name not in outputs[url], url
            assert principal.email not in outputs[url] and principal.get_full_name() not in outputs[url], url
    # North and East: the marker and nothing else, on the page, in the file and in the API.
    for network in (north, east):
        rows = APIClient().get(f"/api/v1/public/service-scores/?network={network.pk}").json()["results"]
        assert len(rows) == 6 and {(r["percent_positive"], r["grade"], r["respondents"]) for r in rows} == {
            ("*", "", None)
        }
    service_part = school_page.split('aria-labelledby="service-heading"', 1)[1].split("</section>", 1)[0]
    assert 'id="service-caption"' in service_part and "91%" in service_part  # the district's, not North's
    for surface in ("page:school", "page:central-office", "csv:service-scores", "api:service-scores"):
        assert MaskedCellRecord.objects.filter(surface=surface, field=f"service:academics:{north.pk}").exists()


@pytest.mark.django_db
def test_the_markers_would_be_found_if_they_were_published(django_capture_on_commit_callbacks):
    """The search can fail: with the policy's minimum at 1, the small group's value is on the page; a
    network large enough has its score on its schools' pages, the central-office page, the file and the API."""
    from reports.services.publishing import policy_publish

    world = service_survey(public_world(), execute_on_commit=django_capture_on_commit_callbacks)
    policy_publish(minimum_n=1, coding_bands=[])
    text = APIClient().get(reverse("reports:school", args=[world["own"].code])).content.decode()
    assert "Proficiency in ELA: 93.5% in 2026-27 (met)" in text  # the evidence
    assert text.count("93.5%") >= 2  # and the result
    client = APIClient()
    west_page = client.get(reverse("reports:school", args=[world["west_pairs"][0][0].code])).content.decode()
    assert "82%" in west_page and "82%" in client.get(reverse("reports:central_office")).content.decode()
    assert ",82,B,11" in client.get(reverse("reports:service_scores_csv")).content.decode()
    assert '"percent_positive":"82"' in client.get("/api/v1/public/service-scores/").content.decode()
