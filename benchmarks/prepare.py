"""The Django side of the benchmark's set-up, run with the server's own environment:

    python -m benchmarks.prepare admin principal-s0001
    → {"settings": {"DEBUG": false, …}, "sessions": {"admin": "<session key>", …}, "paths": {…}}

It shows which configuration the server will load (so a stray DEBUG=True in a shell or a .env
cannot slip into the figures) and logs users in without the HTTP login form: that form would set a
Secure cookie which plain-HTTP benchmarking cannot carry, and would go through django-axes. A
session written straight to the store is what a browser holds after logging in.
"""

import json
import os
import sys
from importlib import import_module


def production_settings_summary() -> dict:
    from django.conf import settings

    database = settings.DATABASES["default"]
    loaders = json.dumps(settings.TEMPLATES[0]["OPTIONS"]["loaders"])
    return {
        "DEBUG": settings.DEBUG,
        "database": f"{database['ENGINE'].rsplit('.', 1)[-1]}/{database['NAME']}",
        "CONN_MAX_AGE": database.get("CONN_MAX_AGE"),
        "CONN_HEALTH_CHECKS": database.get("CONN_HEALTH_CHECKS"),
        "cached_templates": "django.template.loaders.cached.Loader" in loaders,
        "SESSION_ENGINE": settings.SESSION_ENGINE,
        "cache": settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1],
    }


def session_keys_for(usernames: list[str]) -> dict[str, str]:
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model

    store = import_module(settings.SESSION_ENGINE).SessionStore
    keys = {}
    for user in get_user_model().objects.filter(username__in=usernames):
        session = store()
        session[SESSION_KEY] = user._meta.pk.value_to_string(user)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        keys[user.username] = session.session_key
    missing = set(usernames) - set(keys)
    if missing:
        raise SystemExit(f"No such user(s): {', '.join(sorted(missing))}")
    return keys


def object_paths() -> dict[str, str]:
    """The addresses of pages named by a row's key, which the seeded district decides: S0001's contract
    and liaison-1's caseload. A page the district does not have is left out (the benchmark then stops)."""
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    from contracts.models import PerformanceContract

    paths = {}
    contract = PerformanceContract.objects.filter(school__code="S0001").order_by("-pk").first()
    if contract is not None:
        paths["contract_s0001"] = reverse("contracts:contract_detail", args=[contract.pk])
    liaison = get_user_model().objects.filter(username="liaison-1").first()
    if liaison is not None:
        paths["caseload_liaison_1"] = reverse("liaison_caseload", args=[liaison.pk])
    return paths


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.settings")
    import django

    django.setup()
    summary = {"settings": production_settings_summary(), "sessions": session_keys_for(sys.argv[1:])}
    print(json.dumps({**summary, "paths": object_paths()}))
