"""The district's service policy (support.models.ServicePolicy): one row, read here by every part."""

from support.models import ServicePolicy


def service_policy_current() -> ServicePolicy:
    """The district's settings; their defaults until the autonomy office first saves them."""
    return ServicePolicy.objects.filter(key=1).first() or ServicePolicy()
