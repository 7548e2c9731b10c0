"""Pages of cooperation, part sandboxes. PLACEHOLDER: the part's owner replaces these."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def sandbox_list(request: HttpRequest) -> HttpResponse:
    return render(request, "cooperation/placeholder.html", {"part": "sandboxes"})


def sandbox_admin(request: HttpRequest) -> HttpResponse:
    return render(request, "cooperation/placeholder.html", {"part": "sandboxes"})


def rwt_list(request: HttpRequest) -> HttpResponse:
    return render(request, "cooperation/placeholder.html", {"part": "sandboxes"})
