"""The API of cooperation, part real-world testing, mounted by `aioffice.cooperation.api` at
/api/v1/cooperation/real-world-tests."""

from ninja import Router

router = Router(tags=["cooperation"])
