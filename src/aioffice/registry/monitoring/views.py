"""The compliance pages: one version's obligations, the Office-wide view of the gaps (staff)
and a provider's own. They parse, call the selectors and render."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any, cast
from urllib.parse import urlencode

from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from aioffice.core.exports import csv_response
from aioffice.core.htmx import render_page_or_fragment
from aioffice.core.permissions import is_office_staff, login_required, require
from aioffice.registry.monitoring import selectors
from aioffice.registry.monitoring.forms import GapFilterForm
from aioffice.registry.selectors import versions_visible_to

PAGE_SIZE = 25
# The counts are aiact's side (they change when versions are added or reassessed): kept a
# minute, so that paging and filtering by status or obligation do not count again.
SUMMARY_SECONDS = 60
CSV_HEADER = (
    "provider",
    "model",
    "version",
    "version_id",
    "systemic_risk_status",
    "obligation",
    "applies_from",
    "due",
    "status",
    "detail",
    "evidence",
)

# The chart's geometry (SVG user units).
_LABEL_WIDTH = 120
_BAR_WIDTH = 440
_ROW_HEIGHT = 22


def _today() -> date:
    return timezone.now().date()


@login_required
@require_GET
def version_compliance(request: HttpRequest, version_id: int) -> HttpResponse:
    """One version: each obligation aiact says applies, its status and its evidence."""
    versions = selectors.with_answers(versions_visible_to(request))
    version = get_object_or_404(versions, pk=version_id)
    on = _today()
    compliance = selectors.compliance_of([version], on)[0]
    return render(
        request,
        "registry/monitoring/version_compliance.html",
        {
            "version": version,
            "assessment": version.current_assessment,
            "compliance": compliance,
            "counts": [
                (status, selectors.STATUSES[status], number)
                for status, number in compliance.counts().items()
                if number
            ],
            "on": on,
            "not_applicable": [
                (selectors.obligation_label(o), selectors.OBLIGATION_TITLES[o], why)
                for o, why in compliance.not_applicable
            ],
        },
    )


def _chart(summary: selectors.Summary) -> dict[str, Any]:
    """Bars per obligation: in force now and from a later date, scaled to the largest."""
    largest = summary.largest
    bars = []
    for index, count in enumerate(summary.by_obligation):
        due = round(_BAR_WIDTH * count.due / largest, 1)
        later = round(_BAR_WIDTH * count.later / largest, 1)
        bars.append(
            {
                "count": count,
                "y": index * _ROW_HEIGHT,
                "text_y": index * _ROW_HEIGHT + 15,
                "due_width": due,
                "later_x": _LABEL_WIDTH + due,
                "later_width": later,
                "value_x": _LABEL_WIDTH + due + later + 4,
            }
        )
    return {
        "bars": bars,
        "label_width": _LABEL_WIDTH,
        "width": _LABEL_WIDTH + _BAR_WIDTH + 60,
        "height": len(bars) * _ROW_HEIGHT,
    }


def _compliance_list(request: HttpRequest, *, office: bool) -> HttpResponse:
    form = GapFilterForm(request.GET or None, staff=office)
    found = form.gap_filter()
    on = _today()
    visible = selectors.monitored_versions(request)
    scoped = selectors.filter_versions(
        visible, selectors.GapFilter(provider=found.provider, systemic_risk=found.systemic_risk)
    )
    summary: selectors.Summary
    if office:
        summary = cache.get_or_set(  # type: ignore[assignment]  # set just here
            ":".join(
                [
                    "monitoring-summary",
                    "office",
                    str(found.provider or ""),
                    str(found.systemic_risk),
                    on.isoformat(),
                ]
            ),
            lambda: selectors.summary(scoped),
            SUMMARY_SECONDS,
        )
    else:
        # Not cached for a provider's people: what they may see changes with a membership
        # or a mandate, and a cached count would outlive it (a few versions count quickly).
        summary = selectors.summary(scoped)
    pages: Any = selectors.CompliancePages(visible, found, on)  # sliced by the paginator
    page = Paginator(pages, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(selectors.gap_rows(page.object_list, found))
    page_counts = dict.fromkeys(selectors.STATUSES, 0)
    for _compliance, item in rows:
        page_counts[item.status] += 1
    query = urlencode({k: v for k, v in request.GET.items() if k != "page" and v})
    return render_page_or_fragment(
        request,
        "registry/monitoring/compliance_list.html",
        "results",
        {
            "office": office,
            "form": form,
            "summary": summary,
            "chart": _chart(summary),
            "page": page,
            "rows": rows,
            "page_counts": [(selectors.STATUSES[s], n) for s, n in page_counts.items()],
            "query": query,
            "on": on,
        },
    )


def csv_row(
    compliance: selectors.VersionCompliance, item: selectors.ObligationCompliance
) -> list[Any]:
    """One (version, obligation) row of the export (the pages' and the API's)."""
    version = compliance.version
    return [
        version.model.provider.organisation.name,
        version.model.name,
        version.label,
        version.pk,
        version.systemic_risk_status or "",
        item.obligation,
        item.applies_from,
        item.due,
        item.status,
        item.detail,
        " | ".join(e.label for e in item.evidence),
    ]


def _csv_rows(request: HttpRequest, office: bool) -> Iterator[list[Any]]:
    found = GapFilterForm(request.GET or None, staff=office).gap_filter()
    rows = selectors.all_gap_rows(selectors.monitored_versions(request), found, _today())
    for compliance, item in rows:
        yield csv_row(compliance, item)


def _download(rows: Iterator[list[Any]]) -> HttpResponse:
    """The streamed CSV (`core.exports.csv_response`); the permission decorators are typed
    for views answering an HttpResponse, which a streamed response is not a subclass of."""
    return cast(HttpResponse, csv_response("compliance.csv", CSV_HEADER, rows))


@require(is_office_staff)
@require_GET
def office_compliance(request: HttpRequest) -> HttpResponse:
    """AI Office staff: the gaps of every provider, by provider and by obligation."""
    return _compliance_list(request, office=True)


@require(is_office_staff)
@require_GET
def office_compliance_csv(request: HttpRequest) -> HttpResponse:
    return _download(_csv_rows(request, True))


@login_required
@require_GET
def provider_compliance(request: HttpRequest) -> HttpResponse:
    """A provider's people (and its current representative's): their own versions' gaps."""
    return _compliance_list(request, office=False)


@login_required
@require_GET
def provider_compliance_csv(request: HttpRequest) -> HttpResponse:
    return _download(_csv_rows(request, False))
