"""django-oauth-toolkit's validator with the email claims a district's provider sends, and the switches
of tests/oidc_provider/modes.py applied to the ID token it issues."""

import time

from django.conf import settings
from oauth2_provider.oauth2_validators import OAuth2Validator

from tests.oidc_provider import modes


class SwitchableValidator(OAuth2Validator):
    oidc_claim_scope = {**OAuth2Validator.oidc_claim_scope, "email": "email", "email_verified": "email"}

    def get_additional_claims(self, request):
        user = request.user
        return {"email": user.email, "email_verified": True, "name": user.get_full_name() or user.username}

    def get_id_token_dictionary(self, token, token_handler, request):
        claims, expiration_time = super().get_id_token_dictionary(token, token_handler, request)
        mode = modes.mode_read(settings.DATA_DIR)
        now = int(time.time())
        if mode == modes.WRONG_AUDIENCE:
            claims["aud"] = "another-districts-portal"
        elif mode == modes.EXPIRED:
            claims.update(iat=now - 7200, exp=now - 3600, auth_time=now - 7200)
        elif mode == modes.WRONG_ISSUER:
            claims["iss"] = "http://127.0.0.1:9/impostor"
        elif mode == modes.WRONG_NONCE:
            claims["nonce"] = "a-nonce-the-portal-never-sent"
        return claims, expiration_time

    def finalize_id_token(self, id_token, token, token_handler, request):
        serialized = super().finalize_id_token(id_token, token, token_handler, request)
        if modes.mode_read(settings.DATA_DIR) != modes.BAD_SIGNATURE:
            return serialized
        header, payload, signature = serialized.split(".")
        middle = len(signature) // 2
        swapped = "A" if signature[middle] != "A" else "B"
        return ".".join([header, payload, signature[:middle] + swapped + signature[middle + 1 :]])
