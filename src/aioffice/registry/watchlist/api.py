"""Compute watch-list: the API routes, mounted at /api/v1/watchlist/."""

from ninja import Router

router = Router(tags=["Compute watch-list"])
