"""The grouping functions of aioffice.core.semantic (pure numpy over ids and vectors), on
vectors built here with a known shape, and on lexical embeddings of our own texts."""

from __future__ import annotations

import time
from typing import Any

import numpy as np
import pytest

from aioffice.core import semantic, semantic_groups

RNG_SEED = 20261126


def _unit(rows: Any) -> Any:
    matrix = np.asarray(rows, dtype=np.float32)
    return matrix / np.linalg.norm(matrix, axis=1, keepdims=True)


def _clusters(sizes: list[int], dim: int = 64, spread: float = 0.25, seed: int = RNG_SEED) -> Any:
    """Unit vectors in clusters around random centres (cosine to the centre about 0.9 for
    spread 0.25 in 64 dimensions), then `outliers` alone."""
    rng = np.random.default_rng(seed)
    rows = []
    for size in sizes:
        centre = rng.normal(size=dim)
        centre /= np.linalg.norm(centre)
        for _ in range(size):
            noise = rng.normal(size=dim)
            rows.append(centre + spread * noise / np.linalg.norm(noise) * 1.0)
    return _unit(rows)


def test_near_duplicates_are_connected_components() -> None:
    # a~b (0.95), b~c (0.95), a and c only 0.8: one group by the chain; d, e apart
    angle = np.arccos(0.95)
    vectors = _unit(
        [
            [1, 0, 0, 0],
            [np.cos(angle), np.sin(angle), 0, 0],
            [np.cos(2 * angle), np.sin(2 * angle), 0, 0],
            [0, 0, 1, 0],
            [0, 0, 0, 1],
        ]
    )
    assert float(vectors[0] @ vectors[2]) < 0.92
    grouping = semantic.near_duplicates([10, 11, 12, 13, 14], vectors, threshold=0.92)
    assert len(grouping.groups) == 1
    group = grouping.groups[0]
    assert sorted(member for member, _ in group) == [10, 11, 12]
    assert group[0][0] == 11  # the middle one is closest to the centre
    assert [score for _, score in group] == sorted((score for _, score in group), reverse=True)
    # a higher threshold splits them: no pair reaches it
    assert semantic.near_duplicates([10, 11, 12, 13, 14], vectors, threshold=0.99).groups == []
    assert semantic.near_duplicates([], np.zeros((0, 4), dtype=np.float32)).groups == []


def test_blocks_give_the_same_answer(monkeypatch: Any) -> None:
    vectors = _clusters([6, 4, 3, 1, 1], spread=0.2)
    ids = list(range(100, 100 + len(vectors)))
    whole_dups = semantic.near_duplicates(ids, vectors, threshold=0.9)
    whole_themes = semantic.themes(ids, vectors, threshold=0.8, min_size=3)
    monkeypatch.setattr(semantic_groups, "BLOCK_ROWS", 3)
    assert semantic.near_duplicates(ids, vectors, threshold=0.9) == whole_dups
    assert semantic.themes(ids, vectors, threshold=0.8, min_size=3) == whole_themes
    assert [len(group) for group in whole_themes.groups] == [6, 4, 3]


def test_themes_are_pure_biggest_first_and_leave_outliers_out() -> None:
    vectors = np.concatenate([_clusters([8, 5, 2]), _clusters([1, 1], seed=7)])
    truth = [0] * 8 + [1] * 5 + [2] * 2 + [3, 4]
    ids = list(range(len(truth)))
    grouping = semantic.themes(ids, vectors, threshold=0.7, min_size=3)
    assert [sorted(member for member, _ in group) for group in grouping.groups] == [
        list(range(8)),
        list(range(8, 13)),
    ]
    # min_size 2 lets the pair be a theme; the lone texts never are
    grouping = semantic.themes(ids, vectors, threshold=0.7, min_size=2)
    assert [len(group) for group in grouping.groups] == [8, 5, 2]
    with pytest.raises(ValueError, match="one row each"):
        semantic.themes([1, 2], vectors)


def test_representatives_are_closest_to_the_centre() -> None:
    vectors = _unit([[1, 0.1, 0], [1, -0.1, 0], [1, 0, 0.02], [1, 0, -0.3]])
    best = semantic.representatives([1, 2, 3, 4], vectors, n=2)
    assert [member for member, _ in best] == [3, 1]  # 1 and 2 tie: the lower id first
    assert best[0][1] > best[1][1]
    assert semantic.representatives([], np.zeros((0, 3), dtype=np.float32)) == []


def test_assign_to_labels() -> None:
    labels = _unit([[1, 0, 0], [0, 1, 0]])
    vectors = _unit([[0.9, 0.1, 0], [0.1, 0.9, 0.1], [0, 0, 1]])
    assigned = semantic.assign_to_labels(vectors, labels)
    assert [label for label, _ in assigned] == [0, 1, 0]  # the third: a tie at 0, the first
    assert assigned[2][1] == pytest.approx(0.0, abs=1e-6)
    strict = semantic.assign_to_labels(vectors, labels, min_score=0.5)
    assert [label for label, _ in strict] == [0, 1, -1]
    assert semantic.assign_to_labels(vectors, np.zeros((0, 3), dtype=np.float32)) == [(-1, 0.0)] * 3
    assert semantic.assign_to_labels(np.zeros((0, 3), dtype=np.float32), labels) == []


def test_keywords_set_a_group_apart() -> None:
    group = [
        "Watermarks on generated images should survive cropping.",
        "A watermark for synthetic audio is needed, and the watermarks must be robust.",
        "Robust watermarks help people spot generated images.",
    ]
    rest = [
        "Generated summaries of training data should be public.",
        "Incidents must be reported to the Office.",
        "Small companies need simpler documentation.",
    ]
    words = semantic.keywords(group, rest, n=3)
    assert words[0] in {"watermarks", "robust"}
    assert set(words) <= {"watermarks", "robust", "images"}
    assert "the" not in semantic.keywords(group, rest, n=50)
    assert "generated" not in words  # as common in the rest
    # accents folded, French and German stop words left out
    french = ["Le filigrane des images générées.", "Un filigrane pour les images générées."]
    assert semantic.keywords(french, ["Les incidents graves."], n=3)[:1] in (
        ["filigrane"],
        ["images"],
        ["generees"],
    )
    assert "les" not in semantic.keywords(french, [], n=20)
    assert semantic.keywords([], rest) == []


def test_thresholds_follow_the_settings_and_the_model(settings: Any) -> None:
    settings.SEMANTIC_DUPLICATE_THRESHOLD = 0.9
    settings.SEMANTIC_LEXICAL_DUPLICATE_THRESHOLD = 0.8
    settings.SEMANTIC_THEME_MIN_SIZE = 4
    assert semantic.thresholds("all-MiniLM-L6-v2@gt-0.1.0").duplicate == 0.9
    assert semantic.thresholds("lexical-hash-v1").duplicate == 0.8
    settings.SEMANTIC_EMBEDDER = "lexical"
    assert semantic.thresholds().duplicate == 0.8
    assert semantic.thresholds().theme_min_size == 4


def test_lexical_near_duplicates_gather_copies_of_a_form_letter() -> None:
    lexical = semantic.get_embedder("lexical")
    texts = [
        "As a member of the Scribes Guild I ask that the code be published in every language.",
        "As a member of the Scribes Guild, I ask that the code be published in every language!",
        "As a supporter of the Scribes Guild I ask that the code is published in every language.",
        "As a member of the Scribes Guild I ask that the code be published in each language.",
        "Incidents caused by the model must be reported to the AI Office without delay.",
        "Model weights must be protected against theft with encryption.",
        "The code should be published in every language.",
    ]
    grouping = semantic.near_duplicates(range(len(texts)), lexical.embed(texts), model=lexical.name)
    assert [sorted(member for member, _ in group) for group in grouping.groups] == [[0, 1, 2, 3]]


def test_ten_thousand_items_fit_and_finish() -> None:
    rng = np.random.default_rng(RNG_SEED)
    vectors = _unit(rng.normal(size=(10_000, 384)))
    # three campaigns of copies hidden among random texts
    for start, size in ((10, 40), (5000, 25), (9000, 3)):
        base = vectors[start]
        noise = rng.normal(size=(size, 384)) * 0.01
        vectors[start : start + size] = _unit(base + noise)
    ids = np.arange(10_000, dtype=np.int64) + 1
    began = time.perf_counter()
    grouping = semantic.near_duplicates(ids, vectors, threshold=0.92)
    themes = semantic.themes(ids, vectors, threshold=0.6, min_size=3)
    took = time.perf_counter() - began
    assert [len(group) for group in grouping.groups] == [40, 25, 3]
    assert sorted(member for member, _ in grouping.groups[2]) == [9001, 9002, 9003]
    assert [len(group) for group in themes.groups] == [40, 25, 3]
    assert took < 30  # 10 s on two busy cores
