"""The drafts API of drafting, at /api/v1/drafting/drafts/."""

from ninja import Router

router = Router(tags=["drafting: drafts"])
