"""Settings read from the environment; every variable is listed in .env.example."""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=True)
# The development key only works with DEBUG on; production must set SECRET_KEY.
SECRET_KEY = env("SECRET_KEY") if not DEBUG else env("SECRET_KEY", default="dev-only-insecure")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "ninja",
    "kehoach.core",
    "kehoach.audit",
    "kehoach.org",
    "kehoach.accounts",
    "kehoach.documents",
    "kehoach.plans",
    "kehoach.activities",
    "kehoach.reports",
    "kehoach.feedback",
    "kehoach.exemplars",
    "kehoach.content",
    "kehoach.indicators",
    "kehoach.dashboard",
    "kehoach.transfer",
    "kehoach.search",
    "kehoach.ops",
    "kehoach.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "kehoach.core.middleware.RefuseNulMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "kehoach.audit.middleware.AuditContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "kehoach.accounts.middleware.TwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "kehoach.accounts.middleware.SecurityHeadersMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

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
                "kehoach.core.context_processors.navigation",
                "kehoach.activities.context_processors.notifications",
            ],
        },
    }
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'kehoach.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL lets the web process and the worker read while the other writes.
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = (
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
    )
    DATABASES["default"]["OPTIONS"]["transaction_mode"] = "IMMEDIATE"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["kehoach.accounts.backends.KehoachBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": env.int("PASSWORD_MIN_LENGTH", default=10)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Failed logins allowed per username and per address before a pause.
LOGIN_MAX_FAILURES = env.int("LOGIN_MAX_FAILURES", default=5)
LOGIN_LOCKOUT_SECONDS = env.int("LOGIN_LOCKOUT_SECONDS", default=15 * 60)
API_TOKEN_DAYS = env.int("API_TOKEN_DAYS", default=90)

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["kehoach.core.formats"]

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env("STATIC_ROOT", default=str(VAR_DIR / "static")))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(VAR_DIR / "media")))
# Uploaded files: a local folder (MEDIA_ROOT) or an S3-compatible bucket. The bucket stays
# private: files are streamed by the views after a permission check, never linked to.
STORAGE_BACKEND = env("STORAGE_BACKEND", default="local")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if STORAGE_BACKEND == "s3":
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("S3_BUCKET"),
            "endpoint_url": env("S3_ENDPOINT_URL", default=None),
            "access_key": env("S3_ACCESS_KEY", default=None),
            "secret_key": env("S3_SECRET_KEY", default=None),
            "region_name": env("S3_REGION", default=None),
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
# Largest upload accepted (bytes); larger files get a clear message, not a crash.
MAX_UPLOAD_BYTES = env.int("MAX_UPLOAD_BYTES", default=10 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = MAX_UPLOAD_BYTES + 1024 * 1024

EMAIL_CONFIG = env.email("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="kehoach@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Slow work (PDF rendering) runs in `manage.py db_worker`; "immediate" runs it in-process.
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend"
        if env("TASK_BACKEND", default="database") == "database"
        else "django_tasks.backends.immediate.ImmediateBackend",
        "QUEUES": ["default"],
    }
}
# SQLite only (PostgreSQL knows when a worker died): a task RUNNING this long is taken as lost
# and queued again. Keep it above the longest task (PDF rendering of a large report).
TASK_STALE_MINUTES = env.int("TASK_STALE_MINUTES", default=60)

# Layout values of the official formats, overriding kehoach.documents.profiles, e.g.
# {"party": {"margin_top_mm": 25, "margin_left_mm": 35}} (JSON in the environment).
KEHOACH_DOCUMENT_FORMATS = env.json("KEHOACH_DOCUMENT_FORMATS", default={})

AUDIT_RETENTION_DAYS = env.int("AUDIT_RETENTION_DAYS", default=5 * 365)

# A session lasts a working day from sign-in (seconds); optionally it ends with the browser.
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = env.bool("SESSION_EXPIRE_AT_BROWSER_CLOSE", default=False)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# No inline scripts or styles anywhere (scripts live in static/js); images may be data: URIs
# (the QR code, the favicon). Sent by kehoach.accounts.middleware.SecurityHeadersMiddleware.
CONTENT_SECURITY_POLICY = env(
    "CONTENT_SECURITY_POLICY",
    default="default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "media-src 'self'; font-src 'self'; connect-src 'self'; object-src 'none'; "
    "base-uri 'self'; frame-ancestors 'none'; form-action 'self'",
)
if not DEBUG:
    SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=True)
    CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=True)
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # Load balancers probe over plain HTTP inside the network.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
}
CSRF_FAILURE_VIEW = "kehoach.core.views.csrf_failure"

# Reminders: the daily digest lists tasks due within this many days (and overdue ones); the
# digest and the overdue sweep run every day at this hour, local time (TIME_ZONE).
DIGEST_DAYS_AHEAD = env.int("DIGEST_DAYS_AHEAD", default=3)
DIGEST_HOUR = env.int("DIGEST_HOUR", default=7)
# The address people open the site at, for links in emails.
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")

# Residents' concerns: deadlines in working hours and days (weekends and public holidays
# excluded), contact details erased this many days after closing, and the public form's
# limit of submissions per address in a window of seconds.
CONCERN_ACK_HOURS = env.float("CONCERN_ACK_HOURS", default=8)
CONCERN_ACK_HOURS_HOT = env.float("CONCERN_ACK_HOURS_HOT", default=4)
CONCERN_ANSWER_DAYS = env.int("CONCERN_ANSWER_DAYS", default=10)
CONCERN_ERASE_DAYS = env.int("CONCERN_ERASE_DAYS", default=30)
CONCERN_PUBLIC_LIMIT = env.int("CONCERN_PUBLIC_LIMIT", default=5)
CONCERN_PUBLIC_WINDOW_SECONDS = env.int("CONCERN_PUBLIC_WINDOW_SECONDS", default=3600)

# Loudspeaker bulletins are spoken offline: espeak-ng's voice (words per minute; empty: its
# default), or a better Vietnamese voice model run by SPEECH_MODEL_COMMAND when a path is set.
SPEECH_VOICE = env("SPEECH_VOICE", default="vi")
SPEECH_RATE = env.int("SPEECH_RATE", default=0) or None
SPEECH_MODEL_PATH = env("SPEECH_MODEL_PATH", default="")
SPEECH_MODEL_COMMAND = env(
    "SPEECH_MODEL_COMMAND", default="piper --model {model} --output_file {output}"
)
