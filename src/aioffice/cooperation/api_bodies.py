"""The API of cooperation, part bodies, mounted by `aioffice.cooperation.api`."""

from ninja import Router

router = Router(tags=["cooperation"])
