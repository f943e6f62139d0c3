"""The test provider's URLs: its own login page, django-oauth-toolkit's OIDC endpoints under /o/, the
discovery document (which the malformed mode replaces with an HTML page), and /session/, which says who
is signed in at the provider, so that a test can see that the portal's sign-out ended that session."""

from django.conf import settings
from django.contrib.auth.views import LoginView
from django.http import HttpResponse
from django.urls import include, path, re_path
from oauth2_provider.views import ConnectDiscoveryInfoView

from tests.oidc_provider import modes

_discovery = ConnectDiscoveryInfoView.as_view()


def discovery(request):
    if modes.mode_read(settings.DATA_DIR) == modes.MALFORMED_DISCOVERY:
        return HttpResponse("<html><body>Down for maintenance</body></html>", content_type="text/html")
    return _discovery(request)


def session(request):
    return HttpResponse(request.user.username if request.user.is_authenticated else "anonymous")


urlpatterns = [
    path("login/", LoginView.as_view(template_name="provider/login.html"), name="login"),
    path("session/", session),
    re_path(r"^o/\.well-known/openid-configuration/?$", discovery),
    path("o/", include("oauth2_provider.urls", namespace="oauth2_provider")),
]
