"""What moves impact's cached estimates on (impact.cache): a grant issued or changed."""

from core.hooks import grants_changed
from impact.cache import grants_version_bump


def connect() -> None:
    grants_changed.connect(grants_version_bump, dispatch_uid="impact.grants_changed")
