"""Pages of cooperation, part authorities. PLACEHOLDER: the part's owner replaces these."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def authority_directory(request: HttpRequest) -> HttpResponse:
    return render(request, "cooperation/placeholder.html", {"part": "authorities"})


def authority_admin(request: HttpRequest) -> HttpResponse:
    return render(request, "cooperation/placeholder.html", {"part": "authorities"})
