"""The portal's demo content: loaded through the services, once (a second load changes
nothing), real PDF files in English, French and German whose SHA-256 the pages show, the
AI Act's dates from `aiact`, fictional items marked as such."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import pytest
from django.test import Client

from aiact import load_law
from aioffice.core.models import AuditEvent
from aioffice.demo_data import portal_content
from aioffice.portal.models_content import GuidanceDocument, GuidanceFile, NewsItem

from .test_content_services import editor, media_root  # noqa: F401  (the autouse fixture)

pytestmark = pytest.mark.django_db


def test_the_demo_loads_once_through_the_services(media_root: Path) -> None:  # noqa: F811
    portal_content.load(users={"policy": editor("policy")})
    counts = (
        GuidanceDocument.objects.count(),
        GuidanceFile.objects.count(),
        NewsItem.objects.count(),
    )
    events = AuditEvent.objects.filter(action__startswith="portal.").count()
    portal_content.load(users={"policy": editor("policy")})
    assert (
        GuidanceDocument.objects.count(),
        GuidanceFile.objects.count(),
        NewsItem.objects.count(),
    ) == counts
    assert AuditEvent.objects.filter(action__startswith="portal.").count() == events
    assert counts[0] == 4 and 4 <= NewsItem.objects.filter(language="en").count() <= 6
    assert GuidanceDocument.objects.filter(published=False).count() == 1  # a draft
    for record in GuidanceFile.objects.all():
        stored = (media_root / record.file.name).read_bytes()
        assert stored.startswith(b"%PDF-")
        assert hashlib.sha256(stored).hexdigest() == record.sha256
    published = GuidanceFile.objects.filter(version__document__published=True)
    assert set(published.values_list("language", flat=True)) == {"en", "fr", "de"}


def test_the_demo_pages_show_it(media_root: Path) -> None:  # noqa: F811
    portal_content.load(users={})
    client = Client()
    home = client.get("/fr/").content.decode()
    assert "Le code de bonnes pratiques pour l&#x27;IA à usage général est publié" in home
    library = client.get("/guidance/").content.decode()
    assert "Guidelines on the scope of the obligations" in library
    assert "Factsheet: when the rules" not in library  # the draft
    page = client.get("/de/guidance/guidelines-scope-gpai-obligations/").content.decode()
    assert '<span lang="de">Deutsch</span>' in page
    assert "C(2025) 7719 final" in page  # the second version's change note
    response = client.get("/guidance/guidelines-scope-gpai-obligations/2.0/de/")
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(
        'filename="guidelines-scope-gpai-obligations-2.0-de.pdf"'
    )
    news = client.get("/news/").content.decode()
    assert "Fictional: the AI Office opens its public portal" in news
    assert "information session" not in news  # scheduled for later


def test_the_texts_take_the_ai_acts_dates_from_aiact() -> None:
    today = date(2026, 11, 25)
    law = load_law()
    facts = portal_content.facts(today)
    assert facts["chapter_v_from"] == law.date("chapter_v_from", today)
    assert facts["flop"] == "10²³"
    assert facts["fraction"] == "1/3"
    assert portal_content._day(facts["chapter_v_from"], "fr") == "2 août 2025"
    assert portal_content._day(facts["chapter_v_from"], "de") == "2. August 2025"


def test_fictional_items_say_so() -> None:
    portal_content.load(users={})
    for item in NewsItem.objects.filter(slug__startswith="fictional-"):
        assert item.title.startswith("Fictional:") and "fictional" in item.body
    questions = GuidanceDocument.objects.get(slug="code-of-practice-questions-and-answers")
    assert questions.summary.startswith("Fictional")
