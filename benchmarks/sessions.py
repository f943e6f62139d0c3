"""Log users in without the HTTP login form: one database-backed session each, printed as JSON.

The login form would set a Secure cookie that plain-HTTP benchmarking cannot carry, and it would
go through django-axes; a session written straight to the store is what a browser would hold after
logging in. Run with the server's DATABASE_URL and settings:

    python -m benchmarks.sessions admin principal-s0001   →   {"admin": "<session key>", …}
"""

import json
import os
import sys


def session_keys_for(usernames: list[str]) -> dict[str, str]:
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from importlib import import_module

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


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.settings")
    import django

    django.setup()
    print(json.dumps(session_keys_for(sys.argv[1:])))
