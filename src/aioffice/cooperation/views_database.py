"""Pages of cooperation, part database. PLACEHOLDER: the part's owner replaces these."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def database_search(request: HttpRequest) -> HttpResponse:
    return render(request, "cooperation/placeholder.html", {"part": "database"})


def database_mine(request: HttpRequest) -> HttpResponse:
    return render(request, "cooperation/placeholder.html", {"part": "database"})


def database_admin(request: HttpRequest) -> HttpResponse:
    return render(request, "cooperation/placeholder.html", {"part": "database"})
