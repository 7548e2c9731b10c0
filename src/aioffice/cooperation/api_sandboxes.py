"""The API of cooperation, part sandboxes, mounted by `aioffice.cooperation.api`."""

from ninja import Router

router = Router(tags=["cooperation"])
rwt_router = Router(
    tags=["cooperation"]
)  # real-world testing, /api/v1/cooperation/real-world-tests
