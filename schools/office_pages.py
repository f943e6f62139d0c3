"""The pages only the autonomy office has (the first setup, the roster import): to anybody else there is no
such page, as on the other admin-only pages, rather than a page that refuses them."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404

from core.errors import NotPermitted
from schools.policies import autonomy_office


def office_only(view):
    """A page of the autonomy office: 404 for anybody else, and for somebody whose role was taken away
    between this check and the service's own (NotPermitted), so the answer does not tell them apart."""

    @wraps(view)
    def office_view(request, *args, **kwargs):
        if not autonomy_office(request.user):
            raise Http404("No such page.")
        try:
            return view(request, *args, **kwargs)
        except NotPermitted:
            raise Http404("No such page.") from None

    return login_required(office_view)
