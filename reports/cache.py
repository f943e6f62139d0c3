"""The public pages, kept in the shared cache under a version that every change they show moves on:
a grant's change (core.hooks.grants_changed), a finished evaluation (evaluation_finished), a publication
(publication_changed: a new suppression policy), a contract or a catalog entry saved. Old versions are
never read again and expire on their own. The version is one of core.versions' named versions ("public")."""

import functools

from django.core.cache import cache
from django.http import HttpResponse
from django.utils.translation import get_language

from core.versions import version_bump, version_get

PAGE_TIMEOUT = 60 * 60  # seconds; a change moves the version at once, this only bounds the memory


def public_version() -> int:
    return version_get("public")


def public_version_bump(**_kwargs) -> None:
    """A receiver of the hooks: the next request of any public page is built afresh."""
    version_bump("public")


def cached_public(view=None, *, params: tuple[str, ...] = ()):
    """Keep a public answer (200 only) per version, language, path and the query parameters the view
    reads (`params`): any other parameter changes nothing on the page, so it makes no new entry either."""
    if view is None:
        return functools.partial(cached_public, params=params)

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        query = "&".join(f"{name}={value}" for name in params for value in request.GET.getlist(name))
        key = f"reports:page:{public_version()}:{get_language()}:{request.path}?{query}"
        kept = cache.get(key)
        if kept is not None:
            content, content_type, disposition = kept
            response = HttpResponse(content, content_type=content_type)
            if disposition:
                response["Content-Disposition"] = disposition
            return response
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not getattr(response, "streaming", False):
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
            kept = (response.content, response["Content-Type"], response.get("Content-Disposition", ""))
            cache.set(key, kept, PAGE_TIMEOUT)
        return response

    return wrapper
