"""The portal's public, read-only API: what the portal publishes, machine-readable."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["portal"])
