"""The three doors of drafting: the public's (/codes/), the Office's (/office/drafting/)
and the participants' (/drafting/: chairs, working-group members, signatories).

The other parts add their blocks through includes the doors already carry:
"drafting/includes/open_consultations.html" (consultations) and
"drafting/includes/my_signatures.html" (adoption), rendered with `door` and `user`."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from aioffice.core.permissions import is_office_staff, login_required, require
from aioffice.drafting import permissions
from aioffice.drafting import selectors_projects as selectors
from aioffice.drafting.choices import ProjectKind, ProjectStatus, Visibility
from aioffice.drafting.models_drafts import Draft, DraftStatus

PER_PAGE = 25


def _latest_public_drafts() -> Prefetch[Any]:
    rows = Draft.objects.filter(
        visibility=Visibility.PUBLIC, status__in=[DraftStatus.PUBLISHED, DraftStatus.FINAL]
    ).order_by("-number")
    return Prefetch("drafts", queryset=rows, to_attr="public_drafts")


@require_GET
def public_home(request: HttpRequest) -> HttpResponse:
    rows = selectors.public_projects().prefetch_related(_latest_public_drafts())
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "drafting/hub.html", {"door": "public", "page": page})


@require(is_office_staff)
@require_GET
def staff_home(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind", "")
    status = request.GET.get("status", "")
    rows = selectors.staff_projects(kind=kind, status=status)
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "drafting/hub.html",
        {
            "door": "office",
            "page": page,
            "kind": kind if kind in ProjectKind.values else "",
            "status": status if status in ProjectStatus.values else "",
            "kinds": ProjectKind.choices,
            "statuses": ProjectStatus.choices,
            "counts": [
                (label, selectors.status_counts()[value]) for value, label in ProjectStatus.choices
            ],
            "runner": permissions.may_run_projects(request.user),
        },
    )


@login_required
@require_GET
def my_home(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not permissions.takes_part(user):
        raise PermissionDenied
    return render(
        request,
        "drafting/hub.html",
        {
            "door": "participant",
            "roles": list(selectors.my_roles(user)),
            "memberships": list(selectors.my_memberships(user)),
        },
    )
