"""The networks pages: the list and each network's page for the district's staff, a school's network page
with the principal's choice and opt-outs, and the autonomy office's queue and settings."""

from django.urls import path

from support.views import networks as views
from support.views import networks_school as school_views

urlpatterns = [
    path("networks/", views.network_list, name="network_list"),
    path("networks/<int:pk>/", views.network_detail, name="network_detail"),
    path("networks/<int:pk>/edit/", views.network_edit, name="network_edit"),
    path("networks/<int:pk>/team/", views.network_team, name="network_team"),
    path("networks/<int:pk>/team/<int:seat_pk>/remove/", views.network_team_remove, name="network_team_remove"),
    path("networks/<int:pk>/opt-outs/", views.network_allowances, name="network_allowances"),
    path(
        "networks/<int:pk>/opt-outs/<int:allowance_pk>/remove/",
        views.network_allowance_remove,
        name="network_allowance_remove",
    ),
    path("networks/window/", views.network_window, name="network_window"),
    path("networks/requests/", school_views.network_request_queue, name="network_request_queue"),
    path("networks/requests/<int:pk>/approve/", school_views.network_request_approve, name="network_request_approve"),
    path("networks/requests/<int:pk>/decline/", school_views.network_request_decline, name="network_request_decline"),
    path(
        "networks/requests/<int:pk>/withdraw/", school_views.network_request_withdraw, name="network_request_withdraw"
    ),
    path("schools/<str:code>/network/", school_views.network_school, name="network_school"),
    path("schools/<str:code>/network/request/", school_views.network_school_request, name="network_school_request"),
    path("schools/<str:code>/network/opt-outs/", school_views.network_school_opt_out, name="network_school_opt_out"),
    path(
        "schools/<str:code>/network/opt-outs/<int:pk>/withdraw/",
        school_views.network_school_opt_out_withdraw,
        name="network_school_opt_out_withdraw",
    ),
]
