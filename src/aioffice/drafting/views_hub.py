"""The three doors of drafting: the public's (/codes/), the Office's (/office/drafting/)
and the participants' (/drafting/: chairs, working-group members, signatories)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from aioffice.core.permissions import is_office_staff, login_required, require
from aioffice.drafting import permissions
from aioffice.drafting.models_projects import Project


def public_home(request: HttpRequest) -> HttpResponse:
    projects = Project.objects.filter(public=True).order_by("-created_at", "-id")[:50]
    return render(request, "drafting/hub.html", {"door": "public", "projects": projects})


@require(is_office_staff)
def staff_home(request: HttpRequest) -> HttpResponse:
    projects = Project.objects.order_by("-created_at", "-id")[:50]
    return render(request, "drafting/hub.html", {"door": "office", "projects": projects})


@login_required
def my_home(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not permissions.takes_part(user):
        raise PermissionDenied
    return render(request, "drafting/hub.html", {"door": "participant", "projects": []})
