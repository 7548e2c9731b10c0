"""Settings for bench/portal.py: those of bench/registry.py (production settings,
`AIOFFICE_DEBUG` off, static files served from the app folders)."""

from registry_settings import *  # noqa: F403
