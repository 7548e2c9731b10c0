"""Cooperation, part database: models (see docs/design/cooperation.md)."""

from __future__ import annotations
