"""The three doors into cooperation: the public index, the Office's hub and the hub of a
national authority's staff. Each lists the functions the person has; the parts' own pages
check access again (access is denied unless a rule grants it)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from aioffice.cooperation.permissions import authorities_of, is_art74_8_user
from aioffice.core.permissions import is_office_staff, login_required, require


@dataclass(frozen=True)
class Function:
    key: str
    label: Promise
    text: Promise
    url: str


def _f(key: str, name: str, label: Promise, text: Promise) -> Function:
    return Function(key, label, text, reverse(f"cooperation:{name}"))


def _public() -> list[Function]:
    return [
        _f(
            "database",
            "database_search",
            _("EU database for high-risk AI systems"),
            _("Search the public part of the database: registered systems and their providers."),
        ),
        _f(
            "authorities",
            "authority_directory",
            _("National authorities"),
            _("Each Member State's notifying and market surveillance authorities."),
        ),
        _f(
            "bodies",
            "bodies_public",
            _("The AI Board and advisory bodies"),
            _("Members, meetings, minutes and opinions of the Board, the forum and the panel."),
        ),
        _f(
            "sandboxes",
            "sandbox_list",
            _("AI regulatory sandboxes"),
            _("Planned and existing sandboxes in the Member States and at Union level."),
        ),
        _f(
            "rwt",
            "rwt_public",
            _("Real-world testing"),
            _("Tests of high-risk AI systems whose providers agreed to publication."),
        ),
        _f(
            "international",
            "international_public",
            _("International cooperation"),
            _("Partner institutions, agreements and dialogues."),
        ),
    ]


@require_GET
def public_home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "cooperation/hub.html",
        {"title": _("Cooperation in the Union"), "functions": _public()},
    )


@require(is_office_staff)
@require_GET
def staff_home(request: HttpRequest) -> HttpResponse:
    functions = [
        _f(
            "authorities",
            "authority_admin",
            _("Authorities directory"),
            _("Designations, single points of contact, resource reports."),
        ),
        _f(
            "bodies",
            "bodies_admin",
            _("Board, forum and panel"),
            _("Members and terms, meetings, documents, opinions and votes."),
        ),
        _f(
            "exchange",
            "exchange_home",
            _("Information exchange"),
            _("Shared cases and documents, mutual assistance, requests for support."),
        ),
        _f(
            "sandboxes",
            "sandbox_admin",
            _("Sandboxes"),
            _("Sandboxes, applications, plans and exit reports."),
        ),
        _f(
            "rwt",
            "rwt_list",
            _("Real-world testing"),
            _("Testing plans, approvals, extensions, suspensions and terminations."),
        ),
        _f(
            "database",
            "database_admin",
            _("EU database"),
            _("All registrations, including the secure section."),
        ),
        _f(
            "international",
            "international_admin",
            _("International cooperation"),
            _("Partners, agreements, dialogues and their documents."),
        ),
    ]
    return render(
        request, "cooperation/hub.html", {"title": _("Cooperation"), "functions": functions}
    )


@login_required
@require_GET
def authority_home(request: HttpRequest) -> HttpResponse:
    """A national authority's staff: what is shared with them, their requests, the tests
    submitted to them, and the database (its secure section for Art. 74(8) authorities)."""
    user: Any = request.user
    authorities = list(authorities_of(user))
    if not authorities or is_office_staff(request):
        raise PermissionDenied
    functions = [
        _f(
            "exchange",
            "exchange_home",
            _("Information exchange"),
            _("Cases and documents shared with you, requests between you and the Office."),
        ),
        _f(
            "rwt",
            "rwt_list",
            _("Real-world testing"),
            _("Testing plans submitted to your authority."),
        ),
        _f(
            "sandboxes",
            "sandbox_admin",
            _("Sandboxes"),
            _("The sandboxes your authority operates and their applications."),
        ),
        _f(
            "database",
            "database_search",
            _("EU database"),
            _("Registered high-risk AI systems.")
            if not is_art74_8_user(user)
            else _("Registered high-risk AI systems, including the secure section."),
        ),
        _f(
            "international",
            "international_public",
            _("International cooperation"),
            _("Agreements and dialogues, including those your Member State takes part in."),
        ),
    ]
    return render(
        request,
        "cooperation/hub.html",
        {"title": _("Cooperation"), "functions": functions, "authorities": authorities},
    )
