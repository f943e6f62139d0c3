"""Contract pages: what the school may decide, what it must achieve, what happens if it does not."""
# Views are being written; every name below is routed in contracts/urls.py.
from django.http import Http404


def _pending(*args, **kwargs):
    raise Http404("Not yet available.")


contract_list = contract_detail = contract_print = contract_pdf = contract_action = contract_amend = _pending
contract_diff = contract_edit = contract_new = contract_from_request = _pending
