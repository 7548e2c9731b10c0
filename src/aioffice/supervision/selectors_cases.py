"""Who sees which case, and what of it (Art. 78: need to know).

* The register (`cases_visible_to`): every member of the Office staff, after the second
  factor, sees each case's reference, title, provider, status and team; never its file.
* A case file (`case_file_for`) opens for its team and, read-only, for members of a
  national authority it is shared with; an unknown case is a 404, anyone else a 403. Each
  opening is written to the audit trail with who opened it.
* A document (`document_for`) opens for those who may open its case file, and for the
  provider's side only when it is its own case's document made visible to it; each opening
  is written to the audit trail.
* A provider's side (`provider_cases`, `provider_case_for`) sees its own cases only, and of
  them only what was sent to it (`ProviderView`): the steps marked visible to it, its
  requests for information, the preliminary findings, the measures, the decisions notified
  and its own deadlines. Never internal notes, experts and their declarations, other
  documents or the shares.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone

from aioffice.accounts.choices import Role
from aioffice.core import audit
from aioffice.core.permissions import is_office_staff
from aioffice.core.schemas import MAX_ID
from aioffice.registry.models import AuthorisedRepresentative, Provider, current_mandates
from aioffice.supervision import permissions
from aioffice.supervision.choices import DeadlineStatus
from aioffice.supervision.models import (
    Case,
    CaseStep,
    Deadline,
    Decision,
    Document,
    InformationRequest,
    Measure,
    PreliminaryFindings,
)


def _id(value: Any) -> int:
    """A record id, or 404 (not a number, out of the database's range)."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise Http404 from None
    if not 1 <= number <= MAX_ID:
        raise Http404
    return number


# --- staff: the register and the case file ------------------------------------------------


def cases_visible_to(request: HttpRequest) -> QuerySet[Case]:
    """The register: every case for Office staff (with their second factor), nothing for
    anyone else. What a register shows is reference, title, provider, status and team."""
    if not is_office_staff(request):
        return Case.objects.none()
    return Case.objects.select_related("provider__organisation").prefetch_related("team__user")


def cases_shared_with(request: HttpRequest) -> QuerySet[Case]:
    """The cases shared (and not revoked) with the national authorities of the user."""
    user: Any = request.user
    if not user.is_authenticated or not user.is_active:
        return Case.objects.none()
    if not user.has_role(Role.NATIONAL_AUTHORITY_MEMBER):
        return Case.objects.none()
    own = user.memberships.filter(role=Role.NATIONAL_AUTHORITY_MEMBER).values("organisation_id")
    return (
        Case.objects.filter(shares__authority_id__in=own, shares__revoked_at__isnull=True)
        .distinct()
        .select_related("provider__organisation")
    )


def may_read_case_file(request: HttpRequest, case: Case) -> bool:
    """The team (staff with their second factor), or an authority it is shared with."""
    if is_office_staff(request) and permissions.is_on_team(request.user, case):
        return True
    return permissions.shared_with_user(request.user, case)


def may_act_on_case(request: HttpRequest, case: Case) -> bool:
    """The team takes steps; a shared authority only reads."""
    return is_office_staff(request) and permissions.is_on_team(request.user, case)


def case_for_step(request: HttpRequest, case_id: Any) -> Case:
    """The case a team member takes a step in: 404 unknown, 403 for anyone not on its team
    (the services check what each step needs beyond that)."""
    case = Case.objects.select_related("provider__organisation").filter(pk=_id(case_id)).first()
    if case is None:
        raise Http404
    if not may_act_on_case(request, case):
        raise PermissionDenied("Only the case's team takes steps in it.")
    return case


def case_file_for(request: HttpRequest, case_id: Any) -> Case:
    """The case file: 404 when unknown, 403 when the user is neither on its team nor a
    member of an authority it is shared with. Writes "supervision.case.opened"."""
    case = (
        Case.objects.select_related("provider__organisation", "opened_by")
        .filter(pk=_id(case_id))
        .first()
    )
    if case is None:
        raise Http404
    if not may_read_case_file(request, case):
        raise PermissionDenied(
            "This case file is open only to its team and the authorities it is shared with."
        )
    audit.record(
        actor=request.user,
        action="supervision.case.opened",
        obj=case,
        after={"as": "team" if may_act_on_case(request, case) else "shared authority"},
    )
    return case


# --- the provider's side -----------------------------------------------------------------


def providers_of(request: HttpRequest) -> QuerySet[Provider]:
    """The providers the user acts for: its organisation's, or those it represents under a
    current mandate."""
    user: Any = request.user
    if not user.is_authenticated or not user.is_active:
        return Provider.objects.none()
    own = user.memberships.values("organisation_id")
    represented = AuthorisedRepresentative.objects.filter(
        current_mandates(timezone.now().date()), representative_id__in=own
    ).values("provider_id")
    return Provider.objects.filter(Q(organisation_id__in=own) | Q(pk__in=represented))


def _sent_to_provider() -> Q:
    """A case the provider knows of: something was sent to it."""
    return Q(
        Exists(CaseStep.objects.filter(case=OuterRef("pk"), visible_to_provider=True))
        | Exists(InformationRequest.objects.filter(case=OuterRef("pk")))
        | Exists(PreliminaryFindings.objects.filter(case=OuterRef("pk")))
        | Exists(Measure.objects.filter(case=OuterRef("pk")))
        | Exists(Decision.objects.filter(case=OuterRef("pk"), notified_on__isnull=False))
    )


def provider_cases(request: HttpRequest) -> QuerySet[Case]:
    """The cases of the providers the user acts for, once something was sent to them."""
    providers = providers_of(request)
    return (
        Case.objects.filter(provider__in=providers)
        .filter(_sent_to_provider())
        .select_related("provider__organisation")
    )


def provider_case_for(request: HttpRequest, case_id: Any) -> Case:
    """One of the provider's own cases: 404 when unknown (or not yet sent to it), 403 when
    it is another provider's. Writes "supervision.case.opened" (the provider's side)."""
    case = Case.objects.select_related("provider__organisation").filter(pk=_id(case_id)).first()
    if case is None:
        raise Http404
    if not permissions.acts_for_provider(request.user, case.provider):
        raise PermissionDenied("This is not a case of a provider you act for.")
    if not provider_cases(request).filter(pk=case.pk).exists():
        raise Http404
    audit.record(
        actor=request.user,
        action="supervision.case.opened",
        obj=case,
        after={"as": "provider"},
    )
    return case


@dataclass
class ProviderView:
    """What the provider's side sees of its case."""

    case: Case
    steps: list[CaseStep]
    requests: list[InformationRequest]
    findings: list[PreliminaryFindings]
    measures: list[Measure]
    decisions: list[Decision]
    deadlines: list[Deadline]
    documents: list[Document]


def provider_view(case: Case) -> ProviderView:
    return ProviderView(
        case=case,
        steps=list(case.steps.filter(visible_to_provider=True).order_by("occurred_on", "id")),
        requests=list(
            case.information_requests.prefetch_related("documents").order_by("-sent_on", "-id")
        ),
        findings=list(case.findings.order_by("sent_on", "id")),
        measures=list(case.measures.order_by("requested_on", "id")),
        decisions=list(
            case.decisions.filter(notified_on__isnull=False)
            .select_related("fine")
            .order_by("adopted_on", "id")
        ),
        deadlines=list(
            case.deadlines.filter(provider_to_act=True, status=DeadlineStatus.OPEN).order_by(
                "due_on", "id"
            )
        ),
        documents=list(
            case.documents.filter(visible_to_provider=True).order_by("uploaded_at", "id")
        ),
    )


def provider_request_for(request: HttpRequest, request_id: Any) -> InformationRequest:
    """A request for information sent to a provider the user acts for (404/403)."""
    found = (
        InformationRequest.objects.select_related("case__provider__organisation")
        .filter(pk=_id(request_id))
        .first()
    )
    if found is None:
        raise Http404
    if not permissions.acts_for_provider(request.user, found.case.provider):
        raise PermissionDenied("This request was sent to another provider.")
    return found


def provider_findings_for(request: HttpRequest, findings_id: Any) -> PreliminaryFindings:
    """Preliminary findings sent to a provider the user acts for (404/403)."""
    found = (
        PreliminaryFindings.objects.select_related("case__provider__organisation")
        .filter(pk=_id(findings_id))
        .first()
    )
    if found is None:
        raise Http404
    if not permissions.acts_for_provider(request.user, found.case.provider):
        raise PermissionDenied("These findings were sent to another provider.")
    return found


# --- documents and decisions ---------------------------------------------------------------


def document_for(request: HttpRequest, document_id: Any) -> Document:
    """A case's document: for those who may open the case file; for the provider's side
    only its own case's documents made visible to it. 404 unknown, 403 otherwise. Writes
    "supervision.document.opened"."""
    document = Document.objects.select_related("case__provider").filter(pk=_id(document_id)).first()
    if document is None or document.case is None:
        raise Http404  # a report's documents are the triage queue's (selectors_intake)
    case = document.case
    if may_read_case_file(request, case):
        side = "team" if may_act_on_case(request, case) else "shared authority"
    elif document.visible_to_provider and permissions.acts_for_provider(
        request.user, case.provider
    ):
        side = "provider"
    else:
        raise PermissionDenied("You may not open this document.")
    audit.record(
        actor=request.user,
        action="supervision.document.opened",
        obj=document,
        after={"case": case.pk, "as": side, "sha256": document.sha256},
    )
    return document


def decision_for(request: HttpRequest, decision_id: Any) -> Decision:
    """A decision's PDF: for those who may open the case file; for the provider's side once
    notified. 404 unknown, 403 otherwise. Writes "supervision.document.opened"."""
    decision = Decision.objects.select_related("case__provider").filter(pk=_id(decision_id)).first()
    if decision is None:
        raise Http404
    case = decision.case
    if may_read_case_file(request, case):
        side = "team" if may_act_on_case(request, case) else "shared authority"
    elif decision.notified_on is not None and permissions.acts_for_provider(
        request.user, case.provider
    ):
        side = "provider"
    else:
        raise PermissionDenied("You may not open this decision.")
    audit.record(
        actor=request.user,
        action="supervision.document.opened",
        obj=decision,
        after={"case": case.pk, "as": side, "sha256": decision.sha256},
    )
    return decision
