"""Grouping of embedded texts, pure numpy over (ids, vectors) with L2-normalised rows (as
`aioffice.core.semantic.load_vectors` gives them); re-exported by `aioffice.core.semantic`.

- near_duplicates: connected components of the pairs at or above the duplicate threshold
  (campaign copies, the same comment sent twice);
- themes: greedy communities around the most connected texts (theme threshold, min size);
- representatives: the texts closest to a group's centre;
- keywords: the words that set a group's texts apart from the rest (tf-idf-like);
- assign_to_labels: each vector's nearest label vector (a comment to a section).

Similarities are computed in blocks of rows, so 10,000 texts need a few tens of MB, never
the full n x n matrix. Thresholds are Office settings (SEMANTIC_*), one pair per kind of
embedder, since the lexical embedder's similarities run lower than MiniLM's.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from django.conf import settings

Matrix = npt.NDArray[np.float32]
Member = tuple[int, float]  # (object id, cosine similarity to the group's centre)

BLOCK_ROWS = 1024


@dataclass(frozen=True)
class Grouping:
    """Groups of object ids, biggest first; each group's members best first (closest to
    the group's centre), with their similarity to it."""

    groups: list[list[Member]]


@dataclass(frozen=True)
class Thresholds:
    duplicate: float
    theme: float
    theme_min_size: int


def thresholds(model: str | None = None) -> Thresholds:
    """The Office's thresholds for vectors of `model` (a recorded model name; None: the
    embedder the settings choose)."""
    if model is None:
        from aioffice.core.semantic import get_embedder  # here: a cycle otherwise

        model = get_embedder().name
    if model.startswith("lexical"):
        return Thresholds(
            settings.SEMANTIC_LEXICAL_DUPLICATE_THRESHOLD,
            settings.SEMANTIC_LEXICAL_THEME_THRESHOLD,
            settings.SEMANTIC_THEME_MIN_SIZE,
        )
    return Thresholds(
        settings.SEMANTIC_DUPLICATE_THRESHOLD,
        settings.SEMANTIC_THEME_THRESHOLD,
        settings.SEMANTIC_THEME_MIN_SIZE,
    )


def _as_arrays(
    ids: Sequence[int] | npt.NDArray[np.int64], vectors: Matrix
) -> tuple[npt.NDArray[np.int64], Matrix]:
    id_array = np.asarray(ids, dtype=np.int64)
    matrix = np.asarray(vectors, dtype=np.float32)
    if matrix.ndim != 2 or len(id_array) != len(matrix):
        raise ValueError("ids and vectors must have one row each")
    return id_array, matrix


def _blocks(n: int) -> Iterator[tuple[int, int]]:
    size = BLOCK_ROWS  # read at each call (a test makes it small)
    for start in range(0, n, size):
        yield start, min(start + size, n)


def _group(ids: npt.NDArray[np.int64], matrix: Matrix, rows: npt.NDArray[np.intp]) -> list[Member]:
    """The members `rows`, best first by similarity to their normalised centroid."""
    vectors = matrix[rows]
    centre = vectors.mean(axis=0)
    norm = float(np.linalg.norm(centre))
    if norm > 0:
        centre = centre / norm
    scores = vectors @ centre
    order = np.lexsort((ids[rows], -scores))
    return [(int(ids[rows[i]]), round(float(scores[i]), 6)) for i in order]


def _sorted(groups: list[list[Member]]) -> Grouping:
    return Grouping(sorted(groups, key=lambda g: (-len(g), min(member for member, _ in g))))


def near_duplicates(
    ids: Sequence[int] | npt.NDArray[np.int64],
    vectors: Matrix,
    *,
    threshold: float | None = None,
    model: str | None = None,
) -> Grouping:
    """Groups (two members or more) of texts linked by pairs at or above `threshold`
    (default: the Office's duplicate threshold for `model`): connected components, so a
    chain of close copies is one group."""
    id_array, matrix = _as_arrays(ids, vectors)
    limit = thresholds(model).duplicate if threshold is None else threshold
    n = len(id_array)
    pair_rows: list[npt.NDArray[np.intp]] = []
    pair_cols: list[npt.NDArray[np.intp]] = []
    for start, stop in _blocks(n):
        sims = matrix[start:stop] @ matrix.T
        rows, cols = np.nonzero(sims >= limit)
        rows = rows + start
        upper = cols > rows
        pair_rows.append(rows[upper])
        pair_cols.append(cols[upper])
    if not n:
        return Grouping([])
    first = np.concatenate(pair_rows)
    second = np.concatenate(pair_cols)
    labels = np.arange(n)
    while True:  # label propagation to the smallest index, with pointer jumping
        before = labels.copy()
        lowest = np.minimum(labels[first], labels[second])
        np.minimum.at(labels, first, lowest)
        np.minimum.at(labels, second, lowest)
        while True:
            jumped = labels[labels]
            if np.array_equal(jumped, labels):
                break
            labels = jumped
        if np.array_equal(labels, before):
            break
    groups = []
    for label in np.unique(labels):
        rows = np.nonzero(labels == label)[0]
        if len(rows) > 1:
            groups.append(_group(id_array, matrix, rows))
    return _sorted(groups)


def themes(
    ids: Sequence[int] | npt.NDArray[np.int64],
    vectors: Matrix,
    *,
    threshold: float | None = None,
    min_size: int | None = None,
    model: str | None = None,
) -> Grouping:
    """Themes by greedy community detection: the text with the most neighbours at or above
    `threshold` gathers those not yet taken into a theme (if at least `min_size`), then the
    next most connected text not yet taken, and so on. Texts in no theme are left out."""
    id_array, matrix = _as_arrays(ids, vectors)
    defaults = thresholds(model)
    limit = defaults.theme if threshold is None else threshold
    smallest = max(1, defaults.theme_min_size if min_size is None else min_size)
    n = len(id_array)
    counts = np.zeros(n, dtype=np.int64)
    for start, stop in _blocks(n):
        counts[start:stop] = np.count_nonzero(matrix[start:stop] @ matrix.T >= limit, axis=1)
    order = np.argsort(-counts, kind="stable")
    candidates = order[counts[order] >= smallest]
    taken = np.zeros(n, dtype=bool)
    groups: list[list[Member]] = []
    position = 0
    while position < len(candidates):
        block: list[int] = []
        while position < len(candidates) and len(block) < max(1, BLOCK_ROWS // 4):
            if not taken[candidates[position]]:
                block.append(int(candidates[position]))
            position += 1
        if not block:
            break
        sims = matrix[block] @ matrix.T
        for row, centre in enumerate(block):
            if taken[centre]:
                continue
            members = np.nonzero((sims[row] >= limit) & ~taken)[0]
            if len(members) >= smallest:
                taken[members] = True
                groups.append(_group(id_array, matrix, members))
    return _sorted(groups)


def representatives(
    ids: Sequence[int] | npt.NDArray[np.int64], vectors: Matrix, *, n: int = 3
) -> list[Member]:
    """The n members closest to the group's centre, best first, with their similarity."""
    id_array, matrix = _as_arrays(ids, vectors)
    if not len(id_array):
        return []
    return _group(id_array, matrix, np.arange(len(id_array)))[:n]


def assign_to_labels(
    vectors: Matrix, label_vectors: Matrix, *, min_score: float | None = None
) -> list[tuple[int, float]]:
    """For each vector, the index of its nearest label vector and the similarity (the first
    label on a tie); -1 where no label reaches `min_score`."""
    matrix = np.asarray(vectors, dtype=np.float32)
    labels = np.asarray(label_vectors, dtype=np.float32)
    if not len(matrix):
        return []
    if not len(labels):
        return [(-1, 0.0)] * len(matrix)
    result: list[tuple[int, float]] = []
    for start, stop in _blocks(len(matrix)):
        sims = matrix[start:stop] @ labels.T
        best = np.argmax(sims, axis=1)
        for row, label in enumerate(best):
            score = float(sims[row, label])
            chosen = -1 if min_score is not None and score < min_score else int(label)
            result.append((chosen, round(score, 6)))
    return result


# --- Keywords ------------------------------------------------------------------------------

# Small stop-word lists (English, French, German): words too common to name a theme.
_STOP_WORDS = """
    a about above after again against all also am an and any are as at be because been
    before being below between both but by can could did do does doing down during each
    few for from further had has have having he her here hers him his how i if in into is
    it its itself just me more most my no nor not now of off on once only or other our
    ours out over own same she should so some such than that the their theirs them then
    there these they this those through to too under until up very was we were what when
    where which while who whom why will with would you your yours must may shall should
    per via within without among upon
    au aux avec ce ces cette dans de des du elle en et eux il ils je la le les leur leurs
    lui ma mais me meme mes moi mon ne nos notre nous on ou par pas pour qu que qui sa se
    ses son sont sur ta te tes toi ton tu un une vos votre vous est etre ont avoir fait
    plus ainsi comme doit doivent peut peuvent tout tous toute toutes
    aber als am an auch auf aus bei bin bis bist da dann das dass dem den der des die dies
    diese dieser dieses doch dort du durch ein eine einem einen einer eines er es fur hat
    hatte hier ich ihr ihre im in ist ja jede jeder jedes kann kein keine mit muss nach
    nicht noch nur oder ohne sehr sein seine sich sie sind so soll sollen uber um und uns
    unser unter vom von vor war waren was weil wenn werden wie wir wird zu zum zur
"""
STOP_WORDS = frozenset(_STOP_WORDS.split())
_KEYWORD = re.compile(r"[^\W\d_]{3,}", re.UNICODE)


def _words(text: str) -> set[str]:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    folded = "".join(char for char in decomposed if not unicodedata.combining(char))
    return {word for word in _KEYWORD.findall(folded) if word not in STOP_WORDS}


def keywords(group: Sequence[str], rest: Sequence[str], *, n: int = 8) -> list[str]:
    """The n words that best set the texts of `group` apart from `rest`: a word scores by
    the share of the group's texts that hold it times log(its share there / its share in
    the rest), both smoothed; a word must appear in two of the group's texts (when the
    group has two or more). Words are lower case, accents folded, stop words left out."""
    if not group or n <= 0:
        return []
    inside: Counter[str] = Counter(word for text in group for word in _words(text))
    outside: Counter[str] = Counter(word for text in rest for word in _words(text))
    least = 2 if len(group) > 1 else 1
    scored = []
    for word, count in inside.items():
        if count < least:
            continue
        share_in = (count + 0.5) / (len(group) + 1)
        share_out = (outside[word] + 0.5) / (len(rest) + 1)
        score = share_in * math.log(share_in / share_out)
        if score > 0:
            scored.append((-score, word))
    return [word for _, word in sorted(scored)[:n]]
