"""Capability evaluations: the report, profile and comparison pages (their URL patterns are
`urlpatterns` here, included by urls.py)."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
