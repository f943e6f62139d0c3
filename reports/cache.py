"""The public pages, kept in the shared cache under a version that every change they show moves on:
a grant's change (core.hooks.grants_changed), a finished evaluation (evaluation_finished), a publication
(publication_changed: a new suppression policy), a contract or a catalog entry saved. Old versions are
never read again and expire on their own. The version is one of core.versions' named versions ("public").

A large file (the open data) is kept gzipped too, beside its plain body under the same key and version:
compressed by the first request that asks for it after a change, then answered as it is kept. Nothing in
the middleware compresses (WhiteNoise compresses static files only), so this is the one place it happens."""

import functools
import gzip

from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language

from core.versions import version_bump, version_get

PAGE_TIMEOUT = 60 * 60  # seconds; a change moves the version at once, this only bounds the memory
# Level 6 (zlib's default): on the results file level 9 takes about four times as long for 3 % fewer bytes.
GZIP_LEVEL = 6
GZIPPED = "|gzip"  # the gzipped body's key: the plain body's key, so the same version bumps leave both


def public_version() -> int:
    return version_get("public")


def public_version_bump(**_kwargs) -> None:
    """A receiver of the hooks: the next request of any public page is built afresh."""
    version_bump("public")


def gzip_accepted(accept_encoding: str) -> bool:
    """Whether an Accept-Encoding header admits gzip: named (or x-gzip), or covered by `*`, with a q above 0."""
    qualities: dict[str, float] = {}
    for part in accept_encoding.split(","):
        coding, *parameters = (piece.strip() for piece in part.split(";"))
        quality = 1.0
        for parameter in parameters:
            name, _, value = parameter.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if coding:
            qualities[coding.lower()] = quality
    for coding in ("gzip", "x-gzip", "*"):
        if coding in qualities:
            return qualities[coding] > 0
    return False


def _answer(kept: tuple, *, gzipped: bool = False) -> HttpResponse:
    content, content_type, disposition = kept
    response = HttpResponse(content, content_type=content_type)
    if disposition:
        response["Content-Disposition"] = disposition
    if gzipped:
        response["Content-Encoding"] = "gzip"
        response["Content-Length"] = str(len(content))
    return response


def cached_public(view=None, *, params: tuple[str, ...] = (), compress: bool = False):
    """Keep a public answer (200 only) per version, language, path and the query parameters the view
    reads (`params`): any other parameter changes nothing on the page, so it makes no new entry either.
    With `compress`, a client that admits gzip is answered the body gzipped, compressed once per version."""
    if view is None:
        return functools.partial(cached_public, params=params, compress=compress)

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        query = "&".join(f"{name}={value}" for name in params for value in request.GET.getlist(name))
        key = f"reports:page:{public_version()}:{get_language()}:{request.path}?{query}"
        if not compress:
            return _kept_or_built(key, view, request, *args, **kwargs)
        if not gzip_accepted(request.headers.get("Accept-Encoding", "")):
            response = _kept_or_built(key, view, request, *args, **kwargs)
        elif (kept := cache.get(key + GZIPPED)) is not None:
            response = _answer(kept, gzipped=True)
        else:
            response = _gzipped(key, view, request, *args, **kwargs)
        patch_vary_headers(response, ["Accept-Encoding"])
        return response

    return wrapper


def _kept_or_built(key: str, view, request, *args, **kwargs) -> HttpResponse:
    kept = cache.get(key)
    if kept is not None:
        return _answer(kept)
    response = view(request, *args, **kwargs)
    _keep(key, response)
    return response


def _keep(key: str, response) -> tuple | None:
    """What was kept of a 200 (None for any other answer, which is never kept)."""
    if response.status_code != 200 or getattr(response, "streaming", False):
        return None
    if hasattr(response, "render") and not response.is_rendered:
        response.render()
    kept = (response.content, response["Content-Type"], response.get("Content-Disposition", ""))
    cache.set(key, kept, PAGE_TIMEOUT)
    return kept


def _gzipped(key: str, view, request, *args, **kwargs) -> HttpResponse:
    """The plain body (kept, or built and kept) compressed and kept under the same version's key."""
    kept = cache.get(key)
    if kept is None:
        response = view(request, *args, **kwargs)
        kept = _keep(key, response)
        if kept is None:
            return response
    content, content_type, disposition = kept
    zipped = (gzip.compress(content, compresslevel=GZIP_LEVEL, mtime=0), content_type, disposition)
    cache.set(key + GZIPPED, zipped, PAGE_TIMEOUT)
    return _answer(zipped, gzipped=True)
