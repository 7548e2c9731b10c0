"""Pages of the portal's updates (being built: each view answers 404 until it is)."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse


def updates_signup(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    raise Http404


def bulletin_list(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    raise Http404
