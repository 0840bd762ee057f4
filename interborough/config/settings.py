"""Interborough settings: one file, driven by environment variables (see .env.example)."""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
PROJECT_DIR = BASE_DIR.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("INTERBOROUGH_DEBUG", False)
# The development key only works with DEBUG on; production must set its own.
SECRET_KEY = os.environ.get("INTERBOROUGH_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG and not env_bool("INTERBOROUGH_ALLOW_DEV_KEY", False):
        raise ImproperlyConfigured("Set INTERBOROUGH_SECRET_KEY (or INTERBOROUGH_DEBUG=true).")
    SECRET_KEY = "dev-only-insecure-key-never-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("INTERBOROUGH_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("INTERBOROUGH_CSRF_TRUSTED_ORIGINS")
SITE_URL = os.environ.get("INTERBOROUGH_SITE_URL", "http://127.0.0.1:8000")
# The OCDS prefix for planned procurements (register one with the Open Contracting Partnership).
INTERBOROUGH_OCDS_PREFIX = os.environ.get("INTERBOROUGH_OCDS_PREFIX", "ocds-interborough")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "interborough.core",
    "interborough.accounts",
    "interborough.pipeline",
    "interborough.catalogue",
    "interborough.sharing",
    "interborough.ui",
    "interborough.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "interborough.core.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "interborough.core.middleware.SessionTouchMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "interborough.accounts.middleware.TwoFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "interborough.config.urls"
WSGI_APPLICATION = "interborough.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "interborough.ui.context_processors.navigation",
            ],
        },
    },
]

# Local state (SQLite database, static build, media) lives here unless configured otherwise.
DATA_DIR = Path(os.environ.get("INTERBOROUGH_DATA_DIR", PROJECT_DIR / "var"))

# SQLite by default (zero set-up); PostgreSQL in production via DATABASE_URL.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{DATA_DIR / 'interborough.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    # WAL with synchronous=NORMAL: a crash never corrupts the database, and a commit no longer
    # waits for the disk (a power cut may lose the last commits, not an application crash).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "interborough.accounts.backends.EmailBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:sign-in"
LOGIN_REDIRECT_URL = "ui:home"
LOGOUT_REDIRECT_URL = "ui:home"

# Sessions expire after a period of inactivity (sliding) and when the browser closes.
SESSION_COOKIE_AGE = int(os.environ.get("INTERBOROUGH_SESSION_IDLE_SECONDS", str(30 * 60)))
# Sliding expiry without a database write on every request: see core.middleware.SessionTouch.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_TOUCH_INTERVAL = 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Sign-in throttling (django-axes): lock an account+address pair after repeated failures.
AXES_FAILURE_LIMIT = int(os.environ.get("INTERBOROUGH_SIGNIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("INTERBOROUGH_SIGNIN_COOLOFF_HOURS", "0.25"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False

OTP_TOTP_ISSUER = "Interborough"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("INTERBOROUGH_STATIC_ROOT", DATA_DIR / "static"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Hashed, compressed files from `collectstatic` in production; plain in DEBUG and tests.
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("INTERBOROUGH_STATIC_MANIFEST", not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_MAX_AGE = 3600
WHITENOISE_USE_FINDERS = DEBUG or not env_bool("INTERBOROUGH_STATIC_MANIFEST", not DEBUG)
MEDIA_ROOT = Path(os.environ.get("INTERBOROUGH_MEDIA_ROOT", DATA_DIR / "media"))

# --- the data store (catalogue) ---
# Each query of a resource's rows is stopped after this many seconds; downloads stream longer.
CATALOGUE_QUERY_TIMEOUT_SECONDS = float(os.environ.get("INTERBOROUGH_QUERY_TIMEOUT", "5"))
CATALOGUE_DOWNLOAD_TIMEOUT_SECONDS = float(os.environ.get("INTERBOROUGH_DOWNLOAD_TIMEOUT", "60"))
CATALOGUE_QUERY_MEMORY_LIMIT = os.environ.get("INTERBOROUGH_QUERY_MEMORY", "512MB")
CATALOGUE_QUERY_THREADS = int(os.environ.get("INTERBOROUGH_QUERY_THREADS", "2"))
# Versions with at least this many rows get a DuckDB query copy beside their Parquet (ADR 0008).
CATALOGUE_QUERY_COPY_MIN_ROWS = int(os.environ.get("INTERBOROUGH_QUERY_COPY_MIN_ROWS", "500000"))
# Harvesting refuses private and loopback addresses unless this is on (tests, closed networks).
CATALOGUE_HARVEST_ALLOW_PRIVATE = env_bool("INTERBOROUGH_HARVEST_ALLOW_PRIVATE", False)
MEDIA_URL = "/media/"
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# Email: console in development, SMTP in production.
EMAIL_BACKEND = os.environ.get(
    "INTERBOROUGH_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("INTERBOROUGH_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("INTERBOROUGH_EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("INTERBOROUGH_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("INTERBOROUGH_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("INTERBOROUGH_EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = os.environ.get(
    "INTERBOROUGH_FROM_EMAIL", "Interborough <no-reply@interborough.london>"
)

# Background tasks: immediate by default (no worker); database backend + db_worker in production.
TASK_BACKEND = os.environ.get("INTERBOROUGH_TASK_BACKEND", "immediate")
TASKS = {
    "default": {
        "BACKEND": {
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
            "database": "django_tasks_db.DatabaseBackend",
        }[TASK_BACKEND]
    }
}

# Production hardening (checked by `manage.py check --deploy`).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("INTERBOROUGH_SECURE_SSL_REDIRECT", not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = env_bool("INTERBOROUGH_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = int(os.environ.get("INTERBOROUGH_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("INTERBOROUGH_LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
