"""Saferhub settings, driven by environment variables.

With nothing set, Saferhub runs with ``DEBUG`` off on an embedded SQLite file
under ``var/``; ``make run`` turns ``DEBUG`` on for the demo, and the tests
run with it on (``saferhub/settings_test.py``). A real installation sets at least
``SECRET_KEY``, ``ALLOWED_HOSTS`` and a PostgreSQL ``DATABASE_URL``, and is
started by ``make serve`` (docs/deploy.md).
"""

import os
import sys
from pathlib import Path

import dj_database_url

if sys.version_info < (3, 11):  # noqa: UP036 - a clear message for older Pythons
    raise SystemExit("Saferhub needs Python 3.11 or newer.")

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.getenv("SAFERHUB_VAR_DIR", BASE_DIR / "var"))


def envbool(name: str, default: bool) -> bool:
    value = os.getenv(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def envint(name: str, default: int) -> int:
    value = os.getenv(name)
    return int(value) if value else default


# Off unless set: only `make run` (the local demo) shows Django's technical pages.
DEBUG = envbool("DEBUG", False)
SECRET_KEY = os.getenv("SECRET_KEY", "")
if not SECRET_KEY and DEBUG:
    # Development only: a fixed key so sessions survive restarts of `make run`.
    SECRET_KEY = "dev-only-insecure-key-change-me-" + "x" * 32
# Without DEBUG and SECRET_KEY, management commands (migrate, makemigrations, backup) still run;
# serving refuses to start (saferhub/wsgi.py, `make serve`), and signing anything fails loudly.

# Empty unless set: with DEBUG off every request is refused until the installation names its hosts
# (with DEBUG on, Django allows localhost).
ALLOWED_HOSTS = [h.strip() for h in os.getenv("ALLOWED_HOSTS", "").split(",") if h.strip()]
CSRF_TRUSTED_ORIGINS = [o for o in os.getenv("CSRF_TRUSTED_ORIGINS", "").split(",") if o]
# The address e-mailed links start with; `make run` sets it from PORT.
SITE_URL = os.getenv("SITE_URL", f"http://127.0.0.1:{envint('PORT', 8000)}")

# Local demo only: lets the demo users sign in without a second factor.
SAFERHUB_DEMO = envbool("SAFERHUB_DEMO", False)
if SAFERHUB_DEMO and not DEBUG:
    raise SystemExit("SAFERHUB_DEMO may only be used with DEBUG=True.")
REQUIRE_TWO_FACTOR = not SAFERHUB_DEMO and envbool("REQUIRE_TWO_FACTOR", True)
OTP_TOTP_ISSUER = os.getenv("OTP_TOTP_ISSUER", "Saferhub")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    "template_partials",
    "django_tasks",
    "django_tasks_db",
    "saferhub.core",
    "saferhub.accounts",
    "saferhub.audit",
    "saferhub.people",
    "saferhub.places",
    "saferhub.cases",
    "saferhub.imports",
    "saferhub.reporting",
    "saferhub.assessments",
    "saferhub.directory",
    "saferhub.victims",
    "saferhub.iom",
    "saferhub.panels",
    "saferhub.asb",
    "saferhub.setup",
    "saferhub.crime",
    "saferhub.retention",
    "saferhub.governance",
    "saferhub.boardpack",
    "saferhub.boards",
    "saferhub.missing",
    "saferhub.search",
    "saferhub.notifications",
    "saferhub.letters",
    "saferhub.rj",
    # The open API (issue 17): DRF, its OpenAPI schema and docs assets, OAuth2 client credentials
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "oauth2_provider",
    "saferhub.api",
]

MIDDLEWARE = [
    "saferhub.core.requestlog.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "saferhub.accounts.middleware.RequireSignInMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "saferhub.urls"
WSGI_APPLICATION = "saferhub.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "saferhub.core.context_processors.saferhub",
            ],
            "builtins": ["template_partials.templatetags.partials"],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        os.getenv("DATABASE_URL", f"sqlite:///{VAR_DIR / 'saferhub.sqlite3'}"),
        conn_max_age=envint("DATABASE_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers wait for each other instead of failing with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update({"timeout": 20, "transaction_mode": "IMMEDIATE"})

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Single sign-on (saferhub/api/sso.py): password sign-in switched off per partnership, then OIDC.
    "saferhub.api.sso.PasswordSignInSwitch",
    "django.contrib.auth.backends.ModelBackend",
    "saferhub.api.sso.PartnershipOIDCBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:sign-in"
LOGIN_REDIRECT_URL = "core:home"

# Lock-out after repeated failures (django-axes), per user name and address.
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = envint("AXES_COOLOFF_MINUTES", 30) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False

# Idle expiry: each request pushes the expiry forward.
SESSION_COOKIE_AGE = envint("SESSION_IDLE_SECONDS", 30 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# drf-spectacular names the schema's enums after their fields; where two models share a field name with
# different choices it warns and picks a suffixed name (…CecEnum). The schema stays correct.
SILENCED_SYSTEM_CHECKS: list[str] = ["drf_spectacular.W001"]

if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", True)
    # Load balancers ask for /healthz over plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", False)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if envbool("BEHIND_PROXY", False) else None
    if not SECURE_HSTS_PRELOAD:
        # Preloading is opt-in per installation: hard to undo, and it binds the whole domain.
        SILENCED_SYSTEM_CHECKS.append("security.W021")

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]

STATIC_URL = "static/"
STATIC_ROOT = Path(os.getenv("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "saferhub" / "static"]
# Uploaded files; `manage.py backup` archives this directory with the database.
MEDIA_ROOT = Path(os.getenv("MEDIA_ROOT", VAR_DIR / "files"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # WhiteNoise serves the collected files (`make serve` runs collectstatic) with hashed names and
    # far-future caching; with DEBUG on, names are not hashed and no manifest is needed.
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# The worker pool: "database" (django-tasks' database backend, `manage.py db_worker`) or
# "celery" (saferhub.core.celery_backend: Celery workers, Redis or RabbitMQ as broker). The
# task code is the same either way; a dotted path picks any other django-tasks backend.
TASKS_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "celery": "saferhub.core.celery_backend.CeleryBackend",
}
TASKS_BACKEND = os.getenv("TASKS_BACKEND", "database")
TASKS = {"default": {"BACKEND": TASKS_BACKENDS.get(TASKS_BACKEND, TASKS_BACKEND)}}
CELERY_BROKER_URL = os.getenv("CELERY_BROKER_URL", "redis://127.0.0.1:6379/0")
CELERY_RESULT_BACKEND = os.getenv("CELERY_RESULT_BACKEND", CELERY_BROKER_URL)
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]

EMAIL_BACKEND = os.getenv("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.getenv("DEFAULT_FROM_EMAIL", "saferhub@localhost")

# Victims' Code: first contact within this many working days of referral.
VICTIM_FIRST_CONTACT_WORKING_DAYS = envint("VICTIM_FIRST_CONTACT_WORKING_DAYS", 2)
# Break-glass access lasts this long before a new reason is needed.
BREAK_GLASS_MINUTES = envint("BREAK_GLASS_MINUTES", 60)
# Imports write in batches of this many rows inside their one transaction.
IMPORT_BATCH_SIZE = envint("IMPORT_BATCH_SIZE", 500)
# Uploaded files of more rows than this are imported in the background by the task worker.
IMPORT_BACKGROUND_ROWS = envint("IMPORT_BACKGROUND_ROWS", 2000)
# Where those uploads wait for the worker: private, never under a web root (the worker must see it too).
IMPORT_UPLOAD_DIR = Path(os.getenv("IMPORT_UPLOAD_DIR", VAR_DIR / "import-uploads"))
# Report downloads over more source rows than this (the kind's count_rows) are built by the task worker.
REPORT_BACKGROUND_ROWS = envint("REPORT_BACKGROUND_ROWS", 5000)
# Where built reports wait to be downloaded: private (files 0600), never under a web root.
REPORT_BUILD_DIR = Path(os.getenv("REPORT_BUILD_DIR", VAR_DIR / "report-builds"))

# How old the worker's last heartbeat may be before /healthz calls it stale (it still answers 200).
WORKER_HEARTBEAT_STALE_SECONDS = envint("WORKER_HEARTBEAT_STALE_SECONDS", 300)

# JSON lines on stdout: one line per request (saferhub.requests) and one per warning or error,
# each with the request id and user id; never names, e-mail addresses or query strings.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_context": {"()": "saferhub.core.requestlog.RequestContextFilter"}},
    "formatters": {"json": {"()": "saferhub.core.requestlog.JsonFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "json",
            "filters": ["request_context"],
        }
    },
    "root": {"handlers": ["console"], "level": os.getenv("LOG_LEVEL", "WARNING")},
    "loggers": {
        "saferhub.requests": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # The request line above replaces Django's own 4xx/5xx lines; errors keep their traceback.
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        # django-axes names the e-mail address it locks out; lock-outs are in its own tables.
        "axes": {"handlers": ["console"], "level": "ERROR", "propagate": False},
    },
}

# The open API (saferhub/api/, docs/api.md) -------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "saferhub.api.authentication.BearerTokenAuthentication",
        "saferhub.api.authentication.SystemAccountOAuth2Authentication",
        "saferhub.api.authentication.VerifiedSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["saferhub.api.permissions.ScopedAccess"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "saferhub.api.schema.ApiAutoSchema",
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.UserRateThrottle",
        "rest_framework.throttling.AnonRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "user": os.getenv("API_RATE_USER", "1200/hour"),
        "anon": os.getenv("API_RATE_ANON", "60/hour"),
    },
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Saferhub API",
    "DESCRIPTION": "Cases, referrals, returns and imports of a Community Safety Partnership. See docs/api.md.",
    "VERSION": "1",
    "OAS_VERSION": "3.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {"YesNoUnknownEnum": "saferhub.people.models.YesNoUnknown"},
}
OAUTH2_PROVIDER = {
    "SCOPES": {"read": "Read what the system account may see", "write": "Make changes as the system account"},
    "DEFAULT_SCOPES": ["read"],
    "ACCESS_TOKEN_EXPIRE_SECONDS": envint("API_OAUTH_TOKEN_SECONDS", 3600),
    "PKCE_REQUIRED": True,
    # Only client credentials are used: the OAuth 2.0 Security BCP (RFC 9700) settings cost nothing.
    "ALLOWED_REDIRECT_URI_SCHEMES": ["https"],
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
    "COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS": True,
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,
    "COMPLIANT_BCP_RFC9700_REFRESH_TOKEN": True,
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
    # Refuses revoked clients and holds each client to its scope (saferhub/api/oauth.py).
    "OAUTH2_VALIDATOR_CLASS": "saferhub.api.oauth.SaferhubOAuth2Validator",
}
# django-oauth-toolkit's client model, named so migrations can depend on it (saferhub.api.models.OAuthClient).
OAUTH2_PROVIDER_APPLICATION_MODEL = "oauth2_provider.Application"
API_WEBHOOK_ALLOW_HTTP = envbool("API_WEBHOOK_ALLOW_HTTP", False)

# Single sign-on through OpenID Connect (saferhub/api/sso.py, docs/api.md): off unless configured.
# Each partnership may set its own provider in its set-up file ([single_sign_on]); these set one
# for the partnership OIDC_PARTNERSHIP when it has none there.
OIDC_PARTNERSHIP = os.getenv("OIDC_PARTNERSHIP", "")
OIDC_PROVIDER_NAME = os.getenv("OIDC_PROVIDER_NAME", "")  # "Sign in with …"; default "your organisation’s account"
OIDC_RP_CLIENT_ID = os.getenv("OIDC_RP_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = os.getenv("OIDC_RP_CLIENT_SECRET", "")
OIDC_RP_SIGN_ALGO = os.getenv("OIDC_RP_SIGN_ALGO", "RS256")
OIDC_OP_AUTHORIZATION_ENDPOINT = os.getenv("OIDC_OP_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = os.getenv("OIDC_OP_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = os.getenv("OIDC_OP_USER_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = os.getenv("OIDC_OP_JWKS_ENDPOINT", "")
OIDC_RP_SCOPES = "openid email profile"
OIDC_AGENCY_CLAIM = os.getenv("OIDC_AGENCY_CLAIM", "")
OIDC_CREATE_USERS = envbool("OIDC_CREATE_USERS", False)
OIDC_AGENCY_DOMAINS = [item.strip() for item in os.getenv("OIDC_AGENCY_DOMAINS", "").split(",") if item.strip()]
OIDC_DEFAULT_ROLE = os.getenv("OIDC_DEFAULT_ROLE", "")
OIDC_PASSWORD_SIGN_IN = envbool("OIDC_PASSWORD_SIGN_IN", True)
OIDC_AUTHENTICATION_CALLBACK_URL = "api-pages:sso-callback"
LOGIN_REDIRECT_URL_FAILURE = "/sign-in/"
# A provider whose ID tokens carry no key id ("kid"), like the test provider, needs this off.
OIDC_VERIFY_KID = envbool("OIDC_VERIFY_KID", True)
