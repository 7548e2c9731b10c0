"""Settings for bench/portal.py: those of bench/registry.py (production settings,
`AIOFFICE_DEBUG` off, static files served from the app folders), and the cache in a folder
that gunicorn's workers share when `AIOFFICE_CACHE_DIR` names one (`--cache files`, the
bench's default); without it, Django's default, each worker's own memory. The platform's
settings read the same variable (src/aioffice/settings.py); it is set here again because
bench/registry_settings.py may be imported before the environment is read."""

import os

from registry_settings import *  # noqa: F403

CACHE_DIR = os.environ.get("AIOFFICE_CACHE_DIR", "")
if CACHE_DIR:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": CACHE_DIR,
            # every page of the register in three languages, and the lists' counts
            "OPTIONS": {"MAX_ENTRIES": 20_000},
        }
    }
