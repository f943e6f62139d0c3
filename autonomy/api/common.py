"""Service errors named as the autonomy API names fields: a drafting service keys its refusals by the
page's form fields (`item-7-justification`), the API by the place in what the client sent
(`items.0.justification`)."""

import re

from core.errors import ApplicationError

ITEM_KEY = re.compile(r"^item-(\d+)-(\w+)$")
ANSWER_KEY = re.compile(r"^answer-(\d+)$")
OUTCOME_KEY = re.compile(r"^outcomes-(\d+)-(\w+)$")


def api_field_name(key: str, *, items: dict[int, str], answers: dict[int, str] | None = None) -> str:
    """A service's field key as the API names it: `item-7-justification` → `items.0.justification`,
    `answer-3` → `answers.1`, `outcomes-0-target` → `outcomes.0.target`.

    `items` maps an item's id to its place in the list the client sees (`items.<index>`), or to
    plain `items` when the client did not send that item; `answers` does the same for questions.
    """
    if match := ITEM_KEY.match(key):
        place = items.get(int(match[1]), "items")
        return f"{place}.{match[2]}" if place != "items" else "items"
    if match := ANSWER_KEY.match(key):
        return (answers or {}).get(int(match[1]), "answers")
    if match := OUTCOME_KEY.match(key):
        return f"outcomes.{match[1]}.{match[2]}"
    return key


def api_fields(fields: dict[str, list[str]], **places) -> dict[str, list[str]]:
    renamed: dict[str, list[str]] = {}
    for key, messages in fields.items():
        renamed.setdefault(api_field_name(key, **places), []).extend(messages)
    return renamed


def renamed_error(error: ApplicationError, **places) -> ApplicationError:
    """The same refusal (same class, so the same status code) with its fields named as the API names them."""
    return type(error)(error.message, fields=api_fields(error.fields, **places))
