"""Pages of cooperation, part real-world testing (Art. 60, Annex IX)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def rwt_list(request: HttpRequest) -> HttpResponse:
    return render(request, "cooperation/placeholder.html", {"part": "real-world testing"})
