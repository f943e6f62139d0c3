"""A school's network: the one way another app changes `School.network`.

Support decides which network a school belongs to (the yearly opt-in and its approvals) and keeps the
history; the school's row only says where it is now. Changing it here, and nowhere else, keeps that one
column from being written by hand in several places.
"""

from schools.models import Network, School


def school_network_set(*, school: School, network: Network | None) -> School:
    """Put the school in `network` now (None: in no network). Saving the same network again writes nothing,
    so a caller may repeat itself (a nightly run starting the year's memberships) without effect."""
    network_id = network.pk if network is not None else None
    if school.network_id == network_id:
        return school
    school.network = network
    school.save(update_fields=["network", "updated_at"])
    return school
