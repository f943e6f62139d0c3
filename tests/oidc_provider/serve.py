"""Start the test identity provider: a fresh signing key, its database, one district user and the portal
registered as a confidential client, then Django's development server on 127.0.0.1.

Run as `python -m tests.oidc_provider.serve` with OIDC_TEST_PROVIDER_DIR, OIDC_TEST_PROVIDER_PORT and
OIDC_TEST_PORTAL_URLS (the portal's base URLs, space-separated) set; tests/oidc_provider/fixtures.py does.
"""

import os
from pathlib import Path

CLIENT_ID = "sgs-portal"
CLIENT_SECRET = "portal-client-secret-0123456789"
USERNAME = "ada"
PASSWORD = "district-password-123"
EMAIL = "ada.lovelace@district.example"


def signing_key_write(directory: Path) -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    (directory / "signing-key.pem").write_bytes(pem)


def directory_populate(portal_urls: list[str]) -> None:
    from django.contrib.auth import get_user_model
    from oauth2_provider.models import Application

    user = get_user_model().objects.create_user(USERNAME, email=EMAIL, password=PASSWORD, first_name="Ada")
    Application.objects.create(
        name="SGS Portal",
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        algorithm=Application.RS256_ALGORITHM,
        redirect_uris=" ".join(f"{url}/sso/callback/" for url in portal_urls),
        post_logout_redirect_uris=" ".join(f"{url}/accounts/login/" for url in portal_urls),
        skip_authorization=True,
        user=user,
    )


def main() -> None:
    directory = Path(os.environ["OIDC_TEST_PROVIDER_DIR"])
    signing_key_write(directory)
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.oidc_provider.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    directory_populate(os.environ["OIDC_TEST_PORTAL_URLS"].split())
    port = os.environ["OIDC_TEST_PROVIDER_PORT"]
    call_command("runserver", f"127.0.0.1:{port}", use_reloader=False, use_threading=True, skip_checks=True)


if __name__ == "__main__":
    main()
