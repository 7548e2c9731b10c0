"""Cooperation, part bodies: models (see docs/design/cooperation.md)."""

from __future__ import annotations
