"""Code of Practice: the API routes, mounted at /api/v1/code-of-practice/."""

from ninja import Router

router = Router(tags=["Code of Practice"])
