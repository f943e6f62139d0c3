from django.conf import settings
from rest_framework import exceptions
from rest_framework.throttling import SimpleRateThrottle

from core.api.errors import api_exception_handler


class TokenRateThrottle(SimpleRateThrottle):
    """Requests per API token (a script), per user for the browser's session, per address otherwise.

    The rate is read from settings on each request (API_THROTTLE_RATE, API_ANONYMOUS_THROTTLE_RATE) so
    that it can be set per deployment; the counts live in the shared cache.
    """

    scope = "api"

    def get_rate(self):
        return None  # read per request in allow_request, so that a settings change is seen

    def allow_request(self, request, view):
        authenticated = request.user and request.user.is_authenticated
        self.rate = settings.API_THROTTLE_RATE if authenticated else settings.API_ANONYMOUS_THROTTLE_RATE
        if not self.rate:
            return True
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_cache_key(self, request, view):
        token = getattr(request, "auth", None)
        if token is not None and getattr(token, "pk", None):
            ident = f"token:{token.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"user:{request.user.pk}"
        else:
            ident = f"address:{self.get_ident(request)}"
        return f"throttle:{self.scope}:{ident}"


def api_exception_handler_counting_failed_authentication(exc, context):
    """The API's exception handler, with a refused authentication counted against the address's limit.

    DRF authenticates and checks permissions before it throttles, so a call with no credentials or a wrong
    token is refused with 401 before any throttle sees it, and guessing tokens would never be slowed down.
    Each such refusal is counted here, under the same per-address key (and rate) as anonymous calls; over
    the limit the answer is 429 with Retry-After instead, in the one error shape.
    """
    if isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
        throttle = TokenRateThrottle()
        request, view = context["request"], context["view"]
        if not throttle.allow_request(request, view):
            exc = exceptions.Throttled(throttle.wait())
    return api_exception_handler(exc, context)
