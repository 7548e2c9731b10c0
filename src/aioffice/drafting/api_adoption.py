"""The adoption API of drafting, at /api/v1/drafting/adoption/."""

from ninja import Router

router = Router(tags=["drafting: adoption"])
