"""The test suite: fast hashing, in-memory e-mail and broker; tests call services and tasks directly."""

from config.settings.base import *  # noqa: F403
from config.settings.base import BEIAN, VAR_DIR

DEBUG = False
SECRET_KEY = "test-only-secret-key"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_BROKER_URL = "memory://"
CELERY_BROKER_TRANSPORT_OPTIONS = {}
PRIVATE_MEDIA_ROOT = VAR_DIR / "test_private_media"
ATTACHMENT_MAX_BYTES = 200 * 1024
# Tests claim tasks explicitly; the tests of automatic assignment switch it on.
BEIAN = {**BEIAN, "AUTO_ASSIGN": False}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
