from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from accounts.forms import AdminLoginForm, LoginForm
from accounts.sso.views import ProviderLogoutView
from core.views import healthz, inbox, inbox_mark_read
from sgs_portal.api import urlpatterns as api_urlpatterns
from sgs_portal.caseload import liaison_caseload_view
from sgs_portal.views import home, page_not_found, server_error

admin.site.login_form = AdminLoginForm

urlpatterns = [
    *api_urlpatterns,
    path("", home, name="home"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(authentication_form=LoginForm, redirect_authenticated_user=True),
        name="login",
    ),
    # Logging out ends the district provider's session too, where single sign-on is on and the provider can.
    path("accounts/logout/", ProviderLogoutView.as_view(), name="logout"),
    path("", include("accounts.sso.urls")),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("inbox/", inbox, name="inbox"),
    path("inbox/read/", inbox_mark_read, name="inbox_mark_read"),
    path("", include("accounts.urls")),
    path("", include("schools.urls")),
    path("", include("metrics.urls")),
    path("", include("autonomy.urls")),
    path("", include("budgeting.urls")),
    path("", include("contracts.urls")),
    path("", include("accountability.urls")),
    # A liaison's caseload shows the schools' flags beside the partnership log, so it is composed here.
    path("support/caseloads/<int:liaison_id>/", liaison_caseload_view, name="liaison_caseload"),
    path("support/", include("support.urls")),
    path("reports/", include("reports.urls")),
    path("impact/", include("impact.urls")),
]

handler404 = page_not_found
handler500 = server_error
