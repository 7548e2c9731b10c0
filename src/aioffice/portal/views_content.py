"""Pages of the portal's content (being built: each view answers 404 until it is)."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render


def home(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    """What the AI Office does, for everyone."""
    return render(request, "portal/home.html")


def guidance_list(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    raise Http404


def guidance_detail(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    raise Http404


def news_list(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    raise Http404


def news_detail(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    raise Http404


def staff_home(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    raise Http404
