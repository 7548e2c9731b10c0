"""Pages of the portal's help for the public (being built: each view answers 404 until it is)."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse


def contact(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    raise Http404


def enquiry_new(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    raise Http404


def literacy_list(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    raise Http404


def support_list(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    raise Http404


def report(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    raise Http404
