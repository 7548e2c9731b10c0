"""The consultations API of drafting, at /api/v1/drafting/consultations/."""

from ninja import Router

router = Router(tags=["drafting: consultations"])
