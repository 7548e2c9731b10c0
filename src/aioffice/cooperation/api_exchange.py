"""The API of cooperation, part exchange, mounted by `aioffice.cooperation.api`."""

from ninja import Router

router = Router(tags=["cooperation"])
