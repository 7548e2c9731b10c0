"""Pages of the portal's calls (being built: each view answers 404 until it is)."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse


def call_list(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    raise Http404


def call_detail(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    raise Http404


def call_admin_list(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    raise Http404
