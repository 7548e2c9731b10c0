"""Keeping an app's corpus fresh for "find similar", and asking it without ever failing a page.

`aioffice.core.semantic` embeds and searches; the apps that own the texts (the portal's
guidance, supervision's complaints and incidents) use these helpers around it:

- `refresh_on_commit(corpus, ids, texts)`: after the saving transaction commits, embed the
  objects' texts again (unchanged text costs no embedding); a failure is logged, never
  raised, so a save never fails because of the model. Called by the apps' post-save hooks.
- `neighbours(corpus, object_id, rows=, texts=)` and `nearest(corpus, query, rows=, texts=)`:
  first embed the rows that have no vector yet (one query finds them), then ask the engine
  among those rows only. The embedder is the one the settings give; where it cannot be
  loaded or run, the lexical one answers, and the answer names the model that made it.

`rows` is a queryset of the objects the corpus holds (the object's primary key is its
`object_id`), already narrowed to what the reader may see; `texts(ids)` yields
(id, text) for those ids.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet

from aioffice.core import semantic
from aioffice.core.models import SemanticVector

__all__ = [
    "Found",
    "Texts",
    "embed_missing",
    "nearest",
    "neighbours",
    "refresh_now",
    "refresh_on_commit",
]

logger = logging.getLogger(__name__)

Texts = Callable[[Collection[int]], Iterable[tuple[int, str]]]

# What a model that is missing or broken raises when it loads or runs.
MODEL_ERRORS: tuple[type[Exception], ...] = (
    ImproperlyConfigured,
    ImportError,
    OSError,
    RuntimeError,
)


@dataclass(frozen=True)
class Found:
    """The engine's answer: the hits (best first) and the model that made them."""

    hits: list[semantic.Hit]
    model: str


def _embedder() -> semantic.Embedder:
    """The settings' embedder; the lexical one where that cannot be had."""
    try:
        return semantic.get_embedder()
    except ImproperlyConfigured:
        logger.warning("the configured embedder is not available: the lexical one answers")
        return semantic.get_embedder(semantic.LEXICAL_NAME)


def _with_fallback(ask: Callable[[semantic.Embedder], list[semantic.Hit]]) -> Found:
    embedder = _embedder()
    try:
        return Found(ask(embedder), embedder.name)
    except MODEL_ERRORS:
        if embedder.name == semantic.LEXICAL_NAME:
            raise
        logger.exception("the embedder %s failed: the lexical one answers", embedder.name)
        lexical = semantic.get_embedder(semantic.LEXICAL_NAME)
        return Found(ask(lexical), lexical.name)


def _ids_and_missing(
    corpus: str, rows: QuerySet[Any], embedder: semantic.Embedder
) -> tuple[list[int], list[int]]:
    """The rows' ids, and those without a vector of this model (one query)."""
    vectors = SemanticVector.objects.filter(
        corpus=corpus, model=embedder.name, object_id=OuterRef("pk")
    )
    pairs = rows.annotate(_embedded=Exists(vectors)).values_list("pk", "_embedded")
    ids: list[int] = []
    missing: list[int] = []
    for pk, embedded in pairs:
        ids.append(int(pk))
        if not embedded:
            missing.append(int(pk))
    return ids, missing


def embed_missing(
    corpus: str, rows: QuerySet[Any], texts: Texts, *, embedder: semantic.Embedder
) -> list[int]:
    """Embed the rows that have no vector of this model; return every row's id."""
    ids, missing = _ids_and_missing(corpus, rows, embedder)
    if missing:
        semantic.store_vectors(corpus, texts(missing), embedder=embedder)
    return ids


def neighbours(
    corpus: str, object_id: int, *, rows: QuerySet[Any], texts: Texts, k: int = 5
) -> Found:
    """The k rows nearest in meaning to `object_id` (itself left out), among `rows`."""

    def ask(embedder: semantic.Embedder) -> list[semantic.Hit]:
        ids = embed_missing(corpus, rows, texts, embedder=embedder)
        if object_id not in ids:  # the object itself is outside what may be compared
            semantic.store_vectors(corpus, texts([object_id]), embedder=embedder)
        return semantic.similar_to(corpus, object_id, k=k, within=ids, embedder=embedder)

    return _with_fallback(ask)


def nearest(corpus: str, query: str, *, rows: QuerySet[Any], texts: Texts, k: int = 20) -> Found:
    """The k rows nearest in meaning to the query, among `rows`."""

    def ask(embedder: semantic.Embedder) -> list[semantic.Hit]:
        if not query.strip():
            return []
        ids = embed_missing(corpus, rows, texts, embedder=embedder)
        return semantic.search(corpus, query, k=k, within=ids, embedder=embedder)

    return _with_fallback(ask)


def refresh_now(corpus: str, ids: Collection[int], texts: Texts) -> None:
    """Embed these objects' current texts (a failure is logged, not raised)."""
    try:
        semantic.store_vectors(corpus, texts(ids), embedder=_embedder())
    except Exception:  # a save must never fail because of the model or its vectors
        logger.exception("%s: the vectors of %s were not refreshed", corpus, sorted(ids))


def refresh_on_commit(corpus: str, ids: Collection[int], texts: Texts) -> None:
    """After the current transaction commits (at once outside one), have the vectors
    refreshed by the background worker (`core.tasks.refresh_vectors`), so that a request
    that saves (a public complaint, say) never waits for the model to load or run. `texts`
    must be a module-level function: the task finds it again by its dotted path."""
    wanted = sorted({int(i) for i in ids})
    path = f"{texts.__module__}.{texts.__qualname__}"
    transaction.on_commit(lambda: _enqueue(corpus, wanted, path))


def _enqueue(corpus: str, ids: list[int], path: str) -> None:
    from aioffice.core.tasks import refresh_vectors

    try:
        refresh_vectors.enqueue(corpus, ids, path)
    except Exception:  # a save must never fail because its vectors could not be queued
        logger.exception("%s: the refresh of %s was not queued", corpus, ids)
