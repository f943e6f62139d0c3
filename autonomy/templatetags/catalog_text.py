"""The catalog's words on a page: a text written one point per line drawn as a list; a criterion stated."""

from django import template

register = template.Library()


@register.filter
def lines(text: str) -> list[str]:
    """The text's non-blank lines, without a leading dash or bullet the writer may have typed."""
    points = (line.strip().lstrip("-•*").strip() for line in (text or "").splitlines())
    return [point for point in points if point]


@register.filter
def criterion(value) -> str:
    """An eligibility criterion in the district's words (autonomy.selectors_eligibility.criterion_words)."""
    from autonomy.selectors_eligibility import criterion_words

    return criterion_words(value)
