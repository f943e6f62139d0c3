"""The formulas pages of budgeting; budgeting/urls/__init__.py joins every module's patterns."""

from django.urls import path

from budgeting.views import formulas

urlpatterns: list = [
    path("formulas/", formulas.formula_list, name="formula_list"),
    path("formulas/new/", formulas.formula_new, name="formula_new"),
    path("formulas/<int:pk>/", formulas.formula_detail, name="formula_detail"),
    path("formulas/<int:pk>/edit/<slug:part>/", formulas.formula_edit, name="formula_edit"),
    path("formulas/<int:pk>/publish/", formulas.formula_publish_view, name="formula_publish"),
]
