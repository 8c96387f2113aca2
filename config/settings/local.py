"""Development: `make run`. Debug on, e-mail to the console, filesystem broker unless Redis is configured."""

from config.settings.base import *  # noqa: F403
from config.settings.base import BROKER_DIR, CELERY_BROKER_URL, env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="dev-only-insecure-key-never-use-in-production")
EMAIL_BACKEND = env.str("DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")

if CELERY_BROKER_URL.startswith("filesystem://"):
    for folder in ("queue", "processed", "control"):
        (BROKER_DIR / folder).mkdir(parents=True, exist_ok=True)
