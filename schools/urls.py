from django.urls import path

from schools.first_setup import views as setup_views
from schools.roster import views as roster_views

app_name = "schools"

urlpatterns = [
    path("roster/import/", roster_views.roster_import, name="roster_import"),
    path("roster/import/<int:pk>/", roster_views.roster_import_detail, name="roster_import_detail"),
    path("roster/import/<int:pk>/apply/", roster_views.roster_import_apply, name="roster_import_apply"),
    path("roster/mapping/", roster_views.roster_mapping, name="roster_mapping"),
    path("setup/", setup_views.first_setup, name="first_setup"),
    path("setup/district/", setup_views.first_setup_district, name="first_setup_district"),
    path("setup/school-year/", setup_views.first_setup_school_year, name="first_setup_school_year"),
    path("setup/<slug:key>/done/", setup_views.first_setup_confirm, name="first_setup_confirm"),
]
