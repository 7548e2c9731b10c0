"""Demo data for cooperation, part exchange (loaded by `aioffice.demo._load_cooperation`)."""

from __future__ import annotations

from typing import Any


def load(*, users: dict[str, Any]) -> None:
    """PLACEHOLDER until the part's owner writes it: loads nothing."""
