"""A record's history drawn one way on every page: each step's heading, when and by whom, and why.

Each app turns its own event rows into `TimelineEntry`s (its headings are its own words); the partial
partials/timeline.html draws them."""

from dataclasses import dataclass
from datetime import datetime

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@dataclass(frozen=True)
class TimelineEntry:
    heading: str  # plain text, or HTML already escaped (format_html)
    at: datetime
    by: str  # "by Ana Ruiz", "by the nightly evaluation", …
    # None draws no reason paragraph; a string (even empty) draws one.
    reason: str | None
    detail_template: str = ""  # drawn under the reason with `lines=detail_lines`, when there are lines
    detail_lines: list | None = None


def actor_words(actor, *, otherwise: str) -> str:
    """Who took a step, as the timeline says it; `otherwise` when nobody did (a nightly run)."""
    if actor is None:
        return otherwise
    return _("by %(name)s") % {"name": actor.get_full_name() or actor.username}


@register.inclusion_tag("partials/timeline.html")
def timeline(entries, empty):
    """The entries as a list of dated steps, or the sentence `empty` when there is none."""
    return {"entries": entries, "empty": empty}
