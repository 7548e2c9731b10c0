"""Guidance "similar in meaning" (corpus "portal.guidance", on `aioffice.core.semantic`).

A document's text for the engine is its title, its summary and its latest version's note
of what changed. Vectors are refreshed when a document or a version is saved (post-save
hooks, after the commit; `connect`) and, for rows saved otherwise, when a search finds
published documents without one. Only published documents are compared or found: an
unpublished document is never an answer, whatever its vector.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.db.models.signals import post_delete, post_save

from aioffice.core import semantic, semantic_fresh
from aioffice.portal.models_content import GuidanceDocument, GuidanceVersion

__all__ = ["CORPUS", "SIMILAR_K", "Similar", "connect", "guidance_texts", "search", "similar"]

CORPUS = "portal.guidance"
SIMILAR_K = 5  # documents shown as similar
SEARCH_K = 20  # documents a search by meaning returns (one page)


@dataclass(frozen=True)
class Similar:
    """Published documents, nearest first, with their cosine similarity and the model."""

    documents: list[tuple[GuidanceDocument, float]]
    model: str

    @property
    def lexical(self) -> bool:
        """Whether the word-based stand-in answered (no language model installed)."""
        return self.model == semantic.LEXICAL_NAME


def guidance_texts(ids: Collection[int]) -> Iterator[tuple[int, str]]:
    """(id, title + summary + the latest version's change note) of these documents."""
    notes: dict[int, str] = {}
    for document_id, note in (
        GuidanceVersion.objects.filter(document_id__in=ids)
        .order_by("document_id", "-published_on", "-id")
        .values_list("document_id", "change_note")
    ):
        notes.setdefault(document_id, note)
    for pk, title, summary in GuidanceDocument.objects.filter(pk__in=ids).values_list(
        "pk", "title", "summary"
    ):
        parts = (title, summary, notes.get(pk, ""))
        yield pk, "\n".join(part.strip() for part in parts if part.strip())


def _published() -> QuerySet[GuidanceDocument]:
    return GuidanceDocument.objects.filter(published=True)


def _documents(found: semantic_fresh.Found, rows: QuerySet[GuidanceDocument]) -> Similar:
    by_id = rows.in_bulk([hit.object_id for hit in found.hits])
    return Similar(
        [(by_id[h.object_id], h.score) for h in found.hits if h.object_id in by_id], found.model
    )


def similar(document: GuidanceDocument, *, k: int = SIMILAR_K) -> Similar:
    """The published documents nearest in meaning to this (published) one."""
    rows = _published()
    found = semantic_fresh.neighbours(CORPUS, document.pk, rows=rows, texts=guidance_texts, k=k)
    return _documents(found, rows)


def search(query: str, rows: QuerySet[GuidanceDocument], *, k: int = SEARCH_K) -> Similar:
    """The documents of `rows` (published ones only) nearest in meaning to the query."""
    rows = rows.filter(published=True)
    found = semantic_fresh.nearest(CORPUS, query, rows=rows, texts=guidance_texts, k=k)
    return _documents(found, rows)


# --- keeping the vectors fresh --------------------------------------------------------------


def _document_saved(sender: Any, instance: GuidanceDocument, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return
    semantic_fresh.refresh_on_commit(CORPUS, [instance.pk], guidance_texts)


def _version_saved(sender: Any, instance: GuidanceVersion, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return
    semantic_fresh.refresh_on_commit(CORPUS, [instance.document_id], guidance_texts)


def _document_deleted(sender: Any, instance: GuidanceDocument, **kwargs: Any) -> None:
    semantic.delete_vectors(CORPUS, [instance.pk])


def connect() -> None:
    """Hook the refreshes to the models' saves (PortalConfig.ready)."""
    uid = "portal.similar."
    post_save.connect(_document_saved, sender=GuidanceDocument, dispatch_uid=uid + "document")
    post_save.connect(_version_saved, sender=GuidanceVersion, dispatch_uid=uid + "version")
    post_delete.connect(
        _document_deleted, sender=GuidanceDocument, dispatch_uid=uid + "document-deleted"
    )
