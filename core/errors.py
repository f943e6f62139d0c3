"""The one error shape the services raise; views and the API translate it for their audience."""


class ApplicationError(Exception):
    """A rule refused the action. `fields` maps a field (or row) name to its messages."""

    def __init__(self, message: str, *, fields: dict[str, list[str]] | None = None):
        super().__init__(message)
        self.message = message
        self.fields = fields or {}


class NotPermitted(ApplicationError):
    """The actor may not take this action; the reason says why in plain words."""


class Conflict(ApplicationError):
    """Somebody else changed the object first; the actor should reload and decide again."""
