"""Capability evaluations: the API routes, mounted at /api/v1/evaluations/."""

from ninja import Router

router = Router(tags=["Capability evaluations"])
