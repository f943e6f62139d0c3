"""A rule as the contract states it (contracts.wording.rule_sentence): kept per wording and language, so a
notice quoting it follows a change of its words, its measure's name and the reader's language at once."""

import pytest
from django.utils import translation

from contracts.models import Condition
from contracts.wording import rule_sentence

pytestmark = pytest.mark.django_db


def test_a_rule_reads_the_same_each_time_and_follows_a_change_of_its_words(active):
    rule = active.rules.get(key="three-missed")
    first = rule_sentence(rule)
    assert first == rule_sentence(rule)
    assert first.startswith("If 3 or more benchmarks are missed in a year: corrective action plan required.")
    rule.count, rule.deadline_days = 4, 45
    changed = rule_sentence(rule)
    assert changed.startswith("If 4 or more benchmarks are missed in a year") and "45 days" in changed


def test_a_rule_about_one_measure_names_it_as_it_is_now_named(active):
    rule = active.rules.select_related("benchmark__metric").get(condition=Condition.K_IN_A_ROW)
    metric = rule.benchmark.metric
    assert f"“{metric.name}” is missed 2 years in a row" in rule_sentence(rule)
    metric.name = "Reading, grades 3 to 8"
    assert "“Reading, grades 3 to 8” is missed 2 years in a row" in rule_sentence(rule)


def test_a_rule_is_stated_in_the_readers_language(active):
    rule = active.rules.get(key="three-missed")
    english = rule_sentence(rule)
    with translation.override("es"):
        spanish = rule_sentence(rule)
    assert spanish.startswith("Si no se cumplen 3 o más metas en un año") and spanish != english
    assert rule_sentence(rule) == english
