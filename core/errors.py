"""The one error shape the services raise; views and the API translate it for their audience.

Each kind carries the HTTP status it answers with, so pages and the API map one answer the same way.
"""


class ApplicationError(Exception):
    """A rule refused the action. `fields` maps a field (or row) name to its messages."""

    http_status = 400
    code = "invalid"

    def __init__(self, message: str, *, fields: dict[str, list[str]] | None = None):
        super().__init__(message)
        self.message = message
        self.fields = fields or {}


class NotPermitted(ApplicationError):
    """The actor may not take this action; the reason says why in plain words."""

    http_status = 403
    code = "not_permitted"


class Conflict(ApplicationError):
    """Somebody else changed the object first, or the step is not open in its state now: reload, decide again."""

    http_status = 409
    code = "conflict"


class NotFound(ApplicationError):
    """The id names nothing (or nothing this actor may see)."""

    http_status = 404
    code = "not_found"
