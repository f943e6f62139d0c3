from django.urls import path

from accounts.sso import views

app_name = "sso"

# The site's logout (views.ProviderLogoutView) is registered as "logout" in sgs_portal/urls.py.
urlpatterns = [
    path("sso/start/", views.SignInStartView.as_view(), name="start"),
    path("sso/callback/", views.SignInCallbackView.as_view(), name="callback"),
]
