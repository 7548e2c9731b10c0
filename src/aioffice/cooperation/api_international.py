"""The API of cooperation, part international, mounted by `aioffice.cooperation.api`."""

from ninja import Router

router = Router(tags=["cooperation"])
