"""Reports "similar in meaning" for triage (on `aioffice.core.semantic`).

Two corpora, each keyed by the report's intake id (the id the staff pages and the API use):
"supervision.complaint" (a complaint's title, relevant facts, provisions concerned, why it
is an infringement and other information; never the provider's point of contact) and
"supervision.incident" (an incident's title and types, and its latest report's harm, chain
of events, the model's involvement and root cause). A complaint is compared with
complaints, an incident with incidents: what a triaging officer looks at to link or merge.

Who sees: the Office's staff only (`is_office_staff`, as the triage queue), for whom every
report is open; complaints are confidential and nothing here shows one to anyone else.
Vectors are refreshed after a complaint, an incident or an incident report is saved
(post-save hooks, after the commit; `connect`) and, for rows saved otherwise, when a
search finds reports without one.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.db.models.signals import post_save
from django.http import HttpRequest
from django.utils import translation

from aioffice.core import semantic, semantic_fresh
from aioffice.core.permissions import is_office_staff
from aioffice.supervision.choices import IncidentType, IntakeKind
from aioffice.supervision.models import Complaint, Incident, IncidentReport, Intake

__all__ = [
    "CORPORA",
    "SIMILAR_K",
    "Similar",
    "complaint_texts",
    "connect",
    "incident_texts",
    "similar_reports",
]

COMPLAINT_CORPUS = "supervision.complaint"
INCIDENT_CORPUS = "supervision.incident"
SIMILAR_K = 5


def _join(*parts: str) -> str:
    return "\n".join(part.strip() for part in parts if part and part.strip())


def complaint_texts(ids: Collection[int]) -> Iterator[tuple[int, str]]:
    """(intake id, text) of these complaints."""
    rows = Complaint.objects.filter(intake_id__in=ids).values_list(
        "intake_id", "intake__title", "facts", "provisions", "reasons", "other_information"
    )
    for intake_id, title, facts, provisions, reasons, other in rows:
        yield intake_id, _join(title, facts, provisions, reasons, other)


def incident_texts(ids: Collection[int]) -> Iterator[tuple[int, str]]:
    """(intake id, text) of these incidents: the title, the types and the latest report."""
    latest: dict[int, tuple[str, ...]] = {}
    for intake_id, *fields in (
        IncidentReport.objects.filter(incident__intake_id__in=ids)
        .order_by("incident__intake_id", "-submitted_at", "-id")
        .values_list(
            "incident__intake_id", "harm", "chain_of_events", "model_involvement", "root_cause"
        )
    ):
        latest.setdefault(intake_id, tuple(fields))
    labels = dict(IncidentType.choices)
    with translation.override("en"):  # the same text whatever the reader's language
        for intake_id, title, types in Incident.objects.filter(intake_id__in=ids).values_list(
            "intake_id", "intake__title", "types"
        ):
            named = "; ".join(str(labels.get(t, t)) for t in types or ())
            yield intake_id, _join(title, named, *latest.get(intake_id, ()))


CORPORA: dict[str, tuple[str, semantic_fresh.Texts]] = {
    IntakeKind.COMPLAINT: (COMPLAINT_CORPUS, complaint_texts),
    IntakeKind.INCIDENT: (INCIDENT_CORPUS, incident_texts),
}


@dataclass(frozen=True)
class Similar:
    """Reports of the same kind, nearest first, with their cosine similarity and the model."""

    reports: list[tuple[Intake, float]]
    model: str

    @property
    def lexical(self) -> bool:
        """Whether the word-based stand-in answered (no language model installed)."""
        return self.model == semantic.LEXICAL_NAME


def has_similar(intake: Intake) -> bool:
    """Whether reports of this kind are compared (complaints and incidents)."""
    return intake.kind in CORPORA


def similar_reports(request: HttpRequest, intake: Intake, *, k: int = SIMILAR_K) -> Similar:
    """The complaints (or incidents) nearest in meaning to this one, for the Office's staff
    (PermissionDenied for anyone else; ValidationError for a kind that is not compared)."""
    if not is_office_staff(request):
        raise PermissionDenied("The triage queue is the Office's.")
    if intake.kind not in CORPORA:
        raise ValidationError(
            {"intake_id": "Similar reports are found for complaints and incident reports."}
        )
    corpus, texts = CORPORA[intake.kind]
    rows: QuerySet[Intake] = Intake.objects.filter(kind=intake.kind)
    found = semantic_fresh.neighbours(corpus, intake.pk, rows=rows, texts=texts, k=k)
    by_id = rows.select_related("provider__organisation").in_bulk(
        [hit.object_id for hit in found.hits]
    )
    return Similar(
        [(by_id[h.object_id], h.score) for h in found.hits if h.object_id in by_id], found.model
    )


# --- keeping the vectors fresh --------------------------------------------------------------


def _complaint_saved(sender: Any, instance: Complaint, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return
    semantic_fresh.refresh_on_commit(COMPLAINT_CORPUS, [instance.intake_id], complaint_texts)


def _incident_saved(sender: Any, instance: Incident, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return
    semantic_fresh.refresh_on_commit(INCIDENT_CORPUS, [instance.intake_id], incident_texts)


def _report_saved(sender: Any, instance: IncidentReport, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return
    intakes = Incident.objects.filter(pk=instance.incident_id).values_list("intake_id", flat=True)
    semantic_fresh.refresh_on_commit(INCIDENT_CORPUS, list(intakes), incident_texts)


def connect() -> None:
    """Hook the refreshes to the models' saves (SupervisionConfig.ready)."""
    uid = "supervision.similar."
    post_save.connect(_complaint_saved, sender=Complaint, dispatch_uid=uid + "complaint")
    post_save.connect(_incident_saved, sender=Incident, dispatch_uid=uid + "incident")
    post_save.connect(_report_saved, sender=IncidentReport, dispatch_uid=uid + "report")
