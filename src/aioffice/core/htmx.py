"""htmx helpers: a view renders the whole page, or only the named fragment htmx asked for."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def is_htmx(request: HttpRequest) -> bool:
    """True when htmx sent the request to swap a fragment. Not when it restores a page of
    its history that it no longer holds (Back after the cache dropped it): then it asks with
    `HX-History-Restore-Request` and needs the whole page."""
    if request.headers.get("HX-History-Restore-Request") == "true":
        return False
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
