from django.urls import path

from autonomy import views

urlpatterns = [
    path("schools/", views.district_overview, name="district_overview"),
    path("schools/<slug:code>/", views.school_decision_rights, name="school_detail"),
]
