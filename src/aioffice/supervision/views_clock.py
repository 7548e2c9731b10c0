"""Pages of the one clock: the officer's deadline dashboard (and its CSV twin), and the
provider's deadlines.

* Office staff (after the second factor) see the open deadlines they own, split into
  overdue, due in the next 14 days and later, with filters, a chart of the next twelve
  weeks and the CSV twin. A head of unit may look at anyone's, or all (`owner`).
* A provider's members (and its representatives' under a current mandate) see the open
  deadlines where it is their provider's move.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property
from typing import Any, cast
from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.safestring import SafeString
from django.views.decorators.http import require_GET

from aioffice.accounts.choices import OFFICE_ROLES, Role
from aioffice.accounts.models import User
from aioffice.core.exports import csv_response
from aioffice.core.permissions import is_office_staff, require
from aioffice.registry.models import Provider
from aioffice.supervision import clock
from aioffice.supervision.choices import DeadlineKind
from aioffice.supervision.models import Deadline

PAGE_SIZE = 25
SECTIONS = (("overdue", "o"), ("soon", "s"), ("later", "l"))


class CountedPaginator(Paginator):  # type: ignore[type-arg]
    """A paginator told its count (all sections are counted in one query)."""

    def __init__(self, object_list: Any, per_page: int, count: int) -> None:
        super().__init__(object_list, per_page)
        self._known = count

    @cached_property
    def count(self) -> int:
        return self._known


def is_head_of_unit(request: HttpRequest) -> bool:
    if not is_office_staff(request):
        return False
    return bool(request.user.has_role(Role.HEAD_OF_UNIT))  # type: ignore[union-attr]


@dataclass(frozen=True, slots=True)
class DashboardQuery:
    filters: clock.Filters
    owner: str  # "" (me), "all" or a user's id (heads of unit only)

    def as_params(self) -> dict[str, str]:
        params = {
            "kind": self.filters.kind,
            "provider": "" if self.filters.provider is None else str(self.filters.provider),
            "basis": self.filters.basis,
            "move": self.filters.move,
            "owner": self.owner,
        }
        return {k: v for k, v in params.items() if v}


def _int(value: str) -> int | None:
    value = value.strip()
    if not value.isascii() or not value.isdigit() or len(value) > 12:
        return None
    return int(value)


def read_query(request: HttpRequest, *, head: bool) -> DashboardQuery:
    """The filters of the query string; a value that is not one of the choices is ignored
    (never an error page)."""
    get = request.GET
    kind = get.get("kind", "")
    basis = get.get("basis", "")
    move = get.get("move", "")
    owner = get.get("owner", "").strip() if head else ""
    if owner not in {"", "all"} and _int(owner) is None:
        owner = ""
    return DashboardQuery(
        clock.Filters(
            kind=kind if kind in DeadlineKind.values else "",
            provider=_int(get.get("provider", "")),
            basis=basis if basis in {"legal", "code"} else "",
            move=move if move in {"provider", "office"} else "",
        ),
        owner,
    )


def _staff_deadlines(request: HttpRequest, query: DashboardQuery) -> QuerySet[Deadline]:
    rows = clock.open_deadlines()
    if query.owner == "all":
        pass
    elif query.owner:
        rows = rows.filter(owner_id=int(query.owner))
    else:
        rows = rows.filter(owner_id=request.user.pk)
    return clock.filtered(rows, query.filters)


def _section_counts(rows: QuerySet[Deadline], today: date) -> dict[str, int]:
    soon = today + timedelta(days=clock.SOON_DAYS)
    return rows.order_by().aggregate(
        overdue=Count("id", filter=Q(due_on__lt=today)),
        soon=Count("id", filter=Q(due_on__gte=today, due_on__lt=soon)),
        later=Count("id", filter=Q(due_on__gte=soon)),
    )


def _pages(
    request: HttpRequest, rows: QuerySet[Deadline], today: date
) -> tuple[dict[str, Page[Deadline]], dict[str, int]]:
    counts = _section_counts(rows, today)
    split = clock.sections(rows, today)
    pages = {
        name: CountedPaginator(split[name], PAGE_SIZE, counts[name]).get_page(
            request.GET.get(param)
        )
        for name, param in SECTIONS
    }
    return pages, counts


def _options(choices: Iterable[tuple[int, str]], chosen: int | None) -> SafeString:
    """The <option>s of a long select, made here rather than in the template (500 providers
    cost the template language most of the page's time; see bench/supervision.py)."""
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((pk, " selected" if pk == chosen else "", label) for pk, label in choices),
    )


@require(is_office_staff)
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    """My open deadlines: overdue, due in the next 14 days, later; 25 a page each."""
    today = timezone.now().date()
    head = is_head_of_unit(request)
    query = read_query(request, head=head)
    rows = _staff_deadlines(request, query)
    pages, counts = _pages(request, rows, today)
    owners = ""
    if head:
        people = (
            User.objects.filter(memberships__role__in=OFFICE_ROLES, is_active=True)
            .distinct()
            .order_by("username")
            .values_list("id", "username", "first_name", "last_name")
        )
        chosen = _int(query.owner) if query.owner not in {"", "all"} else None
        owners = _options(
            ((pk, f"{first} {last}".strip() or name) for pk, name, first, last in people), chosen
        )
    context = {
        "today": today,
        "pages": pages,
        "counts": counts,
        "sections": [(name, param, pages[name]) for name, param in SECTIONS],
        "weeks": clock.weekly_counts(rows, today),
        "query": query,
        "querystring": urlencode(query.as_params()),
        "kinds": DeadlineKind.choices,
        "provider_options": _options(
            Provider.objects.order_by("organisation__name").values_list("id", "organisation__name"),
            query.filters.provider,
        ),
        "head": head,
        "owners": owners,
        "show_owner": head and query.owner != "",
        "soon_days": clock.SOON_DAYS,
    }
    return render(request, "supervision/clock/dashboard.html", context)


def _csv_rows(rows: QuerySet[Deadline], today: date) -> Any:
    for d in rows.iterator(chunk_size=500):
        yield [
            d.due_on,
            "overdue" if d.due_on < today else "open",
            d.kind,
            d.title,
            "provider" if d.provider_to_act else "office",
            "law" if d.legal else "code_of_practice",
            d.provider.organisation.name if d.provider is not None else "",
            d.case.reference if d.case is not None else "",
            d.owner.username if d.owner is not None else "",
            d.rules_version,
            d.url,
        ]


@require(is_office_staff)
@require_GET
def dashboard_csv(request: HttpRequest) -> HttpResponse:
    """The dashboard's deadlines with the same filters, not paginated."""
    today = timezone.now().date()
    query = read_query(request, head=is_head_of_unit(request))
    rows = _staff_deadlines(request, query)
    header = [
        "due_on",
        "state",
        "kind",
        "title",
        "whose_move",
        "basis",
        "provider",
        "case",
        "owner",
        "rules_version",
        "url",
    ]
    # streamed; the permission decorators are typed for an HttpResponse (as registry's)
    return cast(HttpResponse, csv_response("deadlines.csv", header, _csv_rows(rows, today)))


def is_organisation_member(request: HttpRequest) -> bool:
    """A member of an organisation outside the Office (the page then shows the deadlines
    of the providers they act for: none when they act for none)."""
    user: Any = request.user
    if not user.is_authenticated:
        return False
    if not user.is_active:
        return False
    if user.is_office_staff:
        return False
    return bool(user.has_role(Role.ORGANISATION_MEMBER))


@require(is_organisation_member)
@require_GET
def provider_deadlines(request: HttpRequest) -> HttpResponse:
    """The open deadlines where it is my provider's move."""
    today = timezone.now().date()
    providers = clock.providers_of(request.user)
    rows = clock.open_deadlines().filter(provider_id__in=providers, provider_to_act=True)
    kind = request.GET.get("kind", "")
    if kind in DeadlineKind.values:
        rows = rows.filter(kind=kind)
    pages, counts = _pages(request, rows, today)
    return render(
        request,
        "supervision/clock/provider.html",
        {
            "today": today,
            "sections": [(name, param, pages[name]) for name, param in SECTIONS],
            "counts": counts,
            "weeks": clock.weekly_counts(rows, today),
            "querystring": urlencode({"kind": kind} if kind in DeadlineKind.values else {}),
            "kinds": DeadlineKind.choices,
            "kind": kind,
            "soon_days": clock.SOON_DAYS,
            "provider_view": True,
        },
    )
