"""Documentation (Art. 53 and 55): the API routes, mounted at /api/v1/documentation/."""

from ninja import Router

router = Router(tags=["Documentation"])
