"""Settings for the test suite: the real settings with a throwaway key and fast hashing."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production")

from .settings import *  # noqa: F403
from .settings import BASE_DIR, REDIS_URL, STORAGES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Tests render templates without running collectstatic first.
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# ...and never read what a collectstatic (make bench, a production setup) left in
# var/staticfiles: whitenoise would index its ~900 files again for every test client's
# middleware (a sixth of the suite's time), and tests would depend on that leftover.
# Without a collected tree, as in a fresh checkout, whitenoise serves nothing and warns
# (pyproject.toml ignores the warning); the one test of static serving uses the finders.
STATIC_ROOT = BASE_DIR / "var" / "tests-collect-no-static"
# One process: the progress cache in local memory, cleared between tests (tests/conftest.py),
# unless a test's own processes share Redis.
if not REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "t"}
    }
