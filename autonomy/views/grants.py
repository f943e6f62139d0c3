"""The grants ledger: per-school history, the district matrix and its CSV, changes by the autonomy office."""
from django.http import Http404


def _pending(*args, **kwargs):
    raise Http404("Not yet available.")


school_grants = grants_matrix = grants_matrix_csv = grant_change = grants_issue_scope = flexibility_list = _pending
