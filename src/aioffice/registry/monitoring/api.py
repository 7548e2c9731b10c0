"""Compliance monitoring over HTTP, mounted at /api/v1/monitoring/. Who sees what is the
registry's rule (`registry.selectors.provider_scope`): staff after their second factor see
every version, a provider's people (and its current representative's) their own, others
none; someone else's version is a 404."""

from datetime import date
from typing import Annotated, Any, Literal

from django.http import HttpRequest, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from aioffice.core.exports import csv_response
from aioffice.core.schemas import MAX_ID
from aioffice.registry.api import Pagination
from aioffice.registry.monitoring import selectors
from aioffice.registry.monitoring.views import CSV_HEADER, csv_row
from aioffice.registry.selectors import versions_visible_to

router = Router(tags=["monitoring"])

ObligationName = Literal[
    "art52_1",
    "art53_1_a",
    "art53_1_b",
    "art53_1_c",
    "art53_1_d",
    "art53_3",
    "art54_1",
    "art55_1_a",
    "art55_1_b",
    "art55_1_c",
    "art55_1_d",
]
StatusName = Literal["met", "incomplete", "missing", "overdue", "not_yet_due", "not_expected"]


class EvidenceOut(Schema):
    kind: str
    label: str
    status: str
    due: date | None
    detail: str
    url: str


class ObligationOut(Schema):
    obligation: str
    label: str
    title: str
    applies_from: date | None
    due: date | None
    scope: str
    status: str
    detail: str
    evidence: list[EvidenceOut]


class NotApplicableOut(Schema):
    obligation: str
    reason: str


class VersionComplianceOut(Schema):
    version_id: int
    model: str
    version: str
    provider_id: int
    provider: str
    systemic_risk_status: str | None
    obligations: list[ObligationOut]
    not_applicable: list[NotApplicableOut]


def _out(compliance: selectors.VersionCompliance, found: selectors.GapFilter) -> dict[str, Any]:
    version = compliance.version
    return {
        "version_id": version.pk,
        "model": version.model.name,
        "version": version.label,
        "provider_id": version.model.provider_id,
        "provider": version.model.provider.organisation.name,
        "systemic_risk_status": version.systemic_risk_status,
        "obligations": [
            {
                "obligation": item.obligation,
                "label": item.label,
                "title": str(item.title),
                "applies_from": item.applies_from,
                "due": item.due,
                "scope": item.scope,
                "status": item.status,
                "detail": item.detail,
                "evidence": [
                    {
                        "kind": e.kind,
                        "label": e.label,
                        "status": e.status,
                        "due": e.due,
                        "detail": e.detail,
                        "url": e.url,
                    }
                    for e in item.evidence
                ],
            }
            for item in compliance.obligations
            if found.matches(item)
        ],
        "not_applicable": [
            {"obligation": oid, "reason": reason} for oid, reason in compliance.not_applicable
        ],
    }


class _Pages(selectors.CompliancePages):
    """A page of versions as the API shows them (only the obligations that match)."""

    def __getitem__(self, index: slice) -> list[dict[str, Any]]:  # type: ignore[override]  # items as JSON
        return [_out(compliance, self.found) for compliance in super().__getitem__(index)]


def _filter(
    obligation: str | None, status: str | None, provider: int | None, systemic_risk: bool
) -> selectors.GapFilter:
    return selectors.GapFilter(
        obligation=obligation, status=status, provider=provider, systemic_risk=systemic_risk
    )


@router.get(
    "/versions/{version_id}",
    response=VersionComplianceOut,
    summary="A version's obligations, their status and their evidence",
)
def version_compliance(
    request: HttpRequest, version_id: Annotated[int, Field(ge=1, le=MAX_ID)]
) -> Any:
    versions = selectors.with_answers(versions_visible_to(request))
    version = get_object_or_404(versions, pk=version_id)
    compliance = selectors.compliance_of([version], timezone.now().date())[0]
    return _out(compliance, selectors.GapFilter())


@router.get(
    "/gaps",
    response=list[VersionComplianceOut],
    summary="Versions with the obligations that match the filters (status with evidence)",
)
@paginate(Pagination)
def gap_list(
    request: HttpRequest,
    obligation: ObligationName | None = None,
    status: StatusName | None = None,
    provider: Annotated[int | None, Field(ge=1, le=MAX_ID)] = None,
    systemic_risk: bool = False,
) -> Any:
    found = _filter(obligation, status, provider, systemic_risk)
    return _Pages(selectors.monitored_versions(request), found, timezone.now().date())


@router.get("/gaps.csv", summary="Every matching (version, obligation) row as CSV")
def gap_list_csv(
    request: HttpRequest,
    obligation: ObligationName | None = None,
    status: StatusName | None = None,
    provider: Annotated[int | None, Field(ge=1, le=MAX_ID)] = None,
    systemic_risk: bool = False,
) -> StreamingHttpResponse:
    found = _filter(obligation, status, provider, systemic_risk)
    rows = selectors.all_gap_rows(
        selectors.monitored_versions(request), found, timezone.now().date()
    )
    return csv_response("compliance.csv", CSV_HEADER, (csv_row(c, i) for c, i in rows))
