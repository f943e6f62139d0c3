from django.urls import path

from schools.roster import views as roster_views

app_name = "schools"

urlpatterns = [
    path("roster/import/", roster_views.roster_import, name="roster_import"),
    path("roster/import/<int:pk>/", roster_views.roster_import_detail, name="roster_import_detail"),
    path("roster/import/<int:pk>/apply/", roster_views.roster_import_apply, name="roster_import_apply"),
    path("roster/mapping/", roster_views.roster_mapping, name="roster_mapping"),
]
