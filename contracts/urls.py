from django.urls import path

from contracts import views, views_commitments, views_editing

app_name = "contracts"

urlpatterns = [
    path("contracts/", views.contract_list, name="contract_list"),
    path("contracts/new/", views.contract_new, name="contract_new"),
    path("contracts/from-request/<int:request_pk>/", views.contract_from_request, name="contract_from_request"),
    path("contracts/commitments/", views_commitments.commitment_list, name="commitment_list"),
    path("contracts/commitments/<int:pk>/deliver/", views_commitments.commitment_deliver, name="commitment_deliver"),
    path("contracts/<int:pk>/commitments/", views_commitments.contract_commitments, name="contract_commitments"),
    path(
        "contracts/<int:pk>/commitments/<slug:key>/",
        views_commitments.contract_commitment_edit,
        name="contract_commitment_edit",
    ),
    path("contracts/<int:pk>/", views.contract_detail, name="contract_detail"),
    path("contracts/<int:pk>/print/", views.contract_print, name="contract_print"),
    path("contracts/<int:pk>/contract.pdf", views.contract_pdf, name="contract_pdf"),
    path("contracts/<int:pk>/changes/", views.contract_diff, name="contract_diff"),
    path("contracts/<int:pk>/edit/", views_editing.contract_edit, name="contract_edit"),
    path("contracts/<int:pk>/amend/", views.contract_amend_view, name="contract_amend"),
    path(
        "contracts/<int:pk>/benchmarks/<slug:key>/",
        views_editing.contract_benchmark_edit,
        name="contract_benchmark_edit",
    ),
    path("contracts/<int:pk>/rules/<slug:key>/", views_editing.contract_rule_edit, name="contract_rule_edit"),
    path("contracts/<int:pk>/<slug:action>/", views.contract_action, name="contract_action"),
]
