"""Settings for the portal: all that differs between machines comes from the environment."""

import warnings
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from .env import env_bool, env_int, env_list, env_str
from .settings_parts.log_config import logging_config
from .storages import file_storages

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "insecure-development-key-only-for-DEBUG-mode-do-not-use-in-production"
# Demo mode: demo accounts may exist and two-factor sign-in is not required of the secretariat.
DEMO_MODE = DEBUG or env_bool("CORETT_DEMO", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "modeltranslation",  # must precede the admin
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "knox",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "corett",
    "strategy",
    "monitoring",
    "referrals",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages compressed for slow connections (static files are compressed ahead by collectstatic).
    # Django's GZip pads each response at random against BREACH, and CSRF tokens are masked.
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "corett.middleware.QueryLanguageMiddleware",
    "corett.middleware.NulRefusedMiddleware",  # a NUL in the path: 404, in that language
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "corett.middleware.SessionLifetimeMiddleware",
    "corett.middleware.SecondFactorMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # Last, as django-axes asks: it turns a lockout raised anywhere below into the 429 page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "corett.urls"
WSGI_APPLICATION = "corett.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "corett.context_processors.portal",
            ],
        },
    },
]

try:
    DATABASES = {
        "default": dj_database_url.parse(
            env_str("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
            conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
            conn_health_checks=True,
        )
    }
except ValueError as error:
    raise ImproperlyConfigured(f"DATABASE_URL is not a usable database address: {error}") from None

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "corett.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "strategy:home"
LOGOUT_REDIRECT_URL = "strategy:home"

# Argon2id (memory-hard) for new passwords, at argon2-cffi's defaults (see docs/benchmarks.md for
# what a sign-in costs); PBKDF2 kept after it so that older hashes still sign in and are rehashed
# to Argon2id at that sign-in. Tests use a fast hasher (settings_test.py).
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Sign-in throttling (django-axes and corett/signin_throttle.py): 5 failures within 15 minutes
# lock that username *from that address* for 15 minutes, so that a stranger typing names cannot
# lock anyone else out. Failures on one account from every address together, and from one address
# on every account together, are slowed by a growing delay instead of a lock (the reasons are in
# the README). A successful sign-in clears the count of its username and address. A superuser can
# lift a lock in the admin (Axes › Access attempts) or with `manage.py axes_reset_username`.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first, so it refuses before a password is checked
    "django.contrib.auth.backends.ModelBackend",
]
AXES_HANDLER = "corett.signin_throttle.SignInThrottle"
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Tries during a lock neither count nor extend it: someone retrying the right password every few
# minutes gets in 15 minutes after the fifth failure, instead of being locked for good.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "corett.account_views.locked_out"
AXES_CLIENT_IP_CALLABLE = "corett.account_views.client_ip"
# Behind N reverse proxies that each append to X-Forwarded-For, the client is the Nth address
# from the right; 0 (direct connections) uses REMOTE_ADDR. Wrong here, and every visitor shares
# the proxy's address and one lock.
AXES_IPWARE_PROXY_COUNT = env_int("AXES_PROXY_COUNT", 0)

# Django's cache holds the sign-in delays and the password-reset limits: Redis (CACHE_URL, e.g.
# redis://127.0.0.1:6379/1, a database of its own: never the broker's) wherever more than one
# process serves the portal; unset, each process keeps its own in memory (local runs, tests).
CACHE_URL = env_str("CACHE_URL")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
        if CACHE_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# API tokens (django-rest-knox), Django REST framework and the API's schema:
from .settings_parts import rest_api as api_settings  # noqa: E402

API_TOKEN_TTL = api_settings.API_TOKEN_TTL
REST_FRAMEWORK = api_settings.REST_FRAMEWORK
REST_KNOX = api_settings.REST_KNOX
SPECTACULAR_SETTINGS = api_settings.SPECTACULAR_SETTINGS

# Password reset: at most this many requests an hour from one address, and for one e-mail address.
PASSWORD_RESET_LIMIT = 5

# Two-factor sign-in (django-otp, TOTP): the name authenticator apps show for the account.
OTP_TOTP_ISSUER = "CORETT"

# Sessions end after 30 idle minutes (the cookie's age, renewed by requests at most once a
# minute) and, whatever the activity, 12 hours after sign-in (corett.middleware.SessionLifetime-
# Middleware). With a shared cache (CACHE_URL) they are read from it and written through to the
# database, so that a page costs no session query; a cache per process would serve stale copies.
SESSION_ENGINE = f"django.contrib.sessions.backends.{'cached_db' if CACHE_URL else 'db'}"
SESSION_COOKIE_AGE = 30 * 60
SESSION_RENEWAL_INTERVAL = 60
SESSION_ABSOLUTE_AGE = 12 * 60 * 60

# Spanish first: the region works in Spanish.
LANGUAGE_CODE = "es"
LANGUAGES = [("es", _("Spanish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["corett.formats"]
MODELTRANSLATION_DEFAULT_LANGUAGE = "es"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("es", "en")
TIME_ZONE = "America/Guatemala"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
# Light pages on slow connections: collectstatic writes each file under a name with its content's
# hash (css/portal.3f2a….css) and compressed copies; WhiteNoise serves the compressed copy and, for
# hashed names, a cache header of ten years, so that a repeat visit fetches only the page. Pages
# need the manifest when DEBUG is off: collectstatic runs in the image, `make load` and the tests.
STATIC_FILES_STORAGE = {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}
WHITENOISE_USE_FINDERS = True
# Until collectstatic has run (local runs) files come from the finders: no need to warn.
warnings.filterwarnings("ignore", message="No directory at: ")
MEDIA_ROOT = Path(env_str("MEDIA_ROOT") or BASE_DIR / "media")
MEDIA_URL = "/media/"

# Celery: with no broker configured, tasks run in-process (local runs only).
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_BROKER_CONNECTION_TIMEOUT = 3
# Reminders to focal points 14 and 3 days before a period closes: once a day, on a crontab (not an
# interval) so that restarting beat does not send them again; in TIME_ZONE, which Celery follows.
CELERY_BEAT_SCHEDULE = {
    "monitoring-reminders": {
        "task": "monitoring.tasks.send_reminders",
        "schedule": crontab(hour=7, minute=0),
    },
}

# --- PDF reports (monitoring/reports, issue 6) -------------------------------------------------
# Files live outside STATIC_ROOT and are never served by MEDIA_URL (nothing serves media): only
# the permission-checked download views read them.
REPORTS_ROOT = Path(env_str("REPORTS_ROOT") or MEDIA_ROOT / "reports")
# A report task is retried on transient errors (database, broker, file system) with backoff; a
# request that has been tried this many times is marked failed with the last reason.
REPORTS_MAX_ATTEMPTS = env_int("REPORTS_MAX_ATTEMPTS", 3)
# A ~10-page report renders in about a second: these only stop a runaway render.
REPORTS_SOFT_TIME_LIMIT = env_int("REPORTS_SOFT_TIME_LIMIT", 120)
REPORTS_TIME_LIMIT = env_int("REPORTS_TIME_LIMIT", 150)
# The sweep (below) sends again a request still running this long after it started (its worker
# died: the hard time limit would have stopped it before), and one queued this long after it was
# sent (the message was lost, e.g. Redis restarted without persistence).
REPORTS_STUCK_AFTER = env_int("REPORTS_STUCK_AFTER", 300)
# A request for a report that an earlier request is rendering right now (same scope, period,
# language and data) waits this long for that file instead of rendering it a second time.
REPORTS_COALESCE_WAIT = env_int("REPORTS_COALESCE_WAIT", 60)
# When a period closes, the schedule generates every country's report and the regional one in
# these languages, for periods closed within the last REPORTS_SCHEDULE_DAYS days.
REPORTS_SCHEDULE_LANGUAGES = env_list("REPORTS_SCHEDULE_LANGUAGES", "es,en")
REPORTS_SCHEDULE_DAYS = env_int("REPORTS_SCHEDULE_DAYS", 14)
# Report tasks set acks_late and reject_on_worker_lost themselves (monitoring/tasks.py), so that a
# worker killed mid-report hands the message back. One message at a time per worker process,
# and a fresh process after a few reports or past ~400 MB: WeasyPrint's memory creeps up.
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_WORKER_MAX_TASKS_PER_CHILD = env_int("CELERY_WORKER_MAX_TASKS_PER_CHILD", 20)
CELERY_WORKER_MAX_MEMORY_PER_CHILD = env_int("CELERY_WORKER_MAX_MEMORY_PER_CHILD", 400_000)  # KiB
# Worker processes run at this lower CPU priority (added to their nice value, 0-19), so that
# rendering reports on the web server's cores never starves the pages (see docs/operations.md).
CELERY_WORKER_NICE = env_int("CELERY_WORKER_NICE", 10)
CELERY_BEAT_SCHEDULE |= {
    "reports-sweep": {"task": "monitoring.tasks.sweep_reports", "schedule": 60.0},
    "reports-period-close": {
        "task": "monitoring.tasks.generate_period_reports",
        "schedule": crontab(hour=6, minute=30),
    },
}

# --- Stored files: evidence and PDF reports, in one place for every process (issue 16) ---------
# Read and written only through Django's storage API (corett/storages.py): on this machine's disk
# by default (MEDIA_ROOT, REPORTS_ROOT), or in S3-compatible object storage with MEDIA_STORAGE=s3,
# so that a report rendered by a worker on one machine is served by a web process on another.
# The AWS_* names are django-storages' own; without keys boto3 finds its credentials itself
# (instance roles, ~/.aws). Files stay private: no public ACL, and no view hands out their URL.
from .settings_parts import storage as stored_files  # noqa: E402

AWS_ACCESS_KEY_ID = stored_files.AWS_ACCESS_KEY_ID
AWS_DEFAULT_ACL = stored_files.AWS_DEFAULT_ACL
AWS_LOCATION = stored_files.AWS_LOCATION
AWS_QUERYSTRING_EXPIRE = stored_files.AWS_QUERYSTRING_EXPIRE
AWS_S3_ADDRESSING_STYLE = stored_files.AWS_S3_ADDRESSING_STYLE
AWS_S3_ENDPOINT_URL = stored_files.AWS_S3_ENDPOINT_URL
AWS_S3_MAX_MEMORY_SIZE = stored_files.AWS_S3_MAX_MEMORY_SIZE
AWS_S3_REGION_NAME = stored_files.AWS_S3_REGION_NAME
AWS_SECRET_ACCESS_KEY = stored_files.AWS_SECRET_ACCESS_KEY
AWS_STORAGE_BUCKET_NAME = stored_files.AWS_STORAGE_BUCKET_NAME
MEDIA_STORAGE = stored_files.MEDIA_STORAGE

# Built here only: the static files' entry above; media and reports from the environment.
STORAGES = {
    "staticfiles": STATIC_FILES_STORAGE,
    **file_storages(MEDIA_STORAGE, location=AWS_LOCATION),
}

# Failures are counted for the username as typed, cut to what django-axes keeps.
AXES_USERNAME_CALLABLE = "corett.account_views.throttled_username"

# Security: secure by default, relaxed only for local DEBUG runs.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]  # probes come over plain HTTP
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# Local runs print e-mail to the console; production sends it by SMTP (EMAIL_HOST, EMAIL_PORT…).
# The address people reach the portal at, for the links in e-mails.
PORTAL_URL = env_str("PORTAL_URL", "http://127.0.0.1:8000").rstrip("/")

# Tracking table: a value within this share of its target is "on track".
TRACKING_BAND = 0.15

# The data-entry page posts a field per breakdown category of every indicator of a period.
DATA_UPLOAD_MAX_NUMBER_FIELDS = env_int("DATA_UPLOAD_MAX_NUMBER_FIELDS", 10000)

# Disaggregated cells below this count are shown as "<N" to the public, observers and other
# countries (0 turns the protection off). Totals are always shown as reported.
SMALL_CELL_THRESHOLD = env_int("SMALL_CELL_THRESHOLD", 5)
# Complementary suppression (monitoring.disclosure): further cells withheld so that no hidden cell
# can be worked out from totals and sums. Off only to show, in the attack test, why it is needed.
SMALL_CELL_COMPLEMENTARY = env_bool("SMALL_CELL_COMPLEMENTARY", True)

EMAIL_BACKEND_PATH = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
SMTP_OPTIONS = {
    "host": env_str("EMAIL_HOST", "localhost"),
    "port": env_int("EMAIL_PORT", 587),
    "username": env_str("EMAIL_HOST_USER"),
    "password": env_str("EMAIL_HOST_PASSWORD"),
    "use_tls": env_bool("EMAIL_USE_TLS", True),
}
MAILERS = {
    "default": {
        "BACKEND": EMAIL_BACKEND_PATH,
        "OPTIONS": SMTP_OPTIONS if EMAIL_BACKEND_PATH.endswith("smtp.EmailBackend") else {},
    }
}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "portal@corett.invalid")
# Where the accessibility statement (/es/accessibility/) asks people to report a barrier: set it to
# a mailbox the secretariat reads.
ACCESSIBILITY_CONTACT_EMAIL = env_str("ACCESSIBILITY_CONTACT_EMAIL", "accesibilidad@corett.invalid")

# --- Operations: logs, metrics, health (issue 16) ---------------------------------------------
# One JSON line per request and per Celery task, with the request id and user id, never passwords
# or tokens (corett/logs.py, corett/task_events.py); "text" for a person at a terminal.
LOG_FORMAT = env_str("LOG_FORMAT", "text" if DEBUG else "json").lower()
if LOG_FORMAT not in {"json", "text"}:
    raise ImproperlyConfigured("LOG_FORMAT must be json or text.")
LOGGING = logging_config(LOG_FORMAT, env_str("LOG_LEVEL", "INFO"))
CELERY_WORKER_HIJACK_ROOT_LOGGER = False  # the worker logs as above, not in Celery's format
MIDDLEWARE = ["corett.logs.RequestLogMiddleware", *MIDDLEWARE]

# Prometheus metrics (django-prometheus): requests, and database queries through its backends;
# Celery's queue, reports and task failures (corett/metrics.py). /metrics answers only a scraper
# sending "Authorization: Bearer $METRICS_TOKEN" (403 for others); unset, /metrics is a 404.
METRICS_TOKEN = env_str("METRICS_TOKEN")
if METRICS_TOKEN and len(METRICS_TOKEN) < 24:
    raise ImproperlyConfigured("METRICS_TOKEN must be at least 24 characters long.")
INSTALLED_APPS += ["django_prometheus"]
MIDDLEWARE = ["django_prometheus.middleware.PrometheusBeforeMiddleware", *MIDDLEWARE]
MIDDLEWARE.insert(  # innermost but for django-axes, which must stay last
    MIDDLEWARE.index("axes.middleware.AxesMiddleware"),
    "django_prometheus.middleware.PrometheusAfterMiddleware",
)
DATABASES["default"]["ENGINE"] = DATABASES["default"]["ENGINE"].replace(
    "django.db.backends.", "django_prometheus.db.backends.", 1
)
