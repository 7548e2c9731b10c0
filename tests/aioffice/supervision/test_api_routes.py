"""Every route under /api/v1/supervision/ belongs to one of the three parts whose own role
matrix covers it exactly: intake (test_intake_api_matrix.py), cases
(test_case_api_matrix.py), deadlines (test_clock_api_matrix.py). A route added elsewhere
under the prefix fails here, so none escapes a matrix."""

from __future__ import annotations

from pathlib import Path

from aioffice.api import api
from aioffice.core.testing import api_routes

PARTS = {
    "/api/v1/supervision/intake/": "test_intake_api_matrix.py",
    "/api/v1/supervision/cases/": "test_case_api_matrix.py",
    "/api/v1/supervision/deadlines/": "test_clock_api_matrix.py",
}


def test_every_supervision_route_is_in_a_part_with_its_matrix() -> None:
    routes = api_routes(api, "/api/v1/supervision/")
    assert routes, "supervision has API routes"
    covered = set().union(*(api_routes(api, prefix) for prefix in PARTS))
    assert routes == covered
    here = Path(__file__).parent
    for prefix, module in PARTS.items():
        if api_routes(api, prefix):
            text = (here / module).read_text()
            assert f'"{prefix}"' in text or prefix in text, f"{module} covers {prefix}"
            assert "ALL_PRINCIPALS" in text and "api_routes(" in text
