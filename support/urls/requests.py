"""The support request pages: a school's requests and asking for help, one request and its steps, the
department queue and overdue list, and the categories the autonomy office sets."""

from django.urls import path

from support.views import requests as views
from support.views import requests_office as office

urlpatterns = [
    path("requests/", views.request_home, name="request_home"),
    path("schools/<str:code>/requests/", views.school_requests, name="school_requests"),
    path("schools/<str:code>/requests/new/", views.request_new, name="request_new"),
    path("requests/<int:pk>/", views.request_detail, name="request_detail"),
    path("requests/<int:pk>/messages/", views.request_message, name="request_message"),
    path("requests/<int:pk>/<slug:action>/", views.request_step, name="request_step"),
    path("queue/", office.request_queue, name="request_queue"),
    path("queue/overdue/", office.request_overdue, name="request_overdue"),
    path("categories/", office.category_list, name="category_list"),
    path("categories/<int:pk>/", office.category_edit, name="category_edit"),
]
