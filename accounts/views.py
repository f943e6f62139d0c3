from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from accounts.forms import ApiTokenForm
from accounts.models import ApiToken
from accounts.selectors import api_tokens_for_user
from accounts.services import api_token_create, api_token_revoke, language_remember
from core.errors import ApplicationError, Conflict
from core.idempotency import create_once, once_per_form_key
from schools.models import Membership


def _render(request, form, *, new_token: str = "", status: int = 200):
    memberships = Membership.objects.filter(user=request.user).select_related("school").order_by("role", "school__code")
    context = {
        "form": form,
        "tokens": api_tokens_for_user(user=request.user),
        "memberships": memberships,
        "new_token": new_token,
    }
    return render(request, "accounts/profile.html", context, status=status)


@never_cache
@login_required
@once_per_form_key
def profile(request):
    """The user's account and API tokens. A new token is shown once, in the answer to its creation, and
    never stored in the session or a message."""
    if request.method != "POST":
        return _render(request, ApiTokenForm())
    form = ApiTokenForm(request.POST)
    if not form.is_valid():
        return _render(request, form, status=400)
    try:
        _token, raw = create_once(
            request,
            lambda: api_token_create(user=request.user, name=form.cleaned_data["name"]),
            result=lambda created: (
                reverse("accounts:profile"),
                _(
                    "the API token “%(name)s”. Its value is shown only once, in the answer to the first post; if you "
                    "did not copy it, revoke the token and create another"
                )
                % {"name": created[0].name},
            ),
        )
    except ApplicationError as error:
        for field, problems in error.fields.items():
            for problem in problems:
                form.add_error(field if field in form.fields else None, problem)
        if not error.fields:
            form.add_error(None, error.message)
        return _render(request, form, status=409 if isinstance(error, Conflict) else 400)
    return _render(request, ApiTokenForm(), new_token=raw, status=201)


@login_required
@require_POST
def api_token_revoke_view(request, pk: int):
    try:
        token = api_token_revoke(user=request.user, token_id=pk)
    except ApiToken.DoesNotExist:
        raise Http404 from None
    except Conflict as conflict:
        messages.error(request, conflict.message)
        return redirect("accounts:profile")
    messages.success(request, _("“%(name)s” is revoked: it no longer works.") % {"name": token.name})
    return redirect("accounts:profile")


@require_POST
def language_choose(request):
    """The language switch of the signed-in pages (and of the sign-in page): Django's set_language writes
    the cookie and goes back to `next` (on this site only); a signed-in person's choice is also kept on
    their account, so that it follows them to another device (accounts.language). A language the portal
    does not offer is refused (set_language would write any language Django itself knows into the cookie)."""
    language = request.POST.get("language", "")
    if language not in dict(settings.LANGUAGES):
        return HttpResponseBadRequest(_("Choose one of the portal's languages."), content_type="text/plain")
    response = set_language(request)
    if request.user.is_authenticated:
        language_remember(user=request.user, language=language)
    return response
