"""Adoption and after: every change, one function each.

Keyword-only, `actor` first; one transaction per state change with the changed row locked;
one audit event each (ids, kinds, statuses and dates only: never a note, a reason or a
narrative). Bad input raises `ValidationError` naming the field; an actor without the right
raises `PermissionDenied`.

* `adopt`: a project runner makes a published draft the final text (the project is
  adopted).
* `opening_create`: the Office opens the adopted code for signature and sets the reporting
  rhythm (Art. 56(5) says "regularly"; the months and the first date are the Office's).
* `sign` / `signature_record` / `signature_withdraw`: a provider's organisation member signs
  chapters for the provider (the Office records a signature received on paper); for the GPAI
  Code each chapter signature is also the registry's Code of Practice signature. A provider's
  first signature opens its first implementation report on the one clock.
* `assessment_create` / `assessment_publish`: the adequacy assessment of a version, with
  the procedure aiact says applied on the day (Art. 56(6) as amended; open question 12).
* `publish_library`: the final text in the portal's library, one file per language.
* `report_submit`: a signatory's implementation report for a period with its indicator
  values; it closes that period's deadline and opens the next.

Deadlines: kind CODE_REPORT, `provider_to_act=True`, `legal=False`. The duty to report
comes with a voluntary signature and its rhythm is the Office's choice, not a period the
Act counts (the registry's Code of Practice periods are kept the same way). The due date
is aiact's "code-report" clock, stored with its rules version, reasons and citations. A
provider's deadline hangs on its first signature of the opening (`_anchor`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from aiact import InputError, evaluate, load_law
from aioffice.cooperation.choices import BodyKind
from aioffice.cooperation.models_bodies import Opinion
from aioffice.core import audit
from aioffice.core.files import (
    CSV,
    DOCX,
    MARKDOWN,
    ODT,
    PDF,
    TEXT,
    check_upload,
    removed_on_failure,
)
from aioffice.drafting import permissions, services_drafts, validation
from aioffice.drafting.choices import LegalBasis, ProjectStatus
from aioffice.drafting.models_adoption import (
    AdequacyAssessment,
    Adoption,
    CodeSignature,
    ImplementationReport,
    IndicatorValue,
    Outcome,
    SignatureOpening,
)
from aioffice.drafting.models_consultations import Consultation
from aioffice.drafting.models_drafts import Draft, DraftStatus, Section, SectionKind
from aioffice.drafting.models_projects import Project
from aioffice.portal import services_content
from aioffice.portal.choices import GuidanceKind, Topic
from aioffice.portal.models_content import GuidanceDocument
from aioffice.registry.codeofpractice import services as cop_services
from aioffice.registry.codeofpractice.models import Chapter
from aioffice.registry.codeofpractice.models import Signature as RegistrySignature
from aioffice.registry.models import Provider
from aioffice.supervision import clock
from aioffice.supervision.choices import DeadlineKind, DeadlineStatus

__all__ = [
    "REPORT_TYPES",
    "adopt",
    "assessment_create",
    "assessment_publish",
    "chapters_of",
    "open_question_of",
    "opening_create",
    "publish_library",
    "report_due",
    "report_submit",
    "sign",
    "signature_record",
    "signature_withdraw",
]

REPORT_TYPES = (PDF, TEXT, MARKDOWN, CSV, ODT, DOCX)
MAX_REPORT_BYTES = 20 * 1024 * 1024  # a storage limit of ours, not a legal one
MAX_TEXT = 20000
MAX_VALUE = 200
MAX_PERIODS = 400  # how far the clock is walked to find a signatory's first period
_KIND_FOR_LIBRARY = {
    "code_of_practice": GuidanceKind.CODE_OF_PRACTICE,
    "guidelines": GuidanceKind.GUIDELINES,
    "template": GuidanceKind.TEMPLATE,
}


def _today() -> date:
    """The Office's current day (UTC): the one place these services read the clock."""
    return timezone.now().date()


def _text(
    value: Any, field: str, what: str, *, required: bool = True, limit: int = MAX_TEXT
) -> str:
    return validation.text(value, field, what, required=required, limit=limit)


def _date(value: Any, field: str, *, required: bool = True) -> date | None:
    if value in (None, ""):
        if required:
            raise ValidationError({field: "Give a date."})
        return None
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value)
        except ValueError:
            raise ValidationError({field: "Give a date as YYYY-MM-DD."}) from None
    if not isinstance(value, date):
        raise ValidationError({field: "Give a date."})
    return value


def _required_date(value: Any, field: str) -> date:
    found = _date(value, field)
    assert found is not None
    return found


def _not_in_future(day: date, field: str) -> None:
    if day > _today():
        raise ValidationError({field: f"Cannot be after today ({_today():%Y-%m-%d})."})


def _runner(actor: Any) -> None:
    if not permissions.may_run_projects(actor):
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


def _evaluate(kind: str, data: dict[str, Any], field: str) -> dict[str, Any]:
    """aiact's answer; its refusal of the input is a refusal naming `field`."""
    try:
        answer = evaluate(kind, data, law=load_law())
    except InputError as exc:
        raise ValidationError({field: f"The rules refused the input: {exc}"}) from None
    return dict(answer)


# --- adoption ----------------------------------------------------------------------------------


def adopt(
    *,
    actor: Any,
    draft: Draft,
    adopted_on: Any,
    reference: str = "",
    note: str = "",
) -> Adoption:
    """Make a published draft the project's final text: the draft becomes final, the project
    adopted. A project is adopted once."""
    _runner(actor)
    day = _required_date(adopted_on, "adopted_on")
    _not_in_future(day, "adopted_on")
    reference = _text(reference, "reference", "The reference", required=False, limit=100)
    note = _text(note, "note", "The note", required=False)
    with transaction.atomic():
        project = Project.objects.select_for_update().get(pk=draft.project_id)
        draft = Draft.objects.select_for_update().get(pk=draft.pk)
        if Adoption.objects.filter(project=project).exists():
            raise ValidationError({"draft": "This project is adopted already."})
        if draft.status != DraftStatus.PUBLISHED:
            raise ValidationError({"draft": "Only a published version can be adopted."})
        pending = (
            Consultation.objects.filter(draft__project=project, closed_early_at__isnull=True)
            .filter(closes_at__gt=timezone.now())
            .order_by("closes_at")
            .first()
        )
        if pending is not None:
            raise ValidationError(
                {
                    "draft": "A consultation on this project runs until "
                    f"{timezone.localtime(pending.closes_at):%Y-%m-%d %H:%M}: the final version "
                    "follows the consultations; close it first."
                }
            )
        if draft.published_on and day < draft.published_on:
            raise ValidationError(
                {"adopted_on": f"The version was published on {draft.published_on:%Y-%m-%d}."}
            )
        draft = services_drafts.mark_final(actor=actor, draft=draft)
        project.status = ProjectStatus.ADOPTED
        project.save(update_fields=["status", "updated_at"])
        adoption = Adoption.objects.create(
            project=project,
            draft=draft,
            adopted_on=day,
            reference=reference,
            note=note,
            adopted_by=actor,
        )
        audit.record(
            actor=actor,
            action="drafting.adoption.adopted",
            obj=adoption,
            after={
                "project": project.pk,
                "draft": draft.pk,
                "draft_status": draft.status,
                "project_status": project.status,
                "adopted_on": day,
            },
        )
    return adoption


# --- signature ---------------------------------------------------------------------------------


def chapters_of(draft: Draft) -> list[Section]:
    """What is signed of a final text: its chapters; a text without chapters is signed as a
    whole, which its first first-level section stands for."""
    chapters = list(draft.sections.filter(kind=SectionKind.CHAPTER).order_by("position"))
    if chapters:
        return chapters
    first = draft.sections.filter(parent__isnull=True).order_by("position").first()
    return [] if first is None else [first]


def opening_create(
    *,
    actor: Any,
    adoption: Adoption,
    opens_on: Any,
    closes_on: Any = None,
    report_every_months: Any,
    first_report_due: Any,
) -> SignatureOpening:
    """Open the adopted code for signature, with the Office's reporting rhythm."""
    _runner(actor)
    opens = _required_date(opens_on, "opens_on")
    closes = _date(closes_on, "closes_on", required=False)
    first_due = _required_date(first_report_due, "first_report_due")
    if closes is not None and closes < opens:
        raise ValidationError({"closes_on": "Closes before it opens."})
    if opens < adoption.adopted_on:
        raise ValidationError(
            {"opens_on": f"The code was adopted on {adoption.adopted_on:%Y-%m-%d}."}
        )
    if first_due <= opens:
        raise ValidationError({"first_report_due": "The first report falls due after opening."})
    if isinstance(report_every_months, bool) or not isinstance(report_every_months, int):
        raise ValidationError({"report_every_months": "Give a whole number of months."})
    if not 1 <= report_every_months <= 60:
        raise ValidationError({"report_every_months": "Between 1 and 60 months."})
    if not chapters_of(adoption.draft):
        raise ValidationError({"adoption": "The final text has no section to sign."})
    try:
        with transaction.atomic():
            adoption = Adoption.objects.select_for_update().get(pk=adoption.pk)
            if SignatureOpening.objects.filter(adoption=adoption).exists():
                raise ValidationError({"adoption": "The code is open for signature already."})
            opening = SignatureOpening.objects.create(
                adoption=adoption,
                opens_on=opens,
                closes_on=closes,
                report_every_months=report_every_months,
                first_report_due=first_due,
                opened_by=actor,
            )
            audit.record(
                actor=actor,
                action="drafting.signature_opening.opened",
                obj=opening,
                after={
                    "adoption": adoption.pk,
                    "opens_on": opens,
                    "closes_on": closes,
                    "report_every_months": report_every_months,
                    "first_report_due": first_due,
                },
            )
    except IntegrityError:  # a concurrent opening of the same code
        raise ValidationError({"adoption": "The code is open for signature already."}) from None
    return opening


def report_due(opening: SignatureOpening, period: int) -> dict[str, Any]:
    """aiact's "code-report" clock for one period (0: the first report)."""
    return _evaluate(
        "clock",
        {
            "clock": "code-report",
            "from": opening.first_report_due.isoformat(),
            "every_months": opening.report_every_months,
            "period": period,
        },
        "report_every_months",
    )


def _due_of(answer: Mapping[str, Any]) -> date:
    result = answer.get("result") or {}
    return date.fromisoformat(str(result["due_on"]))


def _first_period(opening: SignatureOpening, signed_on: date) -> int:
    """The first period whose report falls due after the signature."""
    for period in range(MAX_PERIODS):
        if _due_of(report_due(opening, period)) > signed_on:
            return period
    raise ValidationError({"signed_on": "No reporting period after this date."})


def _anchor(opening: SignatureOpening, provider: Provider) -> CodeSignature | None:
    """The provider's first signature of the opening: its report deadlines hang on it."""
    return CodeSignature.objects.filter(opening=opening, provider=provider).order_by("pk").first()


def _open_report_deadline(
    opening: SignatureOpening, provider: Provider, anchor: CodeSignature, period: int
) -> None:
    answer = report_due(opening, period)
    project = opening.adoption.project
    clock.open_deadline(
        kind=DeadlineKind.CODE_REPORT,
        source=anchor,
        due_on=_due_of(answer),
        title=f"Implementation report on {project.title}"[:300],
        provider=provider,
        provider_to_act=True,
        legal=False,
        url=reverse("drafting:report_new", args=[project.slug]),
        answer=_answer_of(answer),
    )


def _signature_data(row: CodeSignature) -> dict[str, Any]:
    return {
        "opening": row.opening_id,
        "provider": row.provider_id,
        "chapter": row.chapter_id,
        "signed_on": row.signed_on,
        "withdrawn_on": row.withdrawn_on,
        "registry_signature": row.registry_signature_id,
    }


def _registry_signature(
    actor: Any, provider: Provider, chapter: Section, signed_on: date, source: str
) -> RegistrySignature | None:
    """For the GPAI Code: the registry's current signature of the chapter (one made here,
    or one the Office recorded there already)."""
    if chapter.registry_chapter not in Chapter.values:
        return None
    current = RegistrySignature.objects.filter(
        provider=provider, chapter=chapter.registry_chapter, withdrawn_on__isnull=True
    ).first()
    if current is not None:
        if CodeSignature.objects.filter(registry_signature=current).exists():
            raise ValidationError({"chapters": f"{chapter} is signed already."})
        return current
    return cop_services.signature_add(
        actor=actor,
        provider=provider,
        chapter=chapter.registry_chapter,
        signed_on=signed_on,
        source=source,
    )


def _sign(
    *,
    actor: Any,
    opening: SignatureOpening,
    provider: Provider,
    chapters: Sequence[Section],
    signed_on: date,
    source: str,
) -> list[CodeSignature]:
    if not chapters:
        raise ValidationError({"chapters": "Choose at least one chapter."})
    _not_in_future(signed_on, "signed_on")
    allowed = {c.pk: c for c in chapters_of(opening.adoption.draft)}
    for chapter in chapters:
        if chapter.pk not in allowed:
            raise ValidationError({"chapters": "Not a chapter of the adopted code."})
    if signed_on < opening.opens_on:
        raise ValidationError(
            {"signed_on": f"Open for signature from {opening.opens_on:%Y-%m-%d}."}
        )
    if opening.closes_on is not None and signed_on > opening.closes_on:
        raise ValidationError(
            {"signed_on": f"Closed for signature on {opening.closes_on:%Y-%m-%d}."}
        )
    gpai = opening.adoption.project.gpai_code
    made: list[CodeSignature] = []
    try:
        with transaction.atomic():
            opening = SignatureOpening.objects.select_for_update().get(pk=opening.pk)
            provider = Provider.objects.select_for_update().get(pk=provider.pk)
            current = set(
                CodeSignature.objects.filter(
                    opening=opening, provider=provider, withdrawn_on__isnull=True
                ).values_list("chapter_id", flat=True)
            )
            first = not current
            for chapter in sorted({c.pk: c for c in chapters}.values(), key=lambda c: c.position):
                if chapter.pk in current:
                    raise ValidationError({"chapters": f"{chapter} is signed already."})
                registry = (
                    _registry_signature(actor, provider, chapter, signed_on, source)
                    if gpai
                    else None
                )
                row = CodeSignature.objects.create(
                    opening=opening,
                    provider=provider,
                    chapter=chapter,
                    signed_on=signed_on,
                    signed_by=actor,
                    registry_signature=registry,
                )
                audit.record(
                    actor=actor,
                    action="drafting.signature.signed",
                    obj=row,
                    after=_signature_data(row),
                )
                made.append(row)
            if first:
                anchor = _anchor(opening, provider)
                assert anchor is not None
                done = ImplementationReport.objects.filter(opening=opening, provider=provider)
                if not done.exists():
                    _open_report_deadline(
                        opening, provider, anchor, _first_period(opening, signed_on)
                    )
    except IntegrityError:  # a concurrent signature of the same chapter
        raise ValidationError({"chapters": "A chapter is signed already."}) from None
    return made


def sign(
    *,
    actor: Any,
    opening: SignatureOpening,
    provider: Provider,
    chapters: Sequence[Section],
) -> list[CodeSignature]:
    """A provider's organisation member signs chapters for the provider today."""
    if not permissions.may_sign_for(actor, provider):
        raise PermissionDenied("Only the provider's organisation members sign for it.")
    return _sign(
        actor=actor,
        opening=opening,
        provider=provider,
        chapters=chapters,
        signed_on=_today(),
        source="Signed on the Office's platform",
    )


def signature_record(
    *,
    actor: Any,
    opening: SignatureOpening,
    provider: Provider,
    chapters: Sequence[Section],
    signed_on: Any,
) -> list[CodeSignature]:
    """The Office records a signature it received on paper, dated as signed."""
    _runner(actor)
    return _sign(
        actor=actor,
        opening=opening,
        provider=provider,
        chapters=chapters,
        signed_on=_required_date(signed_on, "signed_on"),
        source="Received on paper by the Office",
    )


def signature_withdraw(
    *, actor: Any, signature: CodeSignature, withdrawn_on: Any = None, reasons: str
) -> CodeSignature:
    """Withdraw a chapter signature (the provider's members, or the Office on its behalf);
    for the GPAI Code the registry's signature is withdrawn too. A provider left with no
    signature owes no more reports: its open deadline is closed as no longer due."""
    if not (
        permissions.may_run_projects(actor) or permissions.may_sign_for(actor, signature.provider)
    ):
        raise PermissionDenied("Only the provider's organisation members or the Office do this.")
    day = _required_date(withdrawn_on or _today(), "withdrawn_on")
    _not_in_future(day, "withdrawn_on")
    reasons = _text(reasons, "reasons", "The reasons")
    with transaction.atomic():
        row = CodeSignature.objects.select_for_update().get(pk=signature.pk)
        if row.withdrawn_on is not None:
            raise ValidationError({"signature": f"Withdrawn on {row.withdrawn_on:%Y-%m-%d}."})
        if day < row.signed_on:
            raise ValidationError({"withdrawn_on": f"Signed on {row.signed_on:%Y-%m-%d}."})
        row.withdrawn_on = day
        row.save(update_fields=["withdrawn_on"])
        if row.registry_signature_id is not None:
            registry = RegistrySignature.objects.get(pk=row.registry_signature_id)
            if registry.withdrawn_on is None:
                cop_services.signature_withdraw(
                    actor=actor, signature=registry, withdrawn_on=day, reasons=reasons
                )
        left = CodeSignature.objects.filter(
            opening_id=row.opening_id, provider_id=row.provider_id, withdrawn_on__isnull=True
        )
        if not left.exists():
            anchor = _anchor(row.opening, row.provider)
            if anchor is not None:
                clock.close_deadlines(
                    source=anchor,
                    kinds=[DeadlineKind.CODE_REPORT],
                    status=DeadlineStatus.CANCELLED,
                )
        audit.record(
            actor=actor,
            action="drafting.signature.withdrawn",
            obj=row,
            after=_signature_data(row),
        )
    return row


# --- adequacy ----------------------------------------------------------------------------------


def _basis(project: Project) -> str:
    if project.legal_basis not in {LegalBasis.ART56, LegalBasis.ART50_7}:
        raise ValidationError({"draft": "The rules assess codes under Art. 56 or Art. 50(7) only."})
    return str(project.legal_basis)


def adequacy_answer(*, draft: Draft, on: date, board_opinion: bool) -> dict[str, Any]:
    """aiact's "drafting" adequacy check for a version on a day."""
    return _evaluate(
        "drafting",
        {
            "check": "adequacy",
            "basis": _basis(draft.project),
            "on": on.isoformat(),
            "board_opinion": board_opinion,
        },
        "assessed_on",
    )


def open_question_of(*, assessment: AdequacyAssessment, used_on: date) -> str | None:
    """aiact's open question (Q12) for an assessment relied on on `used_on`, if any."""
    project = assessment.draft.project
    if project.legal_basis not in {LegalBasis.ART56, LegalBasis.ART50_7}:
        return None
    if used_on < assessment.assessed_on:
        return None
    answer = _evaluate(
        "drafting",
        {
            "check": "adequacy",
            "basis": str(project.legal_basis),
            "on": assessment.assessed_on.isoformat(),
            "board_opinion": assessment.board_opinion_id is not None,
            "used_on": used_on.isoformat(),
        },
        "assessed_on",
    )
    found = (answer.get("result") or {}).get("open_question")
    return None if found is None else str(found)


def assessment_create(
    *,
    actor: Any,
    draft: Draft,
    assessed_on: Any,
    outcome: str,
    reasons: str,
    covers: Sequence[str] = (),
    board_opinion: Opinion | None = None,
    board_opinion_note: str = "",
) -> AdequacyAssessment:
    """Record the adequacy assessment of a published or final version. aiact says which
    procedure applied on the day and whether the Board's opinion must be recorded; the
    covered provisions default to aiact's where none are given."""
    if not permissions.may_assess(actor):
        raise PermissionDenied("Only the Office's legal officers and heads of unit assess.")
    day = _required_date(assessed_on, "assessed_on")
    _not_in_future(day, "assessed_on")
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": f"Must be one of {', '.join(Outcome.values)}."})
    reasons = _text(reasons, "reasons", "The reasons")
    note = _text(board_opinion_note, "board_opinion_note", "The note", required=False)
    given = [_text(c, "covers", "A provision", limit=100) for c in covers]
    if draft.status == DraftStatus.WORKING:
        raise ValidationError({"draft": "A version being written is not assessed."})
    if board_opinion is not None:
        if board_opinion.body.kind != BodyKind.BOARD:
            raise ValidationError({"board_opinion": "Not an opinion of the Board."})
        if board_opinion.adopted_on > day:
            raise ValidationError({"board_opinion": "Adopted after the assessment's date."})
    answer = adequacy_answer(draft=draft, on=day, board_opinion=board_opinion is not None)
    result = answer.get("result") or {}
    problems = result.get("problems") or []
    if result.get("board_opinion_required") and board_opinion is None:
        raise ValidationError(
            {"board_opinion": "The Board's opinion must be recorded for this procedure."}
        )
    if board_opinion is not None and not note:
        raise ValidationError(
            {"board_opinion_note": "Say how the Board's opinion was taken into account."}
        )
    for problem in problems:
        field = str(problem.get("field") or "draft")
        field = "board_opinion" if field.startswith("board") else "assessed_on"
        raise ValidationError({field: str(problem.get("message") or "Refused by the rules.")})
    law = _answer_of(answer)
    with transaction.atomic():
        draft = Draft.objects.select_for_update().get(pk=draft.pk)
        row = AdequacyAssessment.objects.create(
            project_id=draft.project_id,
            draft=draft,
            assessed_on=day,
            procedure=str(result.get("procedure") or "")[:30],
            outcome=outcome,
            covers=given or [str(c) for c in result.get("covers") or ()],
            board_opinion=board_opinion,
            board_opinion_note=note,
            reasons=reasons,
            rules_version=law["rules_version"],
            law_reasons=law["reasons"],
            citations=law["citations"],
            recorded_by=actor,
        )
        audit.record(
            actor=actor,
            action="drafting.assessment.recorded",
            obj=row,
            after={
                "draft": draft.pk,
                "assessed_on": day,
                "procedure": row.procedure,
                "outcome": outcome,
                "board_opinion": row.board_opinion_id,
                "rules_version": row.rules_version,
            },
        )
    return row


def assessment_publish(*, actor: Any, assessment: AdequacyAssessment) -> AdequacyAssessment:
    """Show the assessment on the public pages (from today)."""
    if not permissions.may_assess(actor):
        raise PermissionDenied("Only the Office's legal officers and heads of unit publish it.")
    with transaction.atomic():
        row = AdequacyAssessment.objects.select_for_update().get(pk=assessment.pk)
        if row.published_on is not None:
            raise ValidationError({"assessment": f"Published on {row.published_on:%Y-%m-%d}."})
        row.published_on = _today()
        row.save(update_fields=["published_on"])
        audit.record(
            actor=actor,
            action="drafting.assessment.published",
            obj=row,
            after={"draft": row.draft_id, "published_on": row.published_on},
        )
    return row


# --- the library -------------------------------------------------------------------------------


def publish_library(
    *,
    actor: Any,
    adoption: Adoption,
    files: Mapping[str, File],  # type: ignore[type-arg]  # any content
    number: str = "",
    change_note: str = "",
) -> Adoption:
    """Publish the final text in the portal's library: its guidance document (created the
    first time, under the project's address), a version with one file per language, shown
    to the public. The adoption records the address, the languages and the date."""
    _runner(actor)
    number = (number or "").strip() or f"{adoption.draft.number}.0"
    project = adoption.project
    with transaction.atomic():
        adoption = Adoption.objects.select_for_update().get(pk=adoption.pk)
        slug = adoption.library_slug or project.slug
        document = GuidanceDocument.objects.filter(slug=slug).first()
        if document is None:
            document = services_content.guidance_create(
                actor=actor,
                slug=slug,
                title=project.title,
                summary=project.summary,
                kind=_KIND_FOR_LIBRARY.get(project.kind, GuidanceKind.OTHER),
                topic=Topic.CODE_OF_PRACTICE
                if project.kind == "code_of_practice"
                else Topic.GUIDANCE,
            )
        services_content.guidance_version_add(
            actor=actor,
            document=document,
            number=number,
            published_on=_today(),
            change_note=_text(change_note, "change_note", "What changed", required=False),
            files=files,
        )
        if not document.published:
            services_content.guidance_publish(actor=actor, document=document)
        adoption.library_slug = slug
        adoption.published_languages = sorted(set(adoption.published_languages) | set(files))
        adoption.published_on = _today()
        adoption.save(update_fields=["library_slug", "published_languages", "published_on"])
        audit.record(
            actor=actor,
            action="drafting.adoption.published",
            obj=adoption,
            after={
                "guidance_document": document.pk,
                "languages": adoption.published_languages,
                "published_on": adoption.published_on,
            },
        )
    return adoption


# --- implementation reports --------------------------------------------------------------------


def indicators_of(draft: Draft) -> list[Section]:
    """The key performance indicators of a final text, in document order."""
    return list(draft.sections.filter(kind=SectionKind.KPI).order_by("position"))


def next_period(opening: SignatureOpening, provider: Provider) -> tuple[int, dict[str, Any]]:
    """The period a provider reports for next, and aiact's answer for it."""
    anchor = _anchor(opening, provider)
    if anchor is None:
        raise ValidationError({"provider": "The provider has not signed this code."})
    last = (
        ImplementationReport.objects.filter(opening=opening, provider=provider)
        .order_by("-due_on")
        .first()
    )
    if last is None:
        period = _first_period(opening, anchor.signed_on)
    else:
        period = _first_period(opening, last.due_on)
    return period, report_due(opening, period)


def report_submit(
    *,
    actor: Any,
    opening: SignatureOpening,
    provider: Provider,
    narrative: str,
    values: Mapping[int, str],
    notes: Mapping[int, str] | None = None,
    upload: File | None = None,  # type: ignore[type-arg]  # any content
) -> ImplementationReport:
    """A signatory's report for its next period: the narrative, an optional file and one
    value per KPI of the final text (`values` by section id). Late when submitted after the
    due date. Closes the period's deadline and opens the next period's."""
    if not permissions.may_sign_for(actor, provider):
        raise PermissionDenied("Only the signatory's organisation members report for it.")
    narrative = _text(narrative, "narrative", "The report")
    current = CodeSignature.objects.filter(
        opening=opening, provider=provider, withdrawn_on__isnull=True
    )
    if not current.exists():
        raise ValidationError({"provider": "The provider has no current signature of this code."})
    kpis = {k.pk: k for k in indicators_of(opening.adoption.draft)}
    unknown = set(values) - set(kpis)
    if unknown:
        raise ValidationError({"values": "Not an indicator of the adopted code."})
    cleaned: dict[int, str] = {}
    for pk in kpis:
        cleaned[pk] = _text(
            values.get(pk), f"kpi_{pk}", "A value for each indicator", limit=MAX_VALUE
        )
    kept_notes = {
        pk: _text((notes or {}).get(pk), f"note_{pk}", "A note", required=False) for pk in kpis
    }
    checked = (
        None
        if upload is None
        else check_upload(upload, field="file", allowed=REPORT_TYPES, max_bytes=MAX_REPORT_BYTES)
    )
    period, answer = next_period(opening, provider)
    result = answer.get("result") or {}
    due = _due_of(answer)
    today = _today()
    try:
        with removed_on_failure() as stored, transaction.atomic():
            opening = SignatureOpening.objects.select_for_update().get(pk=opening.pk)
            provider = Provider.objects.select_for_update().get(pk=provider.pk)
            report = ImplementationReport(
                opening=opening,
                provider=provider,
                due_on=due,
                period_start=date.fromisoformat(str(result["period_start"])),
                period_end=date.fromisoformat(str(result["period_end"])),
                narrative=narrative,
                submitted_by=actor,
                late=today > due,
            )
            if checked is not None:
                checked.store(report.file, stored)
                report.sha256 = checked.sha256
                report.size = checked.size
                report.content_type = checked.content_type
            report.save()
            IndicatorValue.objects.bulk_create(
                IndicatorValue(report=report, indicator=kpis[pk], value=v, note=kept_notes[pk])
                for pk, v in cleaned.items()
            )
            anchor = _anchor(opening, provider)
            assert anchor is not None
            clock.close_deadlines(source=anchor, kinds=[DeadlineKind.CODE_REPORT])
            _open_report_deadline(opening, provider, anchor, period + 1)
            audit.record(
                actor=actor,
                action="drafting.report.submitted",
                obj=report,
                after={
                    "opening": opening.pk,
                    "provider": provider.pk,
                    "due_on": due,
                    "period": period,
                    "late": report.late,
                    "indicators": sorted(cleaned),
                    "sha256": report.sha256,
                },
            )
    except IntegrityError:  # the same period reported concurrently
        raise ValidationError({"narrative": "This period is reported already."}) from None
    return report
