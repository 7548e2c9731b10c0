"""The API of cooperation, part database, mounted by `aioffice.cooperation.api`."""

from ninja import Router

router = Router(tags=["cooperation"])
