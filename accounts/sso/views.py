"""The three addresses of single sign-on: start (to the provider), callback (back from it), and sign-out.

Every way a sign-in can fail ends on one plain page (registration/sso_refused.html) that says what
happened and what to do, with a 4xx or 502 status: never a server error, never a half-signed-in session.
Start and callback answer 404 while single sign-on is not configured.
"""

import logging
import time
from urllib.parse import urlencode

import jwt
import requests
from django.conf import settings
from django.contrib import auth
from django.contrib.auth.views import LogoutView
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render, resolve_url
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import View
from mozilla_django_oidc.views import OIDCAuthenticationRequestView

from accounts.sso.backend import BACKEND_PATH, TRY_AGAIN, DistrictOIDCBackend
from accounts.sso.provider import ProviderUnavailable, provider_metadata, sso_enabled
from accounts.sso.services import SignInRefused

logger = logging.getLogger(__name__)

ID_TOKEN_SESSION_KEY = "oidc_id_token"
STATE_LIFETIME_SECONDS = 15 * 60  # a sign-in left this long at the provider starts again
_PROVIDER_ERRORS = {
    "access_denied": gettext_lazy("Your district's sign-in service did not let you through (access denied)."),
    "login_required": gettext_lazy("Your district's sign-in service asked you to sign in again."),
    "consent_required": gettext_lazy("Your district's sign-in service needs your consent before it signs you in here."),
}


def sign_in_refused(request, message: str, *, status: int):
    return render(request, "registration/sso_refused.html", {"message": message}, status=status)


class SignInStartView(OIDCAuthenticationRequestView):
    """Sends the browser to the provider with a fresh state, nonce and PKCE challenge in the session."""

    def __init__(self, **kwargs):
        # The library reads the endpoint from settings here; it comes from discovery in get() instead.
        View.__init__(self, **kwargs)

    def get(self, request):
        if not sso_enabled():
            raise Http404
        try:
            self.OIDC_OP_AUTH_ENDPOINT = provider_metadata()["authorization_endpoint"]
        except ProviderUnavailable as unavailable:
            return sign_in_refused(request, unavailable.message, status=502)
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        return super().get(request)


class SignInCallbackView(View):
    """Where the provider sends the browser back. The state is taken out of the session before anything
    else, so a callback replayed (the same address twice, or another browser's) finds none and is refused."""

    http_method_names = ["get"]

    def get(self, request):
        if not sso_enabled():
            raise Http404
        state = request.GET.get("state", "")
        pending = request.session.get("oidc_states", {}).pop(state, None) if state else None
        request.session.modified = True
        if error := request.GET.get("error"):
            stopped = _("Your district's sign-in service stopped the sign-in (%(error)s).") % {"error": error[:60]}
            message = _PROVIDER_ERRORS.get(error, stopped)
            return sign_in_refused(request, f"{message} {TRY_AGAIN}", status=403)
        expired = pending is not None and time.time() - pending.get("added_on", 0) > STATE_LIFETIME_SECONDS
        if pending is None or expired or not request.GET.get("code"):
            return sign_in_refused(
                request,
                _("This sign-in link has already been used or has expired. Start again from the sign-in page."),
                status=400,
            )
        backend = DistrictOIDCBackend()
        try:
            user = backend.authenticate(request, nonce=pending["nonce"], code_verifier=pending.get("code_verifier"))
        except SignInRefused as refused:
            logger.warning("Single sign-on refused: %s", refused.message)
            return sign_in_refused(request, refused.message, status=403)
        except ProviderUnavailable as unavailable:
            return sign_in_refused(request, unavailable.message, status=502)
        except requests.RequestException:
            logger.exception("Single sign-on: the provider's token or key endpoint failed")
            return sign_in_refused(
                request,
                " ".join([_("Your district's sign-in service did not complete the sign-in."), str(TRY_AGAIN)]),
                status=502,
            )
        except (SuspiciousOperation, jwt.PyJWTError, KeyError, TypeError, ValueError):
            logger.exception("Single sign-on: the provider's answer could not be checked")
            unchecked = " ".join([_("The sign-in answer from your district could not be checked."), str(TRY_AGAIN)])
            return sign_in_refused(request, unchecked, status=403)
        if user is None:
            return sign_in_refused(request, f"Your district's sign-in did not complete. {TRY_AGAIN}", status=403)
        next_url = request.session.get("oidc_login_next")
        auth.login(request, user, backend=BACKEND_PATH)
        request.session[ID_TOKEN_SESSION_KEY] = backend.id_token
        return HttpResponseRedirect(next_url or resolve_url(settings.LOGIN_REDIRECT_URL))


class ProviderLogoutView(LogoutView):
    """Django's logout, then, for a session that began at the provider, the provider's own sign-out
    (RP-initiated logout) with the ID token as a hint and the login page as the way back."""

    def post(self, request, *args, **kwargs):
        id_token = request.session.get(ID_TOKEN_SESSION_KEY)
        response = super().post(request, *args, **kwargs)
        end_session = _end_session_endpoint() if id_token else None
        if not end_session:
            return response
        query = urlencode(
            {
                "id_token_hint": id_token,
                "post_logout_redirect_uri": request.build_absolute_uri(reverse("login")),
                "client_id": settings.OIDC_RP_CLIENT_ID,
            }
        )
        return HttpResponseRedirect(f"{end_session}?{query}")


def _end_session_endpoint() -> str | None:
    if not sso_enabled():
        return None
    try:
        return provider_metadata().get("end_session_endpoint") or None
    except ProviderUnavailable:
        return None  # signed out here all the same; the provider's session ends when it expires
