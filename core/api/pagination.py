from rest_framework.pagination import LimitOffsetPagination


class ApiPagination(LimitOffsetPagination):
    """`?limit=&offset=`: 50 rows by default, at most 500. An offset past the end answers an empty page,
    and a limit or offset that is not a whole number falls back to the default (DRF's behaviour)."""

    default_limit = 50
    max_limit = 500
