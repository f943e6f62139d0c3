"""parse_id: ASCII digits only, within what an id can be."""

import pytest

from core.parsing import MAX_ID, parse_id, parse_ids


@pytest.mark.parametrize("text, number", [("0", 0), ("7", 7), ("0042", 42), (str(MAX_ID), MAX_ID)])
def test_ascii_digits_are_read(text, number):
    assert parse_id(text) == number


@pytest.mark.parametrize(
    "value",
    [
        "",
        "-1",
        "+1",
        " 1",
        "1 ",
        "1\n",
        "1.0",
        "1e3",
        "abc",
        "²",
        "٣",
        "３",
        "1_000",
        "\x00",
        str(MAX_ID + 1),
        "9" * 20,
        "9" * 5000,
        None,
        3,
        ["1"],
    ],
)
def test_anything_else_is_none(value):
    assert parse_id(value) is None


def test_parse_ids_drops_what_is_not_an_id():
    assert parse_ids(["1", "²", "2", "-3", "1"]) == {1, 2}
