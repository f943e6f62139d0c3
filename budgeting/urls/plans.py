"""The plans pages of budgeting; budgeting/urls/__init__.py joins every module's patterns."""

from django.urls import path

from budgeting.views import plans as views

urlpatterns = [
    path("schools/<str:code>/budget-plan/", views.plan_detail, name="plan_detail"),
    path("schools/<str:code>/budget-plan/start/", views.plan_start, name="plan_start"),
    path("budget-plans/review/", views.plan_queue, name="plan_queue"),
    path("budget-plans/<int:pk>/positions/new/", views.plan_position_add, name="plan_position_add"),
    path(
        "budget-plans/<int:pk>/positions/<int:position_pk>/edit/",
        views.plan_position_edit,
        name="plan_position_edit",
    ),
    path(
        "budget-plans/<int:pk>/positions/<int:position_pk>/remove/",
        views.plan_position_remove,
        name="plan_position_remove",
    ),
    path("budget-plans/<int:pk>/lines/new/", views.plan_line_add, name="plan_line_add"),
    path("budget-plans/<int:pk>/lines/<int:line_pk>/edit/", views.plan_line_edit, name="plan_line_edit"),
    path("budget-plans/<int:pk>/lines/<int:line_pk>/remove/", views.plan_line_remove, name="plan_line_remove"),
    path("budget-plans/<int:pk>/submit/", views.plan_submit, name="plan_submit"),
    path("budget-plans/<int:pk>/review/", views.plan_review, name="plan_review"),
    path("budget-plans/<int:pk>/return/", views.plan_return, name="plan_return"),
    path("budget-plans/<int:pk>/approve/", views.plan_approve, name="plan_approve"),
    path("budget-plans/<int:pk>/history/", views.plan_history, name="plan_history"),
    path("budget-plans/<int:pk>/versions/<int:number>/", views.plan_version, name="plan_version"),
]
