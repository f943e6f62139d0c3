"""SGS Portal settings: one module, read from the environment (django-environ).

Every value a deployment changes comes from an environment variable; the defaults are those of a
developer's machine (SQLite, tasks run in-process). With DEBUG off the defaults are production-safe.
"""

from pathlib import Path
from urllib.parse import urlsplit

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

# --- Core ---------------------------------------------------------------------------------------
DEBUG = env.bool("DEBUG", default=False)
# Only a developer's machine (DEBUG on) may fall back to a known key: a deployment that forgot its own
# would sign sessions and password-reset links with a key anyone can read here.
SECRET_KEY = env("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it in the environment (a long random string); only DEBUG=true runs without one."
        )
    SECRET_KEY = "insecure-development-key-set-SECRET_KEY-in-production-0123456789abcdefghij"
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "template_partials",
    "django_htmx",
    "csp",
    "axes",
    "django_celery_results",
    "core",
    "accounts",
    "schools",
    "support",
    "metrics",
    "autonomy",
    "budgeting",
    "contracts",
    "accountability",
    "reports",
    "impact",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language of a page: the visitor's choice (a cookie, set by the public pages' switch), else the browser's.
    "django.middleware.locale.LocaleMiddleware",
    # A signed-in person's language is kept on their account too; the answer to a sign-in sets it here.
    "accounts.language.RememberedLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "core.middleware.PrivateResponsesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes requires, so that it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "sgs_portal.urls"
WSGI_APPLICATION = "sgs_portal.wsgi.application"

_template_loaders = [
    "django.template.loaders.filesystem.Loader",
    "django.template.loaders.app_directories.Loader",
]
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "sgs_portal.context_processors.navigation",
            ],
            # template_partials wraps the loaders; cached in production, fresh in development.
            "loaders": [
                (
                    "template_partials.loader.Loader",
                    _template_loaders if DEBUG else [("django.template.loaders.cached.Loader", _template_loaders)],
                )
            ],
            "builtins": ["template_partials.templatetags.partials"],
        },
    }
]

# --- Database -----------------------------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # Plain cursors: server-side ones cost a round trip each and break behind a transaction pooler.
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache: Redis when configured (shared by gunicorn workers), else in-process -----------------
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    CACHES["default"]["BACKEND"] = "core.cache.RedisCache"  # one Redis client per pool, not per call
# A cache in each process's own memory cannot hear that another worker logged a user out or removed a
# role, so what decides who a user is and what they may do is cached across requests only in a shared
# cache; otherwise sessions are read from the database and roles once per request. core/checks.py
# fails `check --deploy` without a shared cache: the API's throttles count in it too.
SHARED_CACHE = CACHES["default"]["BACKEND"] not in {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}

# --- Authentication -----------------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Sessions are read from the shared cache and written through to the database; without a shared
# cache, from the database on every request, so that a logout is seen by every worker at once.
SESSION_ENGINE = "django.contrib.sessions.backends." + ("cached_db" if SHARED_CACHE else "db")
# Seconds a user's roles (schools.policies.roles_of) are kept in the shared cache; 0: read once per request.
ROLES_CACHE_TIMEOUT = 300 if SHARED_CACHE else 0
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Login throttling: five failures for a username from one address locks it for 15 minutes.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)

# --- Internationalization -----------------------------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = env("TIME_ZONE", default="America/Chicago")  # the district's time zone
USE_I18N = True
# The public reports are in English and Spanish; each app keeps its translations in <app>/locale.
LANGUAGES = [("en", "English"), ("es", "Español")]
# The signed-in pages' strings in templates/ and sgs_portal/ (each app's own are in <app>/locale). Made from
# the project's root with every app left out:
#   python manage.py makemessages -l es $(for app in */apps.py; do printf -- "-i %s " "${app%/apps.py}"; done) \
#     -i .venv -i node_modules -i static -i tests -i benchmarks
LOCALE_PATHS = [BASE_DIR / "sgs_portal" / "locale"]
# The language switch's cookie (the public pages' and the signed-in pages'): sent back over HTTPS only, not
# read by scripts; the choice is kept a year.
LANGUAGE_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
USE_TZ = True

# --- Static files: collected and served by WhiteNoise, nothing from a CDN ------------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# --- Security: strict unless DEBUG ----------------------------------------------------------------
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = 0 if DEBUG else env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# --- Single sign-on (OpenID Connect) through mozilla-django-oidc -----------------------------------
# Off while OIDC_ISSUER_URL is empty: the product then signs in with portal passwords only, as before.
# The provider's endpoints come from its discovery document (issuer + /.well-known/openid-configuration).
OIDC_ISSUER_URL = env("OIDC_ISSUER_URL", default="")
OIDC_RP_CLIENT_ID = env("OIDC_CLIENT_ID", default="")
OIDC_RP_CLIENT_SECRET = env("OIDC_CLIENT_SECRET", default="")
# Shown under the button: "You will sign in at <name> and come back here" (e.g. "Google", "Microsoft").
OIDC_PROVIDER_NAME = env("OIDC_PROVIDER_NAME", default="")
# A first sign-in may link the one active account holding the provider's verified email; off, the
# autonomy office links each district identity in the admin. Single sign-on never creates accounts.
OIDC_MATCH_BY_EMAIL = env.bool("OIDC_MATCH_BY_EMAIL", default=False)
# Off: nobody logs in with a portal password except the break-glass usernames (for when the provider is down).
LOCAL_PASSWORDS = env.bool("LOCAL_PASSWORDS", default=True)
BREAK_GLASS_USERNAMES = env.list("BREAK_GLASS_USERNAMES", default=[])
OIDC_RP_SIGN_ALGO = env("OIDC_SIGN_ALGO", default="RS256")
OIDC_RP_SCOPES = "openid email profile"
OIDC_USE_PKCE = True
OIDC_TIMEOUT = env.int("OIDC_TIMEOUT", default=10)  # seconds for each call to the provider
OIDC_DISCOVERY_CACHE_SECONDS = env.int("OIDC_DISCOVERY_CACHE_SECONDS", default=3600)
OIDC_AUTHENTICATION_CALLBACK_URL = "sso:callback"
if OIDC_ISSUER_URL:
    if not (OIDC_RP_CLIENT_ID and OIDC_RP_CLIENT_SECRET):
        raise ImproperlyConfigured("OIDC_ISSUER_URL is set: set OIDC_CLIENT_ID and OIDC_CLIENT_SECRET too.")
    AUTHENTICATION_BACKENDS.append("accounts.sso.backend.DistrictOIDCBackend")
    # Sign-out is a form whose answer redirects to the provider's end-session endpoint.
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"].append(
        "{0.scheme}://{0.netloc}".format(urlsplit(OIDC_ISSUER_URL))
    )
if not LOCAL_PASSWORDS and not OIDC_ISSUER_URL:
    raise ImproperlyConfigured("LOCAL_PASSWORDS is off but OIDC_ISSUER_URL is not set: nobody could sign in.")

# --- Email --------------------------------------------------------------------------------------
if "EMAIL_URL" in env:
    vars().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = "core.mail.StderrEmailBackend"  # printed, not sent
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="SGS Portal <noreply@localhost>")
# The site's address as its users reach it: links in emails are made absolute with it.
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")

# --- The nightly evaluation's guardrails ---------------------------------------------------------
# A run that would suspend or revoke more than this share of the live grants stops "held" for an admin
# to confirm or discard on the evaluation page (a single grant is never held: one case is not a mass change).
EVALUATION_MAX_GRANT_CHANGE_SHARE = env.float("EVALUATION_MAX_GRANT_CHANGE_SHARE", default=0.10)
# A run is held too when, for a metric its benchmarks use, more than this share of the period's values
# are zero (a metric where higher is better) or, once the period is over, of its benchmarks have no data.
EVALUATION_ANOMALY_SHARE = env.float("EVALUATION_ANOMALY_SHARE", default=0.5)

# --- Celery: broker on Redis, results in the database ------------------------------------------
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
# With no broker, tasks run in-process at .delay() time (a developer's machine, `make demo`).
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = "django-db"
CELERY_RESULT_EXTENDED = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TIMEZONE = TIME_ZONE
# A task is acknowledged after it ran, and re-queued if its worker dies; every task is idempotent.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Seconds. The tests of a killed worker shorten all three through the environment.
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=25 * 60)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=30 * 60)
# Redis redelivers an unacknowledged task after the visibility timeout: it must exceed the hard
# limit, or a long task would run twice. Broker and result transport share the value. A worker
# looks for such tasks every interval × throttle seconds (kombu's default: 10 × 10).
CELERY_VISIBILITY_TIMEOUT = env.int("CELERY_VISIBILITY_TIMEOUT", default=CELERY_TASK_TIME_LIMIT + 10 * 60)
if not CELERY_TASK_SOFT_TIME_LIMIT < CELERY_TASK_TIME_LIMIT < CELERY_VISIBILITY_TIMEOUT:
    raise ImproperlyConfigured(
        "CELERY_TASK_SOFT_TIME_LIMIT < CELERY_TASK_TIME_LIMIT < CELERY_VISIBILITY_TIMEOUT must hold, "
        "or a task still running would be handed to a second worker."
    )
_visibility = {"visibility_timeout": CELERY_VISIBILITY_TIMEOUT}
CELERY_BROKER_TRANSPORT_OPTIONS = {
    **_visibility,
    "unacked_restore_interval": env.int("CELERY_UNACKED_RESTORE_INTERVAL", default=10),
    "unacked_restore_throttle": env.int("CELERY_UNACKED_RESTORE_THROTTLE", default=10),
}
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = _visibility
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_TASK_DEFAULT_QUEUE", default="celery")
CELERY_BEAT_SCHEDULE = {
    "evaluate-benchmarks-nightly": {
        "task": "accountability.tasks.evaluate_benchmarks_nightly",
        "schedule": crontab(hour=2, minute=0),
    },
    # Service surveys past their closing date close (and their results appear) shortly after midnight.
    "survey-cycles-close-nightly": {
        "task": "support.tasks.survey_cycles_close_nightly",
        "schedule": crontab(hour=0, minute=15),
    },
    # Schools approved into a network ahead of a school year move there when the year begins.
    "network-memberships-start-nightly": {
        "task": "support.tasks.network_memberships_start_nightly",
        "schedule": crontab(hour=0, minute=20),
    },
    # Emails are sent after the commit that queued them; this catches any whose enqueue was lost.
    "outbox-sweep": {"task": "core.tasks.outbox_send", "schedule": crontab(minute="*/5")},
}
# A run whose attempts keep dying with their worker (killed, out of memory) is marked failed after this
# many, instead of being redelivered forever. A redelivered run waits up to EVALUATION_LOCK_WAIT seconds
# for the lost attempt's database session to end and free the run's lock.
EVALUATION_MAX_ATTEMPTS = env.int("EVALUATION_MAX_ATTEMPTS", default=3)
EVALUATION_LOCK_WAIT = env.int("EVALUATION_LOCK_WAIT", default=60)
# The district's cure period: the days a school has, once a rule puts its autonomy at risk, to meet the
# benchmark again before the autonomy is suspended.
CURE_PERIOD_DAYS = env.int("CURE_PERIOD_DAYS", default=60)
# The email outbox: rows per transaction of the sender, and tries before a row is failed for an admin.
OUTBOX_BATCH_SIZE = env.int("OUTBOX_BATCH_SIZE", default=100)
OUTBOX_MAX_ATTEMPTS = env.int("OUTBOX_MAX_ATTEMPTS", default=5)

# --- REST framework -----------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["core.api.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "core.api.schema.ApiSchema",
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "core.api.filters.StableOrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "core.api.pagination.ApiPagination",
    "DEFAULT_THROTTLE_CLASSES": ["core.api.throttling.TokenRateThrottle"],
    "EXCEPTION_HANDLER": "core.api.throttling.api_exception_handler_counting_failed_authentication",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    # Proxies in front of the app whose X-Forwarded-For is trusted for the per-address limit; with 0 the
    # address is the connection's, which a client cannot choose (it could any X-Forwarded-For it sends).
    "NUM_PROXIES": env.int("NUM_PROXIES", default=0),
}
# Requests per token (or per logged-in user, or per address when anonymous); empty turns it off.
API_THROTTLE_RATE = env("API_THROTTLE_RATE", default="1200/min")
API_ANONYMOUS_THROTTLE_RATE = env("API_ANONYMOUS_THROTTLE_RATE", default="60/min")
# Rows accepted by one bulk call (POST /api/v1/observations/bulk/).
API_BULK_MAX_ROWS = 10_000
SPECTACULAR_SETTINGS = {
    "TITLE": "SGS Portal API",
    "DESCRIPTION": (
        "School autonomy, performance contracts and accountability. Authenticate with a personal token "
        "from your profile page: `Authorization: Bearer <token>`. The API answers as you: it shows and "
        "changes exactly what your pages do. Every error has the shape "
        '`{"error": code, "detail": text, "fields": {field: [messages]}}`.'
    ),
    "VERSION": "1.0.0",
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {},
    # Swagger UI from the installed package, never a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# --- Logging ------------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
