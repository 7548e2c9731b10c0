"""Pages of cooperation, part international. PLACEHOLDER: the part's owner replaces these."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def international_public(request: HttpRequest) -> HttpResponse:
    return render(request, "cooperation/placeholder.html", {"part": "international"})


def international_admin(request: HttpRequest) -> HttpResponse:
    return render(request, "cooperation/placeholder.html", {"part": "international"})
