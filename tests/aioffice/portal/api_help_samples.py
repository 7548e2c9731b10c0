"""Sample requests of the routes in `aioffice.portal.api_help`, for the portal API's route
matrix (test_content_api.py), which asserts that its samples cover every route under
/api/v1/portal/ exactly.

One entry per route: (method, path template as in the OpenAPI document, URL, status every
principal gets). The URL is a string, or a callable taking no argument that creates the data
the request needs (inside the test's database) and returns the URL. Example:

    ("GET", "/api/v1/portal/literacy", "/api/v1/portal/literacy?q=x", 200),
"""

from __future__ import annotations

from collections.abc import Callable

HELP_SAMPLES: list[tuple[str, str, str | Callable[[], str], int]] = []
