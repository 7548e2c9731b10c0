"""htmx helpers: a view renders the whole page, or only the named fragment htmx asked for."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def is_htmx(request: HttpRequest) -> bool:
    """True when htmx sent the request (it swaps a fragment, not the whole page)."""
    return request.headers.get("HX-Request") == "true"


def render_page_or_fragment(
    request: HttpRequest, template: str, fragment: str, context: dict[str, Any]
) -> HttpResponse:
    """The page for a normal request; `template#fragment` (a django-template-partials
    partial) for htmx. Every page works without JavaScript."""
    name = f"{template}#{fragment}" if is_htmx(request) else template
    response = render(request, name, context)
    response["Vary"] = "HX-Request"
    return response
