from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("accounts/profile/", views.profile, name="profile"),
    path("accounts/language/", views.language_choose, name="language"),
    path("accounts/tokens/<int:pk>/revoke/", views.api_token_revoke_view, name="api_token_revoke"),
]
