"""API of supervision: clock (mounted by `aioffice.supervision.api`)."""

from ninja import Router

router = Router(tags=["supervision"])
