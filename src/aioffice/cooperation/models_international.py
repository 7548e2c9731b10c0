"""Cooperation, part international: models (see docs/design/cooperation.md)."""

from __future__ import annotations
