# ruff: noqa: E501 — long form posts read best on one line
"""Finance's formula pages: the versions by year, a version in plain words with its history, each part's
page (bad figures named, nothing saved), publishing with its confirmation, and nobody else let in."""

from decimal import Decimal as D

import pytest
from django.urls import reverse

from budgeting.models import FormulaEvent, FormulaStatus, FormulaVersion, Weight
from budgeting.services.formula import formula_draft_create, formula_publish, formula_spec_of
from budgeting.services.formula_edits import formula_weights_update
from schools.models import ReviewFunction, Role
from tests.budgeting.formula_world import A, M, categories, finance_officer, nyc_draft, school_year
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def finance():
    return finance_officer()


@pytest.fixture
def draft(finance):
    return nyc_draft(finance)


@pytest.fixture
def browser(client_for, finance):
    return client_for(finance)


def test_a_version_in_plain_words(browser, draft):
    page = browser.get(reverse("budgeting:formula_detail", args=[draft.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Base per pupil" in text and "$4,084.80" in text
    assert "1.08 × the base" in text and "+12% of the base" in text
    assert "$250,000.00" in text and "Elementary (K-5)" in text
    assert (
        "nothing up to 40% of the school&#x27;s students, rising evenly to +10% of the base at 80% and above"
        in text.replace("Nothing", "nothing")
    )
    assert "No school loses more than 5% of last year&#x27;s allocation" in text
    assert "Weights changed" in text and "Grades 6-8: none → 1.08 × the base" in text  # its history
    assert reverse("budgeting:formula_publish", args=[draft.pk]) in text


def test_the_list_by_school_year(browser, finance, draft):
    formula_publish(actor=finance, formula_id=draft.pk, supersedes_id=None)
    formula_draft_create(actor=finance, school_year=draft.school_year, copy_from=draft)
    page = browser.get(reverse("budgeting:formula_list"))
    text = page.content.decode()
    assert page.status_code == 200
    assert "2026-27" in text and "In force: " in text and "Version 2" in text and "Draft" in text


def test_query_counts_do_not_grow_with_versions_or_changes(browser, finance, draft, django_assert_num_queries):
    list_url = reverse("budgeting:formula_list")
    detail_url = reverse("budgeting:formula_detail", args=[draft.pk])
    browser.get(list_url)
    with django_assert_num_queries(LIST_QUERIES):
        browser.get(list_url)
    with django_assert_num_queries(DETAIL_QUERIES):
        browser.get(detail_url)
    for _ in range(5):
        formula_draft_create(actor=finance, school_year=draft.school_year, copy_from=draft)
    for value in ("1.10", "1.12", "1.14"):
        formula_weights_update(actor=finance, formula_id=draft.pk, weights={"g68": (M, D(value)), "ell": (A, D("0.4"))})
    with django_assert_num_queries(LIST_QUERIES):
        browser.get(list_url)
    with django_assert_num_queries(DETAIL_QUERIES):
        browser.get(detail_url)


LIST_QUERIES = 3  # the user (sessions and roles are cached), the years, their versions
DETAIL_QUERIES = 8  # the user, the version, categories, weights, curves, thresholds, foundations, events


def test_changing_the_weights_on_their_page(browser, draft):
    url = reverse("budgeting:formula_edit", args=[draft.pk, "weights"])
    page = browser.get(url)
    assert page.status_code == 200 and 'value="1.08"' in page.content.decode()
    data = {"expected_status": "draft"}
    for code, convention, value in [
        ("k5", M, "1"),
        ("g68", M, "1.10"),
        ("g912", M, "1.03"),
        ("poverty", A, "0.15"),
        ("ell", A, ""),
    ]:
        data |= {f"convention_{code}": convention, f"weight_{code}": value}
    answer = browser.post(url, data)
    assert answer.status_code == 302
    assert formula_spec_of(draft).weights["g68"] == (M, D("1.1000"))
    assert formula_spec_of(draft).weights["poverty"] == (A, D("0.1500"))
    assert "ell" not in formula_spec_of(draft).weights


def test_a_negative_weight_is_named_and_nothing_saved(browser, draft):
    url = reverse("budgeting:formula_edit", args=[draft.pk, "weights"])
    events = FormulaEvent.objects.count()
    data = {
        "expected_status": "draft",
        "convention_poverty": A,
        "weight_poverty": "-0.12",
        "convention_k5": M,
        "weight_k5": "1",
    }
    answer = browser.post(url, data)
    assert answer.status_code == 400
    assert answer.context["form"].errors["weight_poverty"]
    assert FormulaEvent.objects.count() == events
    assert Weight.objects.get(formula=draft, category__code="poverty").value == D("0.12")


def test_a_stop_loss_above_100_percent_and_a_curve_that_does_not_rise_are_named(browser, draft):
    answer = browser.post(
        reverse("budgeting:formula_edit", args=[draft.pk, "transition"]),
        {"expected_status": "draft", "transition_mode": "stop_loss", "stop_loss_share": "150"},
    )
    assert answer.status_code == 400 and "stop_loss_share" in answer.context["form"].errors
    answer = browser.post(
        reverse("budgeting:formula_edit", args=[draft.pk, "concentration"]),
        {"expected_status": "draft", "start_poverty": "60", "full_poverty": "40", "max_poverty": "0.1"},
    )
    assert answer.status_code == 400
    assert answer.context["form"].errors["full_poverty"] == [
        "Students in poverty: the full share must be above the start."
    ]


def test_the_pool_the_foundations_exceed_is_named(browser, draft, school):
    answer = browser.post(
        reverse("budgeting:formula_edit", args=[draft.pk, "base"]),
        {"expected_status": "draft", "base_mode": "pool", "pool": "1000"},
    )
    assert answer.status_code == 400
    assert "does not cover the foundations" in answer.context["form"].errors["pool"][0]
    assert FormulaVersion.objects.get(pk=draft.pk).base_mode == "entered"


def test_percents_are_saved_as_shares(browser, draft):
    answer = browser.post(
        reverse("budgeting:formula_edit", args=[draft.pk, "transition"]),
        {"expected_status": "draft", "transition_mode": "percent_of_formula", "percent_of_formula": "90"},
    )
    assert answer.status_code == 302
    assert FormulaVersion.objects.get(pk=draft.pk).percent_of_formula == D("0.9")


def test_publishing_says_what_it_supersedes_and_does_it(browser, finance, draft):
    formula_publish(actor=finance, formula_id=draft.pk, supersedes_id=None)
    second = formula_draft_create(actor=finance, school_year=draft.school_year, copy_from=draft)
    url = reverse("budgeting:formula_publish", args=[second.pk])
    page = browser.get(url)
    assert "Version 1" in page.content.decode() and "will be superseded" in page.content.decode()
    answer = browser.post(url, {"expected_status": "draft", "supersedes": draft.pk})
    assert answer.status_code == 302
    draft.refresh_from_db()
    assert draft.status == FormulaStatus.SUPERSEDED
    assert FormulaVersion.objects.get(pk=second.pk).status == FormulaStatus.PUBLISHED


def test_publishing_over_a_version_published_meanwhile_is_refused(browser, finance, draft):
    second = formula_draft_create(actor=finance, school_year=draft.school_year, copy_from=draft)
    page = browser.get(reverse("budgeting:formula_publish", args=[second.pk]))  # nothing in force when drawn
    assert "nothing will be superseded" in page.content.decode()
    formula_publish(actor=finance, formula_id=draft.pk, supersedes_id=None)  # somebody else, meanwhile
    answer = browser.post(
        reverse("budgeting:formula_publish", args=[second.pk]), {"expected_status": "draft", "supersedes": ""}
    )
    assert answer.status_code == 409
    assert "Version 1 of 2026-27 is in force now" in answer.content.decode()
    assert FormulaVersion.objects.get(pk=second.pk).status == FormulaStatus.DRAFT


def test_an_incomplete_draft_is_not_published(browser, finance, draft):
    empty = formula_draft_create(actor=finance, school_year=draft.school_year)
    answer = browser.post(
        reverse("budgeting:formula_publish", args=[empty.pk]), {"expected_status": "draft", "supersedes": ""}
    )
    assert answer.status_code == 400
    assert "Enter the base per pupil" in answer.content.decode()
    assert FormulaVersion.objects.get(pk=empty.pk).status == FormulaStatus.DRAFT


def test_a_published_version_has_no_edit_pages(browser, finance, draft):
    formula_publish(actor=finance, formula_id=draft.pk, supersedes_id=None)
    url = reverse("budgeting:formula_edit", args=[draft.pk, "base"])
    assert browser.get(url).status_code == 409
    answer = browser.post(url, {"expected_status": "draft", "base_mode": "entered", "base_per_pupil": "9000"})
    assert answer.status_code == 409 and "never changes" in answer.content.decode()
    assert FormulaVersion.objects.get(pk=draft.pk).base_per_pupil == D("4084.80")
    assert "Change the" not in browser.get(reverse("budgeting:formula_detail", args=[draft.pk])).content.decode()


def test_a_new_draft_copied_from_a_version(browser, draft):
    page = browser.get(reverse("budgeting:formula_new") + f"?copy_from={draft.pk}")
    assert page.status_code == 200
    answer = browser.post(
        reverse("budgeting:formula_new"), {"school_year": draft.school_year.pk, "copy_from": draft.pk, "name": "Next"}
    )
    copy = FormulaVersion.objects.get(number=2)
    assert answer.status_code == 302 and answer["Location"] == reverse("budgeting:formula_detail", args=[copy.pk])
    assert formula_spec_of(copy) == formula_spec_of(draft) and copy.name == "Next"


def test_an_empty_draft(browser):
    categories()
    year = school_year()
    answer = browser.post(reverse("budgeting:formula_new"), {"school_year": year.pk, "copy_from": "", "name": ""})
    assert answer.status_code == 302
    assert FormulaVersion.objects.get(school_year=year).status == FormulaStatus.DRAFT


@pytest.mark.parametrize(
    ("role", "function", "at_school"),
    [(Role.PRINCIPAL, "", True), (Role.REVIEWER, ReviewFunction.HR, False), (Role.VIEWER, "", False)],
)
def test_nobody_but_finance_sees_the_pages(client_for, make_member, school, draft, role, function, at_school):
    someone = make_member(role, school=school if at_school else None, function=function)
    browser = client_for(someone)
    for name, args in [
        ("formula_list", []),
        ("formula_new", []),
        ("formula_detail", [draft.pk]),
        ("formula_edit", [draft.pk, "base"]),
        ("formula_publish", [draft.pk]),
    ]:
        assert browser.get(reverse(f"budgeting:{name}", args=args)).status_code == 404, name
    answer = browser.post(
        reverse("budgeting:formula_publish", args=[draft.pk]), {"expected_status": "draft", "supersedes": ""}
    )
    assert answer.status_code == 404
    assert FormulaVersion.objects.get(pk=draft.pk).status == FormulaStatus.DRAFT


def test_signed_out_people_are_sent_to_sign_in(client, draft):
    answer = client.get(reverse("budgeting:formula_detail", args=[draft.pk]))
    assert answer.status_code == 302 and "login" in answer["Location"]


def test_the_admin_shows_a_version_and_changes_nothing(client_for, draft):
    browser = client_for(UserFactory(is_staff=True, is_superuser=True))
    assert browser.get(reverse("admin:budgeting_formulaversion_changelist")).status_code == 200
    page = browser.get(reverse("admin:budgeting_formulaversion_change", args=[draft.pk]))
    assert page.status_code == 200 and "4084.80" in page.content.decode()
    browser.post(reverse("admin:budgeting_formulaversion_change", args=[draft.pk]), {"name": "Changed in the admin"})
    assert FormulaVersion.objects.get(pk=draft.pk).name == "Fair student funding"
