"""The projects API of drafting, at /api/v1/drafting/projects/."""

from ninja import Router

router = Router(tags=["drafting: projects"])
