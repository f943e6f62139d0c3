from django.urls import path

from accounts.sso import views

app_name = "sso"

urlpatterns = [
    path("sso/start/", views.SignInStartView.as_view(), name="start"),
    path("sso/callback/", views.SignInCallbackView.as_view(), name="callback"),
    path("sso/logout/", views.ProviderLogoutView.as_view(), name="logout"),
]
