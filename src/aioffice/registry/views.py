"""The public list of GPAI models with systemic risk (Art. 52(6)): a page, JSON and CSV.

Public by design: anyone may read it, and it shows only the model and provider names,
the status and the fields marked public.
"""

from __future__ import annotations

import csv
from typing import Any

from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.http import require_GET

from aioffice.core.htmx import render_page_or_fragment
from aioffice.registry import selectors
from aioffice.registry.choices import PublicField, SystemicRiskStatus

_FIELD_LABELS = dict(PublicField.choices)
_STATUS_LABELS = dict(SystemicRiskStatus.choices)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_cell(v)}" for k, v in value.items())
    return str(value)


@require_GET
def systemic_risk_models(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.systemic_risk_versions(), 50).get_page(request.GET.get("page"))
    rows = []
    for version in page.object_list:
        entry = selectors.public_entry(version)
        rows.append(
            {
                **entry,
                "status_label": _STATUS_LABELS.get(entry["systemic_risk_status"], ""),
                "facts": [
                    (_FIELD_LABELS[name], _cell(value)) for name, value in entry["fields"].items()
                ],
            }
        )
    return render_page_or_fragment(
        request, "registry/systemic_risk_models.html", "results", {"page": page, "rows": rows}
    )


@require_GET
def systemic_risk_models_json(request: HttpRequest) -> JsonResponse:
    items = [selectors.public_entry(v) for v in selectors.systemic_risk_versions()]
    return JsonResponse({"count": len(items), "items": items}, encoder=DjangoJSONEncoder)


CSV_COLUMNS = ("model", "provider", "version", "systemic_risk_status", *selectors.PUBLIC_COLUMNS)


@require_GET
def systemic_risk_models_csv(request: HttpRequest) -> HttpResponse:
    """One row per version; a field not marked public is an empty cell."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="systemic-risk-models.csv"'
    writer = csv.writer(response)
    writer.writerow(CSV_COLUMNS)
    for version in selectors.systemic_risk_versions():
        entry = selectors.public_entry(version)
        fields = entry["fields"]
        writer.writerow(
            [entry["model"], entry["provider"], entry["version"], entry["systemic_risk_status"]]
            + [_cell(fields.get(name)) for name in selectors.PUBLIC_COLUMNS]
        )
    return response
