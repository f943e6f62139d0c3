from django.urls import path

from autonomy.views import calls, catalog, grants, requests, review, schools

app_name = "autonomy"

urlpatterns = [
    path("schools/", schools.district_overview, name="district_overview"),
    path("schools/<slug:code>/", schools.school_decision_rights, name="school_detail"),
    path("schools/<slug:code>/grants/", grants.school_grants, name="school_grants"),
    # Requests and their review
    path("requests/", requests.request_list, name="request_list"),
    path("requests/new/<int:call_id>/", requests.request_start, name="request_start"),
    path("requests/<int:pk>/", requests.request_detail, name="request_detail"),
    path("requests/<int:pk>/edit/<slug:step>/", requests.request_edit, name="request_edit"),
    path("requests/<int:pk>/comment/", review.request_comment_view, name="request_comment"),
    path(
        "requests/<int:pk>/items/<int:item_pk>/clarify/", review.request_item_clarify_view, name="request_item_clarify"
    ),
    path("requests/<int:pk>/decide/", review.request_decide_view, name="request_decide"),
    path("requests/<int:pk>/<slug:action>/", requests.request_action, name="request_action"),
    path("review/", review.review_queue, name="review_queue"),
    path("calls/", calls.call_list, name="call_list"),
    path("calls/new/", calls.call_create_view, name="call_create"),
    # The grants ledger
    path("grants/", grants.grants_matrix, name="grants_matrix"),
    path("grants/export.csv", grants.grants_matrix_csv, name="grants_matrix_csv"),
    path("grants/issue/", grants.grants_issue_scope, name="grants_issue_scope"),
    path("grants/<int:pk>/change/", grants.grant_change_view, name="grant_change"),
    path("flexibilities/", grants.flexibility_list, name="flexibility_list"),
    # The autonomy catalog: what each decision right lets a school decide, and its boundaries
    path("catalog/", catalog.catalog_list, name="catalog"),
    path("catalog/<str:code>/", catalog.catalog_entry, name="catalog_entry"),
    path("catalog/<str:code>/edit/", catalog.catalog_edit, name="catalog_edit"),
]
