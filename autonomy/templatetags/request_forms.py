"""Filters the request pages use to read their forms' rows and numbers."""

from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def plain_number(value):
    """A Decimal as people write it: 80 rather than 80.0000 or 8E+1."""
    if value is None or value == "":
        return ""
    return format(value.normalize(), "f")
