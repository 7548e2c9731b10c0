"""The portal's public API for help to the public (AI literacy practices, support
structures): its own router, mounted into `aioffice.portal.api_content.router`."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["portal"])
