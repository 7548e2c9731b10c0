from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.core import checks
from django.core.exceptions import ImproperlyConfigured


def check_private_root(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """At start-up: the private files (applicants' CVs) must not lie where the web server
    serves files (MEDIA_ROOT, STATIC_ROOT)."""
    from aioffice.portal.services_calls import check_private_root as check

    try:
        check()
    except ImproperlyConfigured as exc:
        return [checks.Error(str(exc), id="portal.E001")]
    return []


class PortalConfig(AppConfig):
    name = "aioffice.portal"
    label = "portal"
    verbose_name = "Public portal"

    def ready(self) -> None:
        checks.register(check_private_root)
        from aioffice.portal import similar

        similar.connect()  # guidance vectors refreshed on save ("find similar")
