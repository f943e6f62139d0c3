from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse

from core.api.errors import ErrorSerializer

ERROR_DESCRIPTIONS = {
    "400": "Refused: `fields` names each field or row and what is wrong with it; nothing was saved.",
    "401": "No credentials, or a token that is unknown or revoked.",
    "403": "You may not do this; `detail` says why.",
    "404": "No such object, or one you may not see (another school's objects answer 404).",
    "409": "Somebody changed the object first, or its state does not allow this action now.",
    "429": "Too many requests for this token; retry after the number of seconds in `Retry-After`.",
}


class ApiSchema(AutoSchema):
    """Every operation documents the one error shape for the answers it can give besides success."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        codes = ["400", "401", "403", "404", "429"]
        if self.method not in ("GET", "HEAD", "OPTIONS"):
            codes.append("409")
        for code in codes:
            if code not in responses:
                response = OpenApiResponse(ErrorSerializer, description=ERROR_DESCRIPTIONS[code])
                responses[code] = self._get_response_for_code(response, code, direction=direction)
        return responses
