from rest_framework import filters


class StableOrderingFilter(filters.OrderingFilter):
    """`?ordering=` as DRF reads it (fields not in the view's `ordering_fields` are ignored), with ties
    broken by id in the direction of the view's default, so that pages never overlap or skip a row."""

    def get_ordering(self, request, queryset, view):
        ordering = list(super().get_ordering(request, queryset, view) or [])
        if {"pk", "-pk", "id", "-id"} & set(ordering):
            return ordering
        descending = any(name in ("-pk", "-id") for name in getattr(view, "ordering", None) or [])
        return [*ordering, "-pk" if descending else "pk"]
