"""Responses to a logged-in user or an API token are never stored by a browser or a proxy."""

from django.utils.cache import patch_cache_control


class PrivateResponsesMiddleware:
    """`Cache-Control: private, no-store` on every answer to someone signed in: pages, the API, downloads.

    What a user saw (a school's contract, a CSV of its data) must not stay in a shared proxy's cache or in
    the disk cache of a shared computer after they log out. DRF sets request.user on the underlying
    request when a token authenticates, so token calls are covered too. Public answers (the login page,
    /healthz, static files) keep their own caching.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        return response
