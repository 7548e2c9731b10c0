"""Who sees what of the information exchange (Art. 78: need to know). Decided here only.

* Office staff (after their second factor) see the exchange register: every active case
  share, every shared document with its shares, every request.
* A member of a designated authority (`permissions.authorities_of`) sees the cases shared
  with its authority (supervision's `CaseShare`, not revoked), the documents shared with it
  while a share is active, and the requests between it and the Office.
* Anyone else sees nothing. A document or request someone may not see is a 404, whether
  it exists or not: no title leaks.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.http import Http404, HttpRequest

from aioffice.cooperation import permissions
from aioffice.cooperation.models_exchange import (
    DocumentShare,
    ExchangeRequest,
    RequestFile,
    SharedDocument,
)
from aioffice.core.permissions import is_office_staff
from aioffice.core.schemas import MAX_ID
from aioffice.supervision.models import CaseShare


def _id(value: Any) -> int:
    """A record id, or 404 (not a number, out of the database's range)."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise Http404 from None
    if not 1 <= number <= MAX_ID:
        raise Http404
    return number


def is_staff(request: HttpRequest) -> bool:
    return is_office_staff(request)


def authority_ids(request: HttpRequest) -> list[int]:
    """The authorities the person acts for (none for Office staff: they see the register)."""
    if is_office_staff(request):
        return []
    return list(permissions.authorities_of(request.user).values_list("pk", flat=True))


def may_use_exchange(request: HttpRequest) -> bool:
    """Office staff, or a member of a designated authority."""
    if is_office_staff(request):
        return True
    return permissions.is_authority_user(request.user)


def may_act(request: HttpRequest) -> bool:
    """Office staff who run the exchange (share, send, assign, answer)."""
    if not is_office_staff(request):
        return False
    return permissions.may_run_exchange(request.user)


# --- cases (supervision's shares) -------------------------------------------------------------


def case_shares_visible_to(request: HttpRequest) -> QuerySet[CaseShare]:
    """Active case shares: all of them for staff, the authority's own for its members."""
    shares = (
        CaseShare.objects.filter(revoked_at__isnull=True)
        .select_related("case__provider__organisation", "authority")
        .order_by("-shared_at", "-id")
    )
    if is_office_staff(request):
        return shares
    organisations = permissions.authorities_of(request.user).values("organisation_id")
    return shares.filter(authority_id__in=organisations)


# --- documents -------------------------------------------------------------------------------


def _active_shares() -> QuerySet[DocumentShare]:
    return DocumentShare.objects.filter(revoked_at__isnull=True)


def documents_visible_to(request: HttpRequest) -> QuerySet[SharedDocument]:
    documents = SharedDocument.objects.select_related("case").order_by("-uploaded_at", "-id")
    if is_office_staff(request):
        return documents.prefetch_related(
            Prefetch(
                "shares",
                queryset=DocumentShare.objects.select_related("authority").order_by(
                    "shared_at", "id"
                ),
            )
        )
    own = authority_ids(request)
    if not own:
        return documents.none()
    return documents.filter(
        Exists(_active_shares().filter(document=OuterRef("pk"), authority_id__in=own))
    )


def document_for(request: HttpRequest, document_id: Any) -> SharedDocument:
    """A document the person may read, or 404 (unknown, or not shared with them)."""
    found = documents_visible_to(request).filter(pk=_id(document_id)).first()
    if found is None:
        raise Http404
    return found


def share_for(document: SharedDocument, share_id: Any) -> DocumentShare:
    found = (
        DocumentShare.objects.select_related("authority")
        .filter(pk=_id(share_id), document=document)
        .first()
    )
    if found is None:
        raise Http404
    return found


# --- requests --------------------------------------------------------------------------------


def requests_visible_to(request: HttpRequest) -> QuerySet[ExchangeRequest]:
    rows = ExchangeRequest.objects.select_related("authority", "assigned_officer").order_by(
        "-received_on", "-id"
    )
    if is_office_staff(request):
        return rows
    own = authority_ids(request)
    if not own:
        return rows.none()
    return rows.filter(authority_id__in=own)


def request_for(request: HttpRequest, request_id: Any) -> ExchangeRequest:
    """A request the person may read, or 404."""
    found = (
        requests_visible_to(request)
        .select_related("case", "model_version__model", "submitted_by", "answered_by")
        .prefetch_related("files", "reports")
        .filter(pk=_id(request_id))
        .first()
    )
    if found is None:
        raise Http404
    return found


def request_file_for(row: ExchangeRequest, file_id: Any) -> RequestFile:
    found = RequestFile.objects.filter(pk=_id(file_id), request=row).first()
    if found is None:
        raise Http404
    return found
