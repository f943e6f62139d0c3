from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    """A value of a dict by a key the template holds: the words for a domain, a count by autonomy."""
    return mapping.get(key, "") if mapping else ""
