"""API of supervision: intake (mounted by `aioffice.supervision.api`)."""

from ninja import Router

router = Router(tags=["supervision"])
