"""mozilla-django-oidc's authentication backend, fitted to the district's provider.

What it adds: endpoints from discovery (accounts/sso/provider.py) instead of settings; the ID token's
issuer, audience, expiry and authorized party checked with its signature (the library checks only the
signature and the nonce); the account found through accounts/sso/services.py, never created; a session
that ends when the account is deactivated (the library's get_user does not look at is_active); and the
ID token kept for sign-out at the provider.
"""

import jwt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import SuspiciousOperation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from accounts.sso.provider import provider_metadata, sso_enabled
from accounts.sso.services import SignInRefused, external_identity_sign_in

BACKEND_PATH = "accounts.sso.backend.DistrictOIDCBackend"
LEEWAY_SECONDS = 60  # clocks of the portal and the provider may differ by this much

TRY_AGAIN = gettext_lazy("Start again from the sign-in page; if it happens again, tell the autonomy office.")
_TOKEN_REFUSALS = [
    (jwt.ExpiredSignatureError, gettext_lazy("The sign-in answer from your district has expired.")),
    (
        jwt.InvalidAudienceError,
        gettext_lazy("The sign-in answer from your district was issued for another application."),
    ),
    (jwt.InvalidIssuerError, gettext_lazy("The sign-in answer did not come from your district's sign-in service.")),
    (jwt.InvalidSignatureError, gettext_lazy("The sign-in answer's signature does not check out.")),
    (jwt.ImmatureSignatureError, gettext_lazy("The sign-in answer from your district is dated in the future.")),
    (
        jwt.MissingRequiredClaimError,
        gettext_lazy("The sign-in answer from your district is missing required information."),
    ),
]


def _token_refusal(error: jwt.PyJWTError) -> SignInRefused:
    for kind, message in _TOKEN_REFUSALS:
        if isinstance(error, kind):
            return SignInRefused(f"{message} {TRY_AGAIN}")
    return SignInRefused(" ".join([_("The sign-in answer from your district could not be read."), str(TRY_AGAIN)]))


class DistrictOIDCBackend(OIDCAuthenticationBackend):
    def __init__(self, *args, **kwargs):
        # The library reads every endpoint from settings here; they come from discovery at first use
        # instead, so that building this backend (Django does for every password login) costs nothing.
        self.UserModel = get_user_model()
        self.OIDC_RP_SIGN_ALGO = settings.OIDC_RP_SIGN_ALGO
        self.OIDC_RP_IDP_SIGN_KEY = None
        self.id_token = ""

    OIDC_RP_CLIENT_ID = property(lambda self: settings.OIDC_RP_CLIENT_ID)
    OIDC_RP_CLIENT_SECRET = property(lambda self: settings.OIDC_RP_CLIENT_SECRET)
    OIDC_OP_TOKEN_ENDPOINT = property(lambda self: provider_metadata()["token_endpoint"])
    OIDC_OP_USER_ENDPOINT = property(lambda self: provider_metadata().get("userinfo_endpoint"))
    OIDC_OP_JWKS_ENDPOINT = property(lambda self: provider_metadata()["jwks_uri"])

    def authenticate(self, request, nonce=None, code_verifier=None, **credentials):
        """Only the callback view signs in through here (it passes the nonce it stored): a password form,
        even one posted with ?code=…&state=… in its address, never reaches the provider."""
        if nonce is None or credentials or request is None or not sso_enabled():
            return None
        return super().authenticate(request, nonce=nonce, code_verifier=code_verifier)

    def _verify_jws(self, payload, key):
        try:
            header = jwt.get_unverified_header(payload)
        except jwt.PyJWTError as error:
            raise _token_refusal(error) from error
        if header.get("alg") != self.OIDC_RP_SIGN_ALGO:
            refusal = _("The sign-in answer was signed in a way the portal does not accept.")
            raise SignInRefused(f"{refusal} {TRY_AGAIN}")
        try:
            claims = jwt.decode(
                payload,
                key,
                algorithms=[self.OIDC_RP_SIGN_ALGO],
                audience=self.OIDC_RP_CLIENT_ID,
                issuer=provider_metadata()["issuer"],
                leeway=LEEWAY_SECONDS,
                options={"require": ["iss", "aud", "sub", "exp", "iat"]},
            )
        except jwt.PyJWTError as error:
            raise _token_refusal(error) from error
        # With several audiences, the token must say it was issued to this portal (OIDC Core 3.1.3.7).
        audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
        if len(audiences) > 1 and claims.get("azp") != self.OIDC_RP_CLIENT_ID:
            raise _token_refusal(jwt.InvalidAudienceError())
        return claims

    def verify_token(self, token, **kwargs):
        try:
            return super().verify_token(token, **kwargs)
        except SuspiciousOperation as error:  # the library's nonce, algorithm and key checks
            refusal = _("The sign-in answer does not belong to this sign-in.")
            raise SignInRefused(f"{refusal} {TRY_AGAIN}") from error

    def store_tokens(self, access_token, id_token):
        # Kept here and put in the session by the callback after login, which may start a new session.
        self.id_token = id_token

    def get_or_create_user(self, access_token, id_token, payload):
        """The account of the ID token's subject. The email, if the ID token lacks it, comes from the
        userinfo endpoint, and only when that answer is about the same subject."""
        claims = dict(payload)
        if "email" not in claims and self.OIDC_OP_USER_ENDPOINT:
            userinfo = self.get_userinfo(access_token, id_token, payload)
            if isinstance(userinfo, dict) and userinfo.get("sub") == claims.get("sub"):
                claims.update({key: userinfo[key] for key in ("email", "email_verified") if key in userinfo})
        # Stored without a trailing slash, as sso_link stores it: some providers' issuers end in one.
        return external_identity_sign_in(issuer=claims["iss"].rstrip("/"), claims=claims)

    def get_user(self, user_id):
        user = super().get_user(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
