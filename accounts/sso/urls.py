from django.urls import path

from accounts.sso import views

app_name = "sso"

urlpatterns = [
    path("sso/start/", views.SignInStartView.as_view(), name="start"),
    path("sso/callback/", views.SignInCallbackView.as_view(), name="callback"),
    # The site's logout address: see sgs_portal/urls.py, where this comes before Django's own.
    path("accounts/logout/", views.ProviderLogoutView.as_view(), name="logout"),
]
