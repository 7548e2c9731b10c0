"""Who sees which report. Deny unless a rule grants.

* Office staff (after the second factor) see the triage queue: every report, of every kind.
* A sender sees the complaints and alerts they sent, and a provider's people (members and
  current authorised representatives) see the incidents reported for that provider.
* A whistleblower sees their report only through their secret key; nothing else leads to it.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest

from aioffice.accounts.choices import Role
from aioffice.core import audit
from aioffice.core.permissions import is_office_staff
from aioffice.registry.models import Provider
from aioffice.registry.selectors import provider_scope
from aioffice.supervision.choices import IntakeKind
from aioffice.supervision.models import Document, Intake, WhistleblowerReport
from aioffice.supervision.services_intake import (
    is_downstream_provider,
    is_panel_member,
    secret_digest,
)

__all__ = [
    "QUEUE_CSV_COLUMNS",
    "intake_document_for",
    "intake_for_sender",
    "intake_for_staff",
    "intake_queue",
    "may_alert",
    "may_complain",
    "may_have_reports",
    "may_report_incidents",
    "own_intakes",
    "whistleblower_by_secret",
]

QUEUE_RELATED = ("provider__organisation", "organisation", "merged_into", "incident")
QUEUE_CSV_COLUMNS = (
    "tracking_number",
    "kind",
    "status",
    "title",
    "provider",
    "received_on",
    "merged_into",
    "initial_report_due",
)


# --- who may send what (pages and API) ---------------------------------------------------


def may_complain(request: HttpRequest) -> bool:
    """A downstream provider's member (not the Office's staff)."""
    if is_office_staff(request):
        return False
    return is_downstream_provider(request.user)


def may_alert(request: HttpRequest) -> bool:
    """A member of the scientific panel."""
    if is_office_staff(request):
        return False
    return is_panel_member(request.user)


def may_report_incidents(request: HttpRequest) -> bool:
    """Someone who acts for a provider (a member or a current representative)."""
    if is_office_staff(request):
        return False
    scope = provider_scope(request)
    if scope is None:  # pragma: no cover  # only staff see every provider
        return False
    return Provider.objects.filter(scope).exists()


def may_have_reports(request: HttpRequest) -> bool:
    """Those who may send reports under their name (not the Office's staff): people of an
    organisation (providers, downstream providers) and the scientific panel."""
    if is_office_staff(request):
        return False
    user: Any = request.user
    if not user.is_authenticated or not user.is_active:
        return False
    return bool(user.has_role(Role.ORGANISATION_MEMBER, Role.SCIENTIFIC_PANEL_MEMBER))


def intake_queue(
    request: HttpRequest, *, kind: str | None = None, status: str | None = None
) -> QuerySet[Intake]:
    """The triage queue: every report, newest first (staff only; others get none)."""
    if not is_office_staff(request):
        return Intake.objects.none()
    intakes = Intake.objects.select_related(*QUEUE_RELATED).order_by("-received_at", "-id")
    if kind:
        intakes = intakes.filter(kind=kind)
    if status:
        intakes = intakes.filter(status=status)
    return intakes


def own_intakes(request: HttpRequest) -> QuerySet[Intake]:
    """A sender's reports: the complaints and alerts they sent, and the incidents of the
    providers they act for. Whistleblower reports never appear here."""
    user: Any = request.user
    if not user.is_authenticated or not user.is_active:
        return Intake.objects.none()
    mine = Q(submitted_by=user)
    if not is_office_staff(request):
        scope = provider_scope(request)
        if scope is not None:
            providers = Provider.objects.filter(scope).values("pk")
            mine |= Q(kind=IntakeKind.INCIDENT, provider__in=providers)
    return (
        Intake.objects.filter(mine)
        .exclude(kind=IntakeKind.WHISTLEBLOWER)
        .select_related(*QUEUE_RELATED)
        .order_by("-received_at", "-id")
    )


def intake_for_sender(request: HttpRequest, tracking_number: str) -> Intake:
    """A sender's own report by its tracking number (404 otherwise: unknown and someone
    else's are the same answer, so the number says nothing)."""
    found = own_intakes(request).filter(tracking_number=tracking_number).first()
    if found is None:
        raise Http404("No such report.")
    return found


def intake_for_staff(request: HttpRequest, intake_id: int) -> Intake:
    """One report for the Office's staff (403 for anyone else, 404 when unknown)."""
    if not is_office_staff(request):
        raise PermissionDenied
    found = Intake.objects.select_related(*QUEUE_RELATED, "triaged_by").filter(pk=intake_id).first()
    if found is None:
        raise Http404("No such report.")
    return found


def whistleblower_by_secret(secret: str) -> WhistleblowerReport | None:
    """The report a secret key opens, or None."""
    if not secret or len(secret) > 200:
        return None
    return (
        WhistleblowerReport.objects.select_related("intake")
        .filter(secret_sha256=secret_digest(secret))
        .first()
    )


def intake_document_for(request: HttpRequest, document_id: int) -> Document:
    """A report's document: for the Office's staff, and for the report's sender (a
    whistleblower's files only for staff). 404 unknown, 403 otherwise. Writes
    "supervision.document.opened"."""
    document = Document.objects.select_related("intake").filter(pk=document_id).first()
    if document is None or document.intake_id is None:
        raise Http404("No such document.")
    intake_id: int = document.intake_id
    if is_office_staff(request):
        side = "staff"
    elif own_intakes(request).filter(pk=intake_id).exists():
        side = "sender"
    else:
        raise PermissionDenied("You may not open this document.")
    audit.record(
        actor=request.user,
        action="supervision.document.opened",
        obj=document,
        after={"intake": document.intake_id, "as": side, "sha256": document.sha256},
    )
    return document
