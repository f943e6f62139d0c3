from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle


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
