"""Sample requests of the routes in `aioffice.portal.api_help`, for the portal API's route
matrix (test_content_api.py): one (method, path template, URL) per route, every route public."""

from __future__ import annotations

HELP_SAMPLES: list = []
