"""Reads of the AI tools, permissions first: every page and route of the analysis part is
for the Office and the project's chairs, vice-chairs and drafters (`permissions.
may_analyse`), who read confidential responses too; anyone else gets a 404 for a record
they may not see (its existence is not confirmed) or a 403 where nothing is named.

Search and "find similar" ask `aioffice.core.semantic` within the consultation's own
feedback only: one consultation's tools never show another's feedback."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from aioffice.core import semantic
from aioffice.drafting import permissions
from aioffice.drafting.models_analysis import AnalysisRun, Group, GroupKind, GroupMember, Summary
from aioffice.drafting.models_consultations import Consultation, Feedback
from aioffice.drafting.models_drafts import Section
from aioffice.drafting.services_analysis import FEEDBACK_CORPUS

SEARCH_MAX = 50
QUERY_MAX = 500


@dataclass(frozen=True)
class Found:
    """A feedback item found by search or "find similar", with its cosine similarity."""

    feedback: Feedback
    score: float


def consultation_for(user: Any, consultation_id: int) -> Consultation:
    row = Consultation.objects.select_related("draft__project").filter(pk=consultation_id).first()
    if row is None:
        raise Http404
    if not permissions.may_analyse(user, row.draft.project):
        raise Http404
    return row


def run_for(user: Any, run_id: int) -> AnalysisRun:
    row = (
        AnalysisRun.objects.select_related("consultation__draft__project").filter(pk=run_id).first()
    )
    if row is None:
        raise Http404
    if not permissions.may_analyse(user, row.consultation.draft.project):
        raise Http404
    return row


def group_for(user: Any, group_id: int) -> Group:
    row = (
        Group.objects.select_related("run__consultation__draft__project", "section")
        .filter(pk=group_id)
        .first()
    )
    if row is None:
        raise Http404
    if not permissions.may_analyse(user, row.run.consultation.draft.project):
        raise Http404
    return row


def feedback_for(user: Any, feedback_id: int) -> Feedback:
    row = (
        Feedback.objects.select_related(
            "response__consultation__draft__project", "section", "suggested_section"
        )
        .filter(pk=feedback_id)
        .first()
    )
    if row is None:
        raise Http404
    if not permissions.may_analyse(user, row.response.consultation.draft.project):
        raise Http404
    return row


def runs_of(consultation: Consultation) -> QuerySet[AnalysisRun]:
    return consultation.analysis_runs.order_by("-requested_at", "-id")


def latest_done(consultation: Consultation) -> AnalysisRun | None:
    return runs_of(consultation).filter(status="done").first()


def groups_of(run: AnalysisRun, kind: str) -> QuerySet[Group]:
    return run.groups.filter(kind=kind).select_related("section").order_by("position", "id")


def themes_of(run: AnalysisRun) -> QuerySet[Group]:
    return groups_of(run, GroupKind.THEME)


def campaigns_of(run: AnalysisRun) -> QuerySet[Group]:
    return groups_of(run, GroupKind.CAMPAIGN)


def _feedback_rows() -> QuerySet[Feedback]:
    return Feedback.objects.select_related("response", "section", "suggested_section")


def quotes_of(group: Group) -> list[Feedback]:
    """The group's representative feedback items, best first."""
    wanted = [int(pk) for pk in group.representatives or []]
    rows = {row.pk: row for row in _feedback_rows().filter(pk__in=wanted)}
    return [rows[pk] for pk in wanted if pk in rows]


def members_of(group: Group) -> QuerySet[GroupMember]:
    return group.members.select_related(
        "feedback__response", "feedback__section", "feedback__suggested_section"
    ).order_by("-similarity", "feedback_id")


def summaries_of_group(group: Group) -> QuerySet[Summary]:
    return group.summaries.order_by("-requested_at", "-id")


def section_summaries(consultation: Consultation) -> QuerySet[Summary]:
    return (
        consultation.summaries.filter(section__isnull=False)
        .select_related("section")
        .order_by("-requested_at", "-id")
    )


def sections_of(consultation: Consultation) -> QuerySet[Section]:
    return Section.objects.filter(draft_id=consultation.draft_id).order_by("position")


def suggestions_of(consultation: Consultation) -> QuerySet[Feedback]:
    """General comments (no section) for which the analysis suggested a section."""
    return (
        _feedback_rows()
        .filter(
            response__consultation=consultation,
            section__isnull=True,
            suggested_section__isnull=False,
        )
        .order_by("-suggested_score", "id")
    )


def _feedback_ids(consultation: Consultation) -> list[int]:
    rows = Feedback.objects.filter(response__consultation=consultation)
    return list(rows.values_list("id", flat=True))


def _found(hits: list[semantic.Hit], *, leave_out: int | None = None) -> list[Found]:
    scores = {hit.object_id: hit.score for hit in hits if hit.object_id != leave_out}
    rows = {row.pk: row for row in _feedback_rows().filter(pk__in=list(scores))}
    return [Found(rows[pk], float(score)) for pk, score in scores.items() if pk in rows]


def search(consultation: Consultation, query: str, *, k: int = 20) -> list[Found]:
    """The consultation's feedback closest in meaning to `query`, best first."""
    query = (query or "").strip()[:QUERY_MAX]
    if not query:
        return []
    within = _feedback_ids(consultation)
    if not within:
        return []
    hits = semantic.search(FEEDBACK_CORPUS, query, k=min(k, SEARCH_MAX), within=within)
    return _found(hits)


def similar(feedback: Feedback, *, k: int = 10) -> list[Found]:
    """The feedback of the same consultation closest in meaning to `feedback` (itself left
    out); nothing until the consultation has been analysed (its vectors stored)."""
    within = _feedback_ids(feedback.response.consultation)
    hits = semantic.similar_to(FEEDBACK_CORPUS, feedback.pk, k=min(k, SEARCH_MAX), within=within)
    return _found(hits, leave_out=feedback.pk)
