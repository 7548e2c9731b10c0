from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from aioffice.core.navigation import navigation_for


def site(request: HttpRequest) -> dict[str, object]:
    """Deployment identity and the navigation the current user may see."""
    return {
        "SITE_NAME": settings.SITE_NAME,
        "SITE_LOGO_URL": settings.SITE_LOGO_URL,
        "navigation": navigation_for(request),
    }
