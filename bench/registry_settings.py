"""Settings for bench/registry.py: production settings (`AIOFFICE_DEBUG` off), with static
files served from the app folders as in development, so that the bench needs no
`collectstatic` (the pages' stylesheets are not what it measures)."""

from aioffice.settings import *  # noqa: F403
from aioffice.settings import STORAGES

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
