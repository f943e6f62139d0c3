"""Requests: the principal's multi-step form, the reviewers' queue and comments, the admin's decision."""
# Views are being written; every name below is routed in autonomy/urls.py.
from django.http import Http404


def _pending(*args, **kwargs):
    raise Http404("Not yet available.")


request_list = request_start = request_edit = request_detail = request_action = _pending
request_comment = request_item_clarify = request_decide = review_queue = call_list = call_create = _pending
