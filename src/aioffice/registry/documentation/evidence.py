"""Documentation as evidence for compliance monitoring (`aioffice.registry.evidence`).

For each version, each document type with a submitted document gives one `Evidence` for
the obligation the type's schema names: `met` when the current (newest submitted) document
left nothing required unanswered, `incomplete` with the missing items by legal reference
otherwise. An Annex XII request past its due date and not answered by the day asked about
gives `overdue` evidence for Art. 53(1)(b). Two queries, whatever the number of versions.
Whether an obligation applies is aiact's, read by monitoring; nothing is decided here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import TYPE_CHECKING

from django.urls import reverse

from aioffice.registry.documentation.choices import DocumentType, SubmissionStatus
from aioffice.registry.documentation.doctypes import load_doctypes
from aioffice.registry.documentation.models import AnnexXIIRequest, DocumentSubmission
from aioffice.registry.documentation.selectors import overdue_condition
from aioffice.registry.evidence import Evidence

if TYPE_CHECKING:
    from aioffice.registry.models import ModelVersion


def evidence_for(versions: Sequence[ModelVersion], on: date) -> Iterable[Evidence]:
    ids = [v.pk for v in versions]
    kinds = load_doctypes()
    current: dict[tuple[int, str], tuple[int, int, list[dict[str, str]]]] = {}
    submitted = (
        DocumentSubmission.objects.filter(
            version_id__in=ids, status=SubmissionStatus.SUBMITTED, submitted_at__date__lte=on
        )
        .order_by("version_id", "doc_type", "-number")
        .values_list("version_id", "doc_type", "pk", "number", "missing")
    )
    for version_id, doc_type, pk, number, missing in submitted:
        current.setdefault((version_id, doc_type), (pk, number, missing))
    out: list[Evidence] = []
    for (version_id, doc_type), (pk, number, missing) in sorted(current.items()):
        kind = kinds[doc_type]
        out.append(
            Evidence(
                version_id=version_id,
                obligation=kind.obligation,
                kind=f"document:{doc_type}",
                label=f"{kind.title} #{number}",
                status="incomplete" if missing else "met",
                detail="; ".join(f"{m['answers']}: {m['label']}" for m in missing),
                url=reverse("documentation:submission_detail", args=[pk]),
            )
        )
    late = (
        AnnexXIIRequest.objects.filter(version_id__in=ids, asked_on__lte=on)
        .filter(overdue_condition(on))
        .select_related("requester")
        .order_by("version_id", "due_on", "id")
    )
    annex_xii = kinds[DocumentType.ANNEX_XII]
    for made in late:
        out.append(
            Evidence(
                version_id=made.version_id,
                obligation=annex_xii.obligation,
                kind="annex_xii_request",
                label=f"Annex XII request of {made.requester.name}",
                status="overdue",
                due=made.due_on,
                detail=f"due on {made.due_on}, not answered ({made.period_basis})",
                url=reverse("documentation:request_detail", args=[made.pk]),
            )
        )
    return out
