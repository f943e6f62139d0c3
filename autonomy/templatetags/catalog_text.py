"""A catalog text written one point per line, drawn as a list."""

from django import template

register = template.Library()


@register.filter
def lines(text: str) -> list[str]:
    """The text's non-blank lines, without a leading dash or bullet the writer may have typed."""
    points = (line.strip().lstrip("-•*").strip() for line in (text or "").splitlines())
    return [point for point in points if point]
