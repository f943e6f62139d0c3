"""A grant's changes as timeline entries (core.templatetags.timelines), in the grant pages' words."""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from core.templatetags.timelines import TimelineEntry, actor_words

register = template.Library()


@register.filter
def grant_timeline_entries(events) -> list[TimelineEntry]:
    """Each change from one status to another; the first, with no status before it, is the grant itself.
    A change nobody made was the nightly evaluation; a grant nobody made was recorded automatically.
    Each event carries the `evidence_lines` autonomy.selectors_grants gave it."""
    return [
        TimelineEntry(
            heading=_heading(event),
            at=event.at,
            by=actor_words(
                event.actor,
                otherwise=_("by the nightly evaluation") if event.from_status else _("recorded automatically"),
            ),
            reason=event.reason,
            detail_template="autonomy/grants/_evidence.html",
            detail_lines=getattr(event, "evidence_lines", None),
        )
        for event in events
    ]


def _heading(event) -> str:
    if event.from_status:
        return format_html(
            '{} <span aria-hidden="true">→</span><span class="visually-hidden">{}</span> {}',
            event.get_from_status_display(),
            _("to"),
            event.get_to_status_display(),
        )
    return format_html(_("Granted ({})"), event.get_to_status_display().lower())
