"""Information exchange: every change to shared documents and requests, one function each.

Keyword-only, `actor` first; one transaction per state change with the changed row locked;
one audit event each (ids, kinds and statuses only, never a title or a text: the trail must
not carry what Art. 78 protects). Bad input raises `ValidationError` naming the field; an
actor without the right raises `PermissionDenied`.

Due dates: a request received from a market surveillance authority opens a deadline on the
one clock (`supervision.clock.open_deadline`) with what aiact said:

* Art. 75(3) (ENF-07): clock "msa-reply", 30 days;
* Art. 75(2a) (AIO-02): the request is checked by aiact ("msa-request": single point of
  contact, fields (a)-(c)), clock "msa-assessment", 4 months;
* Art. 88(2): the Act sets no period, so no deadline is opened (the request says so);
* the Office's own requests (Art. 75(1b), 74(11)) and support requests to ECAT or the JRC:
  the due date the Office sets or agrees, kept on the clock as such.

The answer closes the deadline (met); a withdrawal closes it as no longer due.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models.fields.files import FieldFile
from django.db.models.functions import Length
from django.utils import timezone

from aiact import InputError, evaluate, load_law
from aioffice.cooperation import permissions
from aioffice.cooperation.models_authorities import Authority
from aioffice.cooperation.models_exchange import (
    AUTHORITY_KINDS,
    OFFICE_KINDS,
    OPEN_REQUEST_STATUSES,
    Confidentiality,
    DocumentShare,
    ExchangeRequest,
    Institution,
    ProgressReport,
    RequestFile,
    RequestKind,
    RequestStatus,
    SharedDocument,
)
from aioffice.core import audit
from aioffice.core.dates import step_date
from aioffice.core.files import (
    CSV,
    DOCX,
    JPEG,
    JSON,
    MARKDOWN,
    ODS,
    ODT,
    PDF,
    PNG,
    PPTX,
    TEXT,
    XLSX,
    check_upload,
    removed_on_failure,
)
from aioffice.registry.models import ModelVersion
from aioffice.supervision import clock, evidence
from aioffice.supervision.choices import DeadlineKind, DeadlineStatus, ScanStatus
from aioffice.supervision.models import Case

__all__ = [
    "ALLOWED_TYPES",
    "document_revoke",
    "document_share",
    "document_upload",
    "request_answer",
    "request_assign",
    "request_report",
    "request_submit",
    "request_withdraw",
]

# what a shared document or an answer's file may be: office documents, PDF, text, images
ALLOWED_TYPES = (PDF, TEXT, CSV, MARKDOWN, JSON, ODT, ODS, DOCX, XLSX, PPTX, PNG, JPEG)
MAX_TITLE = 200
MAX_TEXT = 20000
MAX_FILES = 10
# a reference is the last one + 1: a request that loses the race (the unique reference,
# once the other's transaction commits) reads the new last one and tries again
NUMBER_ATTEMPTS = 20

# the deadline each kind of request opens on the clock, and aiact's clock for it
_DEADLINE_KIND: dict[str, str] = {
    RequestKind.MSA_INFORMATION: DeadlineKind.MUTUAL_ASSISTANCE,
    RequestKind.MSA_ASSESSMENT: DeadlineKind.MSA_ASSESSMENT,
    RequestKind.OFFICE_ASSISTANCE: DeadlineKind.MUTUAL_ASSISTANCE,
    RequestKind.SUPPORT: DeadlineKind.SUPPORT_REQUEST,
}
_CLOCK: dict[str, str] = {
    RequestKind.MSA_INFORMATION: "msa-reply",
    RequestKind.MSA_ASSESSMENT: "msa-assessment",
}
_PREFIX: dict[str, str] = {RequestKind.SUPPORT: "SUP"}
_MSA_REQUEST_FIELDS = {
    "via_single_point_of_contact": "authority",
    "operator_named": "operator_named",
    "facts_and_provisions": "facts",
    "requesting_authority": "authority",
}


def _today() -> date:
    """The Office's current day (UTC): the one place these services read the clock."""
    return timezone.now().date()


def _text(
    value: Any, field: str, what: str, *, required: bool = True, limit: int = MAX_TEXT
) -> str:
    if value is not None and not isinstance(value, str):
        raise ValidationError({field: f"{what} must be text."})
    text = (value or "").strip()
    if "\x00" in text:  # PostgreSQL refuses NUL characters in text
        raise ValidationError({field: f"{what} contains a NUL character."})
    if required and not text:
        raise ValidationError({field: f"{what} is required."})
    if len(text) > limit:
        raise ValidationError({field: f"{what} is longer than {limit} characters."})
    return text


def _is_exchange_officer(actor: Any) -> bool:
    return permissions.may_run_exchange(actor)


def _officer(actor: Any) -> None:
    if not _is_exchange_officer(actor):
        raise PermissionDenied(
            "Only the Office's policy, legal officers and heads of unit do this."
        )


def _answer_of(answer: Mapping[str, Any]) -> dict[str, Any]:
    """What a row keeps of aiact's answer: rules version, reasons, citation labels."""
    return {
        "rules_version": str(answer.get("rules_version", ""))[:100],
        "reasons": [str(r) for r in answer.get("reasons") or ()],
        "citations": [
            str(c.get("label", "")) if isinstance(c, Mapping) else str(c)
            for c in answer.get("citations") or ()
        ],
    }


# --- files -----------------------------------------------------------------------------------


def _store(row: Any, upload: Any, field: str, stored: list[FieldFile]) -> None:
    """Store `upload` in `row.file` with its name, type, SHA-256 (read back) and size."""
    max_bytes = int(getattr(settings, "SUPERVISION_MAX_UPLOAD_BYTES", 50 * 1024 * 1024))
    found = check_upload(upload, field=field, allowed=ALLOWED_TYPES, max_bytes=max_bytes)
    row.filename = found.filename
    row.content_type = found.content_type
    row.sha256 = found.sha256
    row.size = found.size
    found.store(row.file, stored)
    result = evidence.scanner()(row.file.path)
    if result.status == ScanStatus.INFECTED:
        raise ValidationError(
            {field: f"The file was refused by the malware scanner: {result.report}"}
        )


# --- shared documents --------------------------------------------------------------------------


def document_upload(
    *,
    actor: Any,
    upload: Any,
    title: str,
    description: str = "",
    confidentiality: str = Confidentiality.CONFIDENTIAL,
    case: Case | None = None,
) -> SharedDocument:
    """Store a document the Office will share with named authorities (not shared yet)."""
    _officer(actor)
    title = _text(title, "title", "The title", limit=MAX_TITLE)
    description = _text(description, "description", "The description", required=False)
    if confidentiality not in Confidentiality.values:
        raise ValidationError({"confidentiality": "Choose a confidentiality marking."})
    with removed_on_failure() as stored, transaction.atomic():
        document = SharedDocument(
            title=title,
            description=description,
            confidentiality=confidentiality,
            case=case,
            uploaded_by=actor,
        )
        _store(document, upload, "file", stored)
        document.save()
        audit.record(
            actor=actor,
            action="cooperation.document.stored",
            obj=document,
            after={
                "case": document.case_id,
                "confidentiality": document.confidentiality,
                "sha256_recorded": True,
                "size": document.size,
            },
        )
    return document


def _shareable(authority: Any) -> Authority:
    if not isinstance(authority, Authority):
        raise ValidationError({"authority": "Choose an authority of the directory."})
    if not authority.active:
        raise ValidationError({"authority": "This authority is no longer designated."})
    if authority.organisation_id is None:
        raise ValidationError(
            {
                "authority": (
                    f"{authority} has no organisation its staff sign in with: link one first."
                )
            }
        )
    return authority


def document_share(
    *, actor: Any, document: SharedDocument, authority: Any, reason: str
) -> DocumentShare:
    """Share a document, read-only, with one authority (Art. 78: need to know)."""
    _officer(actor)
    authority = _shareable(authority)
    reason = _text(reason, "reason", "The reason for sharing")
    with transaction.atomic():
        document = SharedDocument.objects.select_for_update().get(pk=document.pk)
        if DocumentShare.objects.filter(
            document=document, authority=authority, revoked_at=None
        ).exists():
            raise ValidationError(
                {"authority": f"The document is already shared with {authority}."}
            )
        share = DocumentShare.objects.create(
            document=document, authority=authority, reason=reason, shared_by=actor
        )
        audit.record(
            actor=actor,
            action="cooperation.document.shared",
            obj=document,
            after={"share": share.pk, "authority": authority.pk},
        )
    return share


def document_revoke(*, actor: Any, share: DocumentShare) -> DocumentShare:
    """End a share: the authority no longer sees the document (a second revocation is
    refused, also when two arrive at once)."""
    _officer(actor)
    with transaction.atomic():
        share = DocumentShare.objects.select_for_update().get(pk=share.pk)
        if share.revoked_at is not None:
            raise ValidationError({"share": "This share is already revoked."})
        share.revoked_at = timezone.now()
        share.revoked_by = actor
        share.save(update_fields=["revoked_at", "revoked_by"])
        audit.record(
            actor=actor,
            action="cooperation.document.share_revoked",
            object_type="cooperation.shareddocument",
            object_id=str(share.document_id),
            object_repr=f"shared document {share.document_id}",
            before={"share": share.pk, "authority": share.authority_id},
        )
    return share


def document_opened(*, actor: Any, document: SharedDocument, download: bool) -> None:
    """Record that someone read a shared document (its page or its file)."""
    audit.record(
        actor=actor,
        action="cooperation.document.downloaded" if download else "cooperation.document.viewed",
        obj=document,
    )


def request_file_opened(*, actor: Any, row: RequestFile) -> None:
    audit.record(
        actor=actor,
        action="cooperation.request.file_downloaded",
        obj=row.request,
        after={"file": row.pk},
    )


# --- requests ----------------------------------------------------------------------------------


def _next_reference(kind: str, year: int) -> str:
    prefix = f"{_PREFIX.get(kind, 'MAR')}-{year}-"
    last = (
        ExchangeRequest.objects.filter(reference__startswith=prefix)
        .order_by(Length("reference").desc(), "-reference")  # "…-10000" after "…-9999"
        .values_list("reference", flat=True)
        .first()
    )
    number = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{number:04d}"


def _clock(name: str, received: date) -> dict[str, Any]:
    try:
        return evaluate("clock", {"clock": name, "from": received.isoformat()}, law=load_law())
    except InputError as exc:  # the rules refuse the date (before they apply)
        raise ValidationError({"received_on": str(exc)}) from exc


def _msa_request_check(authority: Authority, operator_named: str, facts: str) -> dict[str, Any]:
    """AIO-02: via the single point of contact; (a) operator, (b) facts and provisions,
    (c) the requesting authority. Each missing item refused under the form's field."""
    answer: dict[str, Any] = evaluate(
        "cooperation",
        {
            "check": "msa-request",
            "via_single_point_of_contact": bool(authority.single_point_of_contact),
            "operator_named": bool(operator_named),
            "facts_and_provisions": bool(facts),
            "requesting_authority": True,
        },
        law=load_law(),
    )
    result = answer["result"]
    if not result.get("valid"):
        errors: dict[str, list[str]] = {}
        messages = {
            "via_single_point_of_contact": (
                f"{authority} is not its Member State's single point of contact: an Art. 75(2a) "
                "request comes through the single point of contact (Art. 70(2))."
            ),
            "operator_named": "Name the provider or deployer concerned (Art. 75(2a)(a)).",
            "facts_and_provisions": (
                "State the facts, the provisions allegedly infringed and the reasons "
                "(Art. 75(2a)(b))."
            ),
            "requesting_authority": "Name the requesting authority (Art. 75(2a)(c)).",
        }
        for missing in result.get("missing") or ():
            field = _MSA_REQUEST_FIELDS.get(str(missing), "kind")
            errors.setdefault(field, []).append(messages.get(str(missing), str(missing)))
        raise ValidationError(errors)
    return answer


def _check_counterpart(
    actor: Any, kind: str, authority: Authority | None, institution: str
) -> None:
    if kind in AUTHORITY_KINDS:
        if authority is None:
            raise ValidationError({"authority": "Name the requesting authority."})
        if not permissions.authorities_of(actor).filter(pk=authority.pk).exists():
            raise PermissionDenied("You do not act for this authority.")
        if authority.kind != "market_surveillance":
            raise ValidationError(
                {"authority": "Only a market surveillance authority sends this request."}
            )
        return
    _officer(actor)
    if kind == RequestKind.SUPPORT:
        if institution not in Institution.values:
            raise ValidationError({"institution": "Choose ECAT or the JRC."})
        if authority is not None:
            raise ValidationError({"authority": "A support request goes to an institution."})
        return
    if authority is None:
        raise ValidationError({"authority": "Name the authority the Office asks."})
    _shareable(authority)


def _shared_case(case: Case, authority: Authority | None) -> None:
    """An authority links its request only to a case shared with it: any other case is,
    to it, no case at all (the same message as an unknown id)."""
    shared = authority is not None and (
        case.shares.filter(authority_id=authority.organisation_id, revoked_at__isnull=True).exists()
    )
    if not shared:
        raise ValidationError({"case": "No such case."})


def request_submit(
    *,
    actor: Any,
    kind: str,
    subject: str,
    facts: str,
    authority: Authority | None = None,
    institution: str = "",
    operator_named: str = "",
    model_version: ModelVersion | None = None,
    case: Case | None = None,
    due_on: date | None = None,
    received_on: date | None = None,
) -> ExchangeRequest:
    """A request received from a market surveillance authority (its member submits it:
    Art. 75(3), 75(2a), 88(2)) or sent by the Office (an authority's assistance, or
    support from ECAT or the JRC, with the due date the Office sets or agrees)."""
    if kind not in RequestKind.values:
        raise ValidationError({"kind": "Choose the kind of request."})
    institution = institution or ""
    _check_counterpart(actor, kind, authority, institution)
    if case is not None and kind in AUTHORITY_KINDS:
        _shared_case(case, authority)
    subject = _text(subject, "subject", "The subject", limit=MAX_TITLE)
    facts = _text(facts, "facts", "The reasons, facts and provisions")
    operator_named = _text(
        operator_named, "operator_named", "The operator", required=False, limit=MAX_TITLE
    )
    received = step_date(received_on, "received_on", today=_today())
    if kind in AUTHORITY_KINDS and received != _today():
        raise ValidationError({"received_on": "A request sent here is received today."})
    answer: dict[str, Any] = {}
    due: date | None = None
    if kind == RequestKind.MSA_ASSESSMENT:
        assert authority is not None
        answer = _msa_request_check(authority, operator_named, facts)
    if kind in _CLOCK:
        clock_answer = _clock(_CLOCK[kind], received)
        due = date.fromisoformat(str(clock_answer["result"]["due"]))
        if answer:  # the check's reasons first, then the clock's
            clock_answer = {
                "rules_version": clock_answer.get("rules_version"),
                "reasons": [*answer.get("reasons", ()), *clock_answer.get("reasons", ())],
                "citations": [*answer.get("citations", ()), *clock_answer.get("citations", ())],
            }
        answer = clock_answer
    elif kind in OFFICE_KINDS:
        if due_on is None:
            raise ValidationError({"due_on": "Set the date the answer is due."})
        if due_on <= received:
            raise ValidationError({"due_on": "The due date comes after the day it is sent."})
        due = due_on
    if kind not in OFFICE_KINDS and due_on is not None and kind not in _CLOCK:
        raise ValidationError({"due_on": "The Act sets no period for this request (Art. 88(2))."})
    if kind == RequestKind.MSA_CHAPTER_V:
        answer = {
            "rules_version": str(load_law().rules_version),
            "reasons": [
                "Art. 88(2): a market surveillance authority may ask the Commission to use its "
                "Chapter V powers; the Act sets no period for the answer, so no deadline is "
                "opened on the clock."
            ],
            "citations": ["AI Act, Art. 88(2)"],
        }
    kept = _answer_of(answer) if answer else {"rules_version": "", "reasons": [], "citations": []}
    if kind in OFFICE_KINDS:
        kept["reasons"] = [
            f"Due date set by the Office ({due}): the Act sets no period for this request."
        ]
    for attempt in range(NUMBER_ATTEMPTS):
        try:
            with transaction.atomic():
                request = ExchangeRequest.objects.create(
                    reference=_next_reference(kind, received.year),
                    kind=kind,
                    authority=authority,
                    institution=institution if kind == RequestKind.SUPPORT else "",
                    subject=subject,
                    facts=facts,
                    operator_named=operator_named,
                    via_single_point_of_contact=bool(
                        authority is not None
                        and kind in AUTHORITY_KINDS
                        and authority.single_point_of_contact
                    ),
                    model_version=model_version,
                    case=case,
                    received_on=received,
                    due_on=due,
                    submitted_by=actor,
                    **kept,
                )
                _open_deadline(request, answer if kind in _CLOCK else {})
                audit.record(
                    actor=actor,
                    action="cooperation.request.received"
                    if kind in AUTHORITY_KINDS
                    else "cooperation.request.sent",
                    obj=request,
                    after={
                        "kind": kind,
                        "authority": request.authority_id,
                        "institution": request.institution,
                        "due_on": request.due_on,
                        "rules_version": request.rules_version,
                    },
                )
            return request
        except IntegrityError:  # two requests took the same number at once: take the next
            if attempt == NUMBER_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")  # pragma: no cover


def _title(request: ExchangeRequest) -> str:
    return f"{request.reference}: {request.get_kind_display()}"


def _open_deadline(request: ExchangeRequest, answer: Mapping[str, Any] | None) -> None:
    kind = _DEADLINE_KIND.get(request.kind)
    if kind is None or request.due_on is None:
        return
    from django.urls import reverse

    clock.open_deadline(
        kind=kind,
        source=request,
        due_on=request.due_on,
        title=_title(request),
        case=request.case,
        owner=request.assigned_officer,
        legal=request.kind in _CLOCK,
        url=reverse("cooperation:exchange_request", args=[request.pk]),
        answer=answer,
    )


def _locked(request: ExchangeRequest) -> ExchangeRequest:
    return ExchangeRequest.objects.select_for_update().get(pk=request.pk)


def _still_open(request: ExchangeRequest) -> None:
    if request.status not in OPEN_REQUEST_STATUSES:
        raise ValidationError(
            {"status": f"Request {request.reference} is {request.get_status_display().lower()}."}
        )


def request_assign(*, actor: Any, request: ExchangeRequest, officer: Any) -> ExchangeRequest:
    """Give the request to an officer of the Office: it is in progress, and its deadline is
    the officer's."""
    _officer(actor)
    if not permissions.is_staff_user(officer):
        raise ValidationError({"officer": "Choose a member of the Office's staff."})
    with transaction.atomic():
        request = _locked(request)
        _still_open(request)
        before = {"status": request.status, "officer": request.assigned_officer_id}
        request.assigned_officer = officer
        request.status = RequestStatus.IN_PROGRESS
        request.save(update_fields=["assigned_officer", "status"])
        _open_deadline(request, None)
        audit.record(
            actor=actor,
            action="cooperation.request.assigned",
            obj=request,
            before=before,
            after={"status": request.status, "officer": officer.pk},
        )
    return request


def _acts_for(actor: Any, authority_id: int | None) -> bool:
    if authority_id is None:
        return False
    return bool(permissions.authorities_of(actor).filter(pk=authority_id).exists())


def _may_answer(actor: Any, request: ExchangeRequest) -> None:
    if request.kind == RequestKind.OFFICE_ASSISTANCE and (_acts_for(actor, request.authority_id)):
        return  # the authority the Office asked answers itself
    _officer(actor)


def request_answer(
    *,
    actor: Any,
    request: ExchangeRequest,
    answer: str,
    acts: bool | None = None,
    files: Sequence[Any] = (),
    answered_on: date | None = None,
) -> ExchangeRequest:
    """Record the answer (with files): the deadline is met, or late. For Art. 75(2a) the
    answer says whether the Office acts under Art. 75a; if not, it gives the reasons and the
    request is declined."""
    _may_answer(actor, request)
    answer = _text(answer, "answer", "The answer")
    day = step_date(answered_on, "answered_on", today=_today())
    if len(files) > MAX_FILES:
        raise ValidationError({"files": f"At most {MAX_FILES} files."})
    if request.kind == RequestKind.MSA_ASSESSMENT and acts is None:
        raise ValidationError(
            {"acts": "Say whether the Office will act under Art. 75a (Art. 75(2a))."}
        )
    if request.kind != RequestKind.MSA_ASSESSMENT and acts is not None:
        raise ValidationError({"acts": "Only an Art. 75(2a) answer says whether the Office acts."})
    with removed_on_failure() as stored, transaction.atomic():
        request = _locked(request)
        _still_open(request)
        if day < request.received_on:
            raise ValidationError({"answered_on": "This date is before the request was received."})
        before = {"status": request.status}
        request.answer = answer
        request.acts = acts
        request.answered_on = day
        request.answered_by = actor
        request.late = request.due_on is not None and day > request.due_on
        request.status = RequestStatus.DECLINED if acts is False else RequestStatus.ANSWERED
        request.save(
            update_fields=["answer", "acts", "answered_on", "answered_by", "late", "status"]
        )
        for upload in files:
            row = RequestFile(request=request, uploaded_by=actor)
            _store(row, upload, "files", stored)
            row.save()
        clock.close_deadlines(source=request)
        audit.record(
            actor=actor,
            action="cooperation.request.answered",
            obj=request,
            before=before,
            after={
                "status": request.status,
                "acts": acts,
                "late": request.late,
                "files": len(files),
            },
        )
    return request


def request_withdraw(*, actor: Any, request: ExchangeRequest) -> ExchangeRequest:
    """The requesting side withdraws an open request: its deadline is no longer due."""
    if request.kind in AUTHORITY_KINDS:
        if not _acts_for(actor, request.authority_id):
            raise PermissionDenied("Only the requesting authority withdraws its request.")
    else:
        _officer(actor)
    with transaction.atomic():
        request = _locked(request)
        _still_open(request)
        before = {"status": request.status}
        request.status = RequestStatus.WITHDRAWN
        request.save(update_fields=["status"])
        clock.close_deadlines(source=request, status=DeadlineStatus.CANCELLED)
        audit.record(
            actor=actor,
            action="cooperation.request.withdrawn",
            obj=request,
            before=before,
            after={"status": request.status},
        )
    return request


def request_report(
    *,
    actor: Any,
    request: ExchangeRequest,
    text: str,
    no_confidential_information: bool,
    outcome: bool = False,
    reported_on: date | None = None,
) -> ProgressReport:
    """Art. 75(2a): the Office, acting, reports on major developments and the outcome to
    the single point of contact, without confidential information."""
    _officer(actor)
    text = _text(text, "text", "The report")
    if not no_confidential_information:
        raise ValidationError(
            {
                "no_confidential_information": (
                    "Confirm that the report holds no confidential information (Art. 75(2a))."
                )
            }
        )
    day = step_date(reported_on, "reported_on", today=_today())
    with transaction.atomic():
        request = _locked(request)
        if request.kind != RequestKind.MSA_ASSESSMENT or request.acts is not True:
            raise ValidationError(
                {
                    "request": (
                        "Progress is reported only on an Art. 75(2a) request the Office acts on."
                    )
                }
            )
        if request.reports.filter(outcome=True).exists():
            raise ValidationError({"outcome": "The outcome was already reported."})
        report = ProgressReport.objects.create(
            request=request, text=text, outcome=outcome, reported_on=day, reported_by=actor
        )
        audit.record(
            actor=actor,
            action="cooperation.request.reported",
            obj=request,
            after={"report": report.pk, "outcome": outcome},
        )
    return report
