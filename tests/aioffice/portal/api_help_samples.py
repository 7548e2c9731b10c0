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


def _practices() -> str:
    from .test_help_services import practice

    practice()
    return "/api/v1/portal/literacy-practices?q=fjord&sector=manufacturing&page=1"


def _structures() -> str:
    from .test_help_services import structure

    structure()
    return "/api/v1/portal/support-structures?member_state=FR&kind=sandbox"


HELP_SAMPLES: list[tuple[str, str, str | Callable[[], str], int]] = [
    ("GET", "/api/v1/portal/literacy-practices", _practices, 200),
    ("GET", "/api/v1/portal/support-structures", _structures, 200),
]
