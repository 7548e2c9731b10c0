"""Reads of documentation: who may see which submission and request, what a version needs.

Access builds on the registry's `provider_scope`: staff (after their second factor) see
every version's documentation, a provider's people (and its current representative's) their
own; anyone else nothing, except that a downstream provider sees the requests it made and
the Annex XII answer linked to them, limited to the fields for downstream providers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import HttpRequest

from aioffice.accounts.choices import OrganisationKind
from aioffice.accounts.models import Membership, Organisation
from aioffice.core.permissions import is_office_staff
from aioffice.registry.documentation.choices import (
    OBLIGATION_NOT_APPLICABLE,
    Audience,
    DocumentType,
    SubmissionStatus,
)
from aioffice.registry.documentation.doctypes import DocType, MissingItem, load_doctypes
from aioffice.registry.documentation.models import (
    AnnexXIIRequest,
    DocumentAttachment,
    DocumentSubmission,
)
from aioffice.registry.models import ModelVersion, Provider
from aioffice.registry.selectors import provider_scope

# --- who may see what ------------------------------------------------------------------------


def _providers_in_scope(request: HttpRequest) -> Q | None:
    """The versions' providers a person may see, as a condition on `version__…`."""
    scope = provider_scope(request)
    if scope is None:
        return None
    return Q(version__model__provider__in=Provider.objects.filter(scope).values("pk"))


def downstream_organisations(request: HttpRequest) -> QuerySet[Organisation]:
    """The downstream-provider organisations a person acts for (none for staff or
    anonymous people). Deny unless a rule grants: an active member of such an organisation."""
    user: Any = request.user
    if not user.is_authenticated:
        return Organisation.objects.none()
    if not user.is_active:
        return Organisation.objects.none()
    if is_office_staff(request):
        return Organisation.objects.none()
    own = Membership.objects.filter(user=user).values("organisation_id")
    return Organisation.objects.filter(pk__in=own, kind=OrganisationKind.DOWNSTREAM_PROVIDER)


def may_ask_for_annex_xii(request: HttpRequest) -> bool:
    """Only a member of a downstream-provider organisation asks a provider for Annex XII."""
    return downstream_organisations(request).exists()


def may_write_documentation(request: HttpRequest) -> bool:
    """The provider's people write its documentation; staff read it (they never file it on
    a provider's behalf). Called after the version was found in the person's scope."""
    return not is_office_staff(request)


def versions_open_to_requests(on: date) -> QuerySet[ModelVersion]:
    """The versions a downstream provider may ask about: placed on the market by `on`. A
    version not yet on the market is the provider's confidential business (Art. 78): asking
    about it is a 404, so that its id, model and provider are not learnt by trying ids."""
    return ModelVersion.objects.select_related("model").filter(placed_on_market__lte=on)


def submissions_visible_to(request: HttpRequest) -> QuerySet[DocumentSubmission]:
    submissions = DocumentSubmission.objects.select_related(
        "version__model__provider__organisation"
    )
    scope = _providers_in_scope(request)
    return submissions if scope is None else submissions.filter(scope)


def requests_visible_to(request: HttpRequest) -> QuerySet[AnnexXIIRequest]:
    """Staff: all; the provider's people: requests to their versions; a downstream
    provider's people: the requests their organisation made."""
    requests = AnnexXIIRequest.objects.select_related(
        "requester", "version__model__provider__organisation", "answer"
    )
    scope = _providers_in_scope(request)
    if scope is None:
        return requests
    return requests.filter(scope | Q(requester__in=downstream_organisations(request)))


def attachment_visible_to(request: HttpRequest, attachment_id: int) -> DocumentAttachment | None:
    """An attachment the person may download: any of a submission they may see, or one in a
    downstream field of an Annex XII answer to their organisation's request."""
    attachment = (
        DocumentAttachment.objects.select_related("submission")
        .filter(pk=attachment_id)
        .filter(submission__in=submissions_visible_to(request).values("pk"))
        .first()
    )
    if attachment is not None:
        return attachment
    answered = AnnexXIIRequest.objects.filter(
        requester__in=downstream_organisations(request), answer__isnull=False
    ).values("answer_id")
    attachment = (
        DocumentAttachment.objects.select_related("submission")
        .filter(pk=attachment_id, submission__in=answered)
        .first()
    )
    if attachment is None:
        return None
    field = load_doctypes()[attachment.submission.doc_type].by_key.get(attachment.field_key)
    if field is None or not field.for_audience(Audience.DOWNSTREAM_PROVIDERS):
        return None
    return attachment


# --- published by law: the training-content summary (Art. 53(1)(d)) ------------------------


def public_training_summaries(version_id: int) -> list[DocumentSubmission]:
    """The submitted training-content summaries of a version, newest first. Public by law
    (Art. 53(1)(d): "make publicly available"); only their public fields are shown."""
    return list(
        DocumentSubmission.objects.select_related("version__model__provider__organisation")
        .prefetch_related("attachments")
        .filter(
            version_id=version_id,
            doc_type=DocumentType.TRAINING_SUMMARY,
            status=SubmissionStatus.SUBMITTED,
        )
        .order_by("-number")
    )


def public_training_summary_index(query: str = "") -> QuerySet[DocumentSubmission]:
    """The public index of training-content summaries: the current summary (the newest
    submitted) of every version that has one, by provider, model and version. `query`
    matches part of the provider's or the model's name, in any case."""
    newer = DocumentSubmission.objects.filter(
        version_id=OuterRef("version_id"),
        doc_type=DocumentType.TRAINING_SUMMARY,
        status=SubmissionStatus.SUBMITTED,
        number__gt=OuterRef("number"),
    )
    summaries = DocumentSubmission.objects.filter(
        ~Exists(newer), doc_type=DocumentType.TRAINING_SUMMARY, status=SubmissionStatus.SUBMITTED
    )
    if query:
        summaries = summaries.filter(
            Q(version__model__provider__organisation__name__icontains=query)
            | Q(version__model__name__icontains=query)
        )
    return summaries.select_related("version__model__provider__organisation").order_by(
        "version__model__provider__organisation__name",
        "version__model__name",
        "version__label",
        "version_id",
    )


def public_attachment(attachment_id: int) -> DocumentAttachment | None:
    """An attachment anyone may download: in a public field of a submitted summary."""
    attachment = (
        DocumentAttachment.objects.select_related("submission")
        .filter(
            pk=attachment_id,
            submission__doc_type=DocumentType.TRAINING_SUMMARY,
            submission__status=SubmissionStatus.SUBMITTED,
        )
        .first()
    )
    if attachment is None:
        return None
    field = load_doctypes()[DocumentType.TRAINING_SUMMARY].by_key.get(attachment.field_key)
    if field is None or not field.for_audience(Audience.PUBLIC):
        return None
    return attachment


# --- what a version needs --------------------------------------------------------------------


def obligation_statuses(version: ModelVersion) -> dict[str, str]:
    """aiact's status of each obligation in the version's current assessment (none before
    the first assessment)."""
    current = version.current_assessment
    return dict(current.obligations) if current is not None else {}


def required_types(obligations: dict[str, str]) -> list[DocType]:
    """The document types a version needs: those whose `required_when` obligations all apply
    (are not `not_applicable`) in aiact's answer. Nothing is decided here."""
    return [
        kind
        for kind in load_doctypes().values()
        if all(
            obligations.get(o, OBLIGATION_NOT_APPLICABLE) != OBLIGATION_NOT_APPLICABLE
            for o in kind.required_when
        )
    ]


@dataclass
class TypeOverview:
    """One document type of a version: needed or not, its current submission, its draft,
    and every submission newest first."""

    doctype: DocType
    required: bool
    obligation_status: str
    current: DocumentSubmission | None
    draft: DocumentSubmission | None
    history: list[DocumentSubmission]

    @property
    def missing(self) -> list[MissingItem]:
        if self.current is None:
            return []
        return [MissingItem(**m) for m in self.current.missing]


def version_documentation(version: ModelVersion) -> list[TypeOverview]:
    """Every document type for a version (the needed ones first), in one query."""
    obligations = obligation_statuses(version)
    needed = {d.type for d in required_types(obligations)}
    by_type: dict[str, list[DocumentSubmission]] = {t: [] for t in DocumentType.values}
    for submission in DocumentSubmission.objects.filter(version=version).order_by(
        "doc_type", "-number"
    ):
        by_type[submission.doc_type].append(submission)
    rows = []
    for kind in load_doctypes().values():
        history = by_type[kind.type]
        rows.append(
            TypeOverview(
                doctype=kind,
                required=kind.type in needed,
                obligation_status=obligations.get(kind.obligation, OBLIGATION_NOT_APPLICABLE),
                current=next((s for s in history if not s.is_draft), None),
                draft=next((s for s in history if s.is_draft), None),
                history=history,
            )
        )
    return sorted(rows, key=lambda r: not r.required)


def current_submission(version: ModelVersion, doc_type: str) -> DocumentSubmission | None:
    return (
        DocumentSubmission.objects.filter(
            version=version, doc_type=doc_type, status=SubmissionStatus.SUBMITTED
        )
        .order_by("-number")
        .first()
    )


def draft_of(version: ModelVersion, doc_type: str) -> DocumentSubmission | None:
    return DocumentSubmission.objects.filter(
        version=version, doc_type=doc_type, status=SubmissionStatus.DRAFT
    ).first()


def missing_now(submission: DocumentSubmission) -> list[MissingItem]:
    """The completeness check: as stored at submission, or computed now for a draft."""
    if not submission.is_draft:
        return [MissingItem(**m) for m in submission.missing]
    kind = load_doctypes()[submission.doc_type]
    attached = set(submission.attachments.values_list("field_key", flat=True))
    return kind.missing(submission.content, attached)


def visible_content(submission: DocumentSubmission, audience: str | None) -> list[tuple[Any, Any]]:
    """(field, value) for each field an audience sees, in the schema's order; every field
    when `audience` is None."""
    kind = load_doctypes()[submission.doc_type]
    return [(f, submission.content.get(f.key)) for f in kind.fields_for(audience)]


def overdue_condition(day: date) -> Q:
    """Requests overdue on `day`: past their due date and not answered by that day."""
    return Q(due_on__lt=day) & (Q(answered_on__isnull=True) | Q(answered_on__gt=day))
