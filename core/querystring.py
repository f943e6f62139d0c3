"""Links that change one parameter of a list page (its page, its sort) and keep the rest: the filters."""

from django.http import QueryDict


def query_without(query: QueryDict, *names: str) -> str:
    """The query string less these parameters, ready for `?{{ querystring }}&page=2`."""
    query = query.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()
