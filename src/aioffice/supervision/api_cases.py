"""API of supervision: cases (mounted by `aioffice.supervision.api`)."""

from ninja import Router

router = Router(tags=["supervision"])
