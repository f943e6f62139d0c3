"""What the login page offers: the district's sign-in button (when single sign-on is configured) and the
password form (unless LOCAL_PASSWORDS is off). A tag rather than view context, so the login page and any
other page can ask the same question of the settings."""

from django import template
from django.conf import settings

from accounts.sso.provider import sso_enabled

register = template.Library()


@register.simple_tag
def sign_in_options() -> dict:
    return {
        "sso": sso_enabled(),
        "provider_name": settings.OIDC_PROVIDER_NAME,
        "passwords": settings.LOCAL_PASSWORDS,
    }
