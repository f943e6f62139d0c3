"""The suppression policy with the published examples of states' rules, and its versions and record."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from reports.models import MaskedCellRecord, SuppressionPolicy
from reports.services.publishing import masked_cells_record, policy_in_force, policy_publish, rules_in_force
from reports.services.suppression import Cell, CodingBand, PolicyRules, Reason, cells_suppress

D = Decimal

DELAWARE = PolicyRules(minimum_n=16, complementary=False, pair_rule=False, bands=(CodingBand(0, D(95), D(5)),))
CALIFORNIA = PolicyRules(minimum_n=10, complementary=False, pair_rule=False)
UTAH = PolicyRules(
    minimum_n=10,
    complementary=False,
    pair_rule=False,
    inclusive_coding=True,
    bands=(
        CodingBand(10, D(90), D(10)),
        CodingBand(41, D(95), D(5)),
        CodingBand(101, D(98), D(2)),
        CodingBand(300, D(99), D(1)),
    ),
)
NEW_YORK = PolicyRules(minimum_n=5, complementary=True, pair_rule=False)
WISCONSIN = PolicyRules(minimum_n=10, complementary=False, pair_rule=True)


def one(rules, value, n, *, percent=True):
    return cells_suppress([Cell("c", D(value), n, percent=percent)], rules)["c"]


@pytest.mark.parametrize(("n", "hidden"), [(15, True), (16, False), (1, True), (200, False)])
def test_delaware_hides_groups_of_15_or_fewer(n, hidden):
    cell = one(DELAWARE, "50", n)
    assert cell.hidden is hidden
    assert (cell.text, cell.value) == (("*", None) if hidden else ("", D(50)))


@pytest.mark.parametrize(
    ("value", "text", "reason"),
    [("96", "> 95%", Reason.TOP_CODED), ("95", "", ""), ("4.9", "< 5%", Reason.BOTTOM_CODED), ("5", "", "")],
)
def test_delaware_codes_above_95_and_below_5(value, text, reason):
    cell = one(DELAWARE, value, 40)
    assert (cell.text, cell.reason) == (text, reason)
    assert not cell.hidden


def test_coding_applies_to_percents_only():
    assert one(DELAWARE, "99", 40, percent=False).text == ""


@pytest.mark.parametrize(("n", "hidden"), [(9, True), (10, False)])
def test_california_hides_fewer_than_10(n, hidden):
    assert one(CALIFORNIA, "60", n).hidden is hidden


@pytest.mark.parametrize(
    ("value", "n", "text"),
    [
        ("92", 30, "≥ 90%"),  # a small group: coded from 90
        ("92", 60, ""),  # larger: 92 is shown
        ("96", 60, "≥ 95%"),
        ("98.5", 299, "≥ 98%"),
        ("98.5", 300, ""),  # n ≥ 300: only from 99
        ("99", 300, "≥ 99%"),
        ("1", 300, "≤ 1%"),
        ("1.5", 300, ""),
        ("50", 9, "*"),
    ],
)
def test_utah_tightens_the_coding_as_the_group_grows(value, n, text):
    assert one(UTAH, value, n).text == text


def test_new_york_hides_the_next_smallest_so_the_hidden_cannot_be_derived():
    cells = [
        Cell("all", D(100), 100, total="grade4", is_total=True),
        Cell("asian", D(3), 3, total="grade4"),
        Cell("black", D(7), 7, total="grade4"),
        Cell("white", D(90), 90, total="grade4"),
    ]
    result = cells_suppress(cells, NEW_YORK)
    assert result["asian"].reason == Reason.SMALL_N
    assert result["black"].reason == Reason.COMPLEMENTARY  # the next smallest
    assert result["white"].value == D(90) and result["all"].value == D(100)
    assert {(m.key, m.reason) for m in result.masked} == {
        ("asian", Reason.SMALL_N),
        ("black", Reason.COMPLEMENTARY),
    }


def test_without_complementary_suppression_a_total_would_reveal_the_hidden_cell():
    cells = [
        Cell("all", D(20), 20, total="t", is_total=True),
        Cell("a", D(3), 3, total="t"),
        Cell("b", D(17), 17, total="t"),
    ]
    plain = cells_suppress(cells, PolicyRules(minimum_n=5, complementary=False, pair_rule=False))
    assert plain["all"].value - plain["b"].value == D(3)  # what the rule exists to prevent
    protected = cells_suppress(cells, PolicyRules(minimum_n=5, complementary=True, pair_rule=False))
    assert protected["b"].hidden and protected["a"].hidden and protected["all"].value == D(20)


def test_two_hidden_parts_need_no_third():
    cells = [
        Cell("all", D(40), 40, total="t", is_total=True),
        Cell("a", D(3), 3, total="t"),
        Cell("b", D(4), 4, total="t"),
        Cell("c", D(33), 33, total="t"),
    ]
    result = cells_suppress(cells, NEW_YORK)
    assert [key for key, cell in result.cells.items() if cell.hidden] == ["a", "b"]


def test_wisconsin_hides_both_halves_of_a_pair_when_either_is_small():
    cells = [
        Cell("disadvantaged", D(40), 8, pair="econ", percent=True),
        Cell("not_disadvantaged", D(70), 120, pair="econ", percent=True),
        Cell("other", D(50), 8, pair="ell", percent=True),
        Cell("other_not", D(55), 80, pair="ell", percent=True),
        Cell("alone", D(61), 80, pair="gender", percent=True),
        Cell("alone_too", D(62), 80, pair="gender", percent=True),
    ]
    result = cells_suppress(cells, WISCONSIN)
    assert result["disadvantaged"].reason == Reason.SMALL_N
    assert result["not_disadvantaged"].reason == Reason.PAIR
    assert result["other_not"].reason == Reason.PAIR
    assert not result["alone"].hidden and not result["alone_too"].hidden


def test_a_pair_hidden_leaves_two_parts_of_the_total_hidden():
    cells = [
        Cell("all", D(100), 100, total="t", is_total=True),
        Cell("a", D(4), 4, total="t", pair="p"),
        Cell("b", D(60), 60, total="t", pair="p"),
        Cell("c", D(36), 36, total="t"),
    ]
    result = cells_suppress(cells, PolicyRules(minimum_n=5, complementary=True, pair_rule=True))
    assert result["a"].hidden and result["b"].hidden  # two parts hidden: neither can be derived
    assert not result["c"].hidden


def test_a_value_without_n_is_not_hidden_for_size():
    result = cells_suppress([Cell("rating", D(4), None)], CALIFORNIA)
    assert result["rating"].value == D(4) and not result.masked


def test_marker_is_the_policys():
    rules = PolicyRules(minimum_n=10, marker="n<10")
    assert one(rules, "50", 3).text == "n<10"


@pytest.mark.django_db
def test_a_new_version_leaves_the_old_one_as_it_was():
    first = policy_publish(minimum_n=10, coding_bands=[{"min_n": 0, "high": 95, "low": 5}])
    second = policy_publish(minimum_n=16, marker="—")
    first.refresh_from_db()
    assert (first.version, first.minimum_n, first.marker) == (1, 10, "*")
    assert policy_in_force() == second and rules_in_force().minimum_n == 16
    first.minimum_n = 3
    with pytest.raises(ValidationError):
        first.save()


@pytest.mark.django_db
def test_a_bad_band_is_refused_naming_the_field():
    with pytest.raises(ValidationError) as refused:
        policy_publish(coding_bands=[{"min_n": 0, "high": 5, "low": 95}])
    assert "coding_bands" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        policy_publish(coding_bands=[{"high": 95}])
    assert "coding_bands" in refused.value.message_dict
    assert SuppressionPolicy.objects.count() == 0


@pytest.mark.django_db
def test_masked_cells_are_recorded_in_one_query_and_once(django_assert_num_queries):
    rules = policy_publish(minimum_n=10).rules()
    cells = [Cell(f"c{i}", D(50), 3, field="ela", period="2025-26") for i in range(30)]
    masked = cells_suppress(cells, rules).masked
    with django_assert_num_queries(1):
        masked_cells_record(surface="page:test", masked=masked, rules=rules)
    masked_cells_record(surface="page:test", masked=masked, rules=rules)
    record = MaskedCellRecord.objects.get()  # the same cell (no school, same field) once
    assert (record.reason, record.policy_version, record.surface) == (Reason.SMALL_N, 1, "page:test")
