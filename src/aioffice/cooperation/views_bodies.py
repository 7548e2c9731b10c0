"""Pages of cooperation, part bodies. PLACEHOLDER: the part's owner replaces these."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def bodies_public(request: HttpRequest) -> HttpResponse:
    return render(request, "cooperation/placeholder.html", {"part": "bodies"})


def bodies_admin(request: HttpRequest) -> HttpResponse:
    return render(request, "cooperation/placeholder.html", {"part": "bodies"})
