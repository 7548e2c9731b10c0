"""Pages of the portal's checker (being built: each view answers 404 until it is)."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse


def checker(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    raise Http404


def checker_step(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    raise Http404


def checker_result(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    raise Http404
