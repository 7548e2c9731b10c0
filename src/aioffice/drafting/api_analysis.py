"""The analysis API of drafting, at /api/v1/drafting/analysis/."""

from ninja import Router

router = Router(tags=["drafting: analysis"])
