"""Pages of cooperation, part exchange. PLACEHOLDER: the part's owner replaces these."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def exchange_home(request: HttpRequest) -> HttpResponse:
    return render(request, "cooperation/placeholder.html", {"part": "exchange"})
