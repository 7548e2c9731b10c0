"""Portal demo (content): loaded once by `aioffice.demo`, through the services; fictional
content written for the demo."""

from __future__ import annotations

from typing import Any


def load(*, users: dict[str, Any]) -> None:
    """Load the demo's content once (nothing yet: being built)."""
