"""Words for a flag's numbers and codes, for the accountability templates."""

from django import template

from accountability.wording import rung_words, when_words

register = template.Library()


@register.filter
def rung(level: int) -> str:
    return rung_words(level)


@register.filter
def rule_when(rule) -> str:
    return when_words(rule.condition, rule.count)
