"""Words for a flag's numbers and codes, for the accountability templates."""

from django import template
from django.utils.translation import gettext as _

from accountability.wording import rung_words, when_words
from core.templatetags.timelines import TimelineEntry, actor_words

register = template.Library()


@register.filter
def rung(level: int) -> str:
    return rung_words(level)


@register.filter
def rule_when(rule) -> str:
    return when_words(rule.condition, rule.count)


@register.filter
def flag_timeline(events_with_headings) -> list[TimelineEntry]:
    """A flag's steps, each (event, heading) as the flag page words it; a step nobody took was the nightly
    evaluation's."""
    return [
        TimelineEntry(
            heading=heading,
            at=event.at,
            by=actor_words(event.actor, otherwise=_("by the nightly evaluation")),
            reason=event.reason or None,
        )
        for event, heading in events_with_headings
    ]
