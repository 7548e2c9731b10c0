"""Compute watch-list: the records. Part of the registry (DESIGN.md)."""

from django.db import models  # noqa: F401
