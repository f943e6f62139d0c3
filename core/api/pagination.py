from rest_framework.exceptions import ValidationError
from rest_framework.pagination import LimitOffsetPagination


class ApiPagination(LimitOffsetPagination):
    """`?limit=&offset=`: 50 rows by default, at most 500 (a larger limit is cut to 500). An offset past the
    end answers an empty page. A limit or offset that is not a whole number (or a limit below 1, an offset
    below 0) is refused with 400 naming the parameter, rather than quietly answering another page."""

    default_limit = 50
    max_limit = 500

    def get_limit(self, request):
        raw = request.query_params.get(self.limit_query_param)
        if raw is None:
            return self.default_limit
        return min(_whole_number(raw, name=self.limit_query_param, minimum=1), self.max_limit)

    def get_offset(self, request):
        raw = request.query_params.get(self.offset_query_param)
        if raw is None:
            return 0
        return _whole_number(raw, name=self.offset_query_param, minimum=0)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        minimum = {self.limit_query_param: 1, self.offset_query_param: 0}
        for parameter in parameters:
            parameter["schema"]["minimum"] = minimum[parameter["name"]]
        return parameters


BEYOND_ANY_TABLE = 10**18


def _whole_number(raw: str, *, name: str, minimum: int) -> int:
    """The parameter as an int; a number longer than 18 digits is past the end of any table, so it is cut
    there (Python refuses to parse very long digit strings at all)."""
    digits = raw.lstrip("0") or "0"
    if not raw.isascii() or not raw.isdigit() or (len(digits) <= 18 and int(digits) < minimum):
        raise ValidationError({name: [f"A whole number of at least {minimum}."]})
    return int(digits) if len(digits) <= 18 else BEYOND_ANY_TABLE
