"""The public pages of the portal's content: home, the guidance library, a document and its
files, the news and their feed. Public for everyone; unpublished content is a 404; search
and filters; the reader's language first; pinned query counts; files checked against their
SHA-256 before they are sent (an altered file is withheld, never a 500)."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta
from html import unescape
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
from django.test import Client
from django.utils import timezone

from aioffice.core.testing import ALL_PRINCIPALS, principal
from aioffice.portal.choices import GuidanceKind, Topic
from aioffice.portal.models_content import GuidanceFile

from .test_content_services import (
    document,
    media_root,  # noqa: F401  (the autouse fixture: files under tmp_path)
    news,
    pdf_bytes,
)

pytestmark = pytest.mark.django_db


def _html(response: Any) -> str:
    assert response.status_code == 200, response.status_code
    return str(response.content.decode())


def _public_world() -> dict[str, Any]:
    doc = document("gpai-guidelines", versions=2)
    draft = document("draft-guidance", title="Draft guidance", published=False)
    item = news("code-published")
    draft_news = news("draft-news", title="Draft news", published_at=None)
    future = news(
        "future-news", title="Future news", published_at=timezone.now() + timedelta(days=1)
    )
    return {"doc": doc, "draft": draft, "item": item, "draft_news": draft_news, "future": future}


PUBLIC_PAGES = [
    "/",
    "/guidance/",
    "/guidance/gpai-guidelines/",
    "/guidance/gpai-guidelines/2.0/en/",
    "/guidance/gpai-guidelines/1.0/de/",
    "/news/",
    "/news/code-published/",
    "/news/feed/",
    "/fr/",
    "/fr/guidance/?q=guidelines",
    "/de/news/?topic=code_of_practice",
]
HIDDEN_PAGES = [
    "/guidance/draft-guidance/",
    "/guidance/draft-guidance/1.0/en/",
    "/guidance/gpai-guidelines/3.0/en/",
    "/guidance/gpai-guidelines/2.0/it/",
    "/guidance/gpai-guidelines/2.0/xx/",
    "/guidance/gpai-guidelines/%00/en/",  # no NUL reaches the database (PostgreSQL: 500)
    "/guidance/gpai-guidelines/2.0%0A/en/",
    "/guidance/gpai-guidelines/2.0/e%00/",
    "/guidance/no-such-document/",
    "/news/draft-news/",
    "/news/future-news/",
    "/news/no-such-news/",
]


@pytest.mark.parametrize("name", ALL_PRINCIPALS)
def test_the_public_pages_are_public_and_drafts_are_not(name: str) -> None:
    _public_world()
    client = principal(name).client
    for url in PUBLIC_PAGES:
        assert client.get(url).status_code == 200, (name, url)
    for url in HIDDEN_PAGES:
        assert client.get(url).status_code == 404, (name, url)
    assert client.post("/guidance/").status_code == 405


def test_drafts_and_scheduled_news_are_listed_nowhere() -> None:
    _public_world()
    client = Client()
    for url in ("/", "/guidance/", "/news/", "/news/feed/"):
        html = _html(client.get(url))
        for hidden in ("Draft guidance", "Draft news", "Future news"):
            assert hidden not in html, (url, hidden)


def test_the_home_page_links_every_part_of_the_portal(
    django_assert_max_num_queries: Any,
) -> None:
    _public_world()
    with django_assert_max_num_queries(2):  # the latest news, the guidance highlights
        html = _html(Client().get("/"))
    assert 'data-testid="public-registers"' in html
    for url in (
        "/registers/systemic-risk-models/",
        "/registers/code-of-practice-signatories/",
        "/compliance-checker/",
        "/updates/",
        "/jobs/",
        "/report/",
        "/ai-literacy/",
        "/support/",
        "/news/feed/",
        "/guidance/gpai-guidelines/",
        "/news/code-published/",
    ):
        assert f'href="{url}"' in html, url
    assert "The AI Office supervises general-purpose AI models" in html
    assert html.count("<h1") == 1


def test_the_home_page_shows_three_news_in_the_readers_language_first() -> None:
    for n in range(4):
        news(f"en-{n}", title=f"English news {n}")
    news("fr-0", language="fr", title="Nouvelle en français")
    html = _html(Client().get("/fr/"))
    section = html.split('data-testid="home-news"')[1].split("</div>\n</div>")[0]
    titles = re.findall(r'hreflang="(\w\w)">([^<]+)</a>', section)
    assert titles[0][1] == "Nouvelle en français"
    assert len(titles) == 3
    assert [lang for lang, _t in titles] == ["fr", "en", "en"]


# --- the guidance library ---------------------------------------------------------------------


def _library() -> None:
    document(
        "gpai-guidelines",
        title="Guidelines on the scope of obligations",
        summary="Who is a provider of a general-purpose AI model.",
        kind=GuidanceKind.GUIDELINES,
        topic=Topic.GPAI,
    )
    document(
        "training-template",
        title="Template for the public summary of training content",
        summary="Sections: general information, data sources, processing.",
        kind=GuidanceKind.TEMPLATE,
        topic=Topic.GUIDANCE,
        languages=("en",),
    )
    document(
        "cop-faq",
        title="Questions and answers on the Code of Practice",
        summary="Signing is voluntary; signatories per chapter.",
        kind=GuidanceKind.FAQ,
        topic=Topic.CODE_OF_PRACTICE,
        languages=("en", "fr"),
    )


def _titles(html: str) -> list[str]:
    block = html.split('data-testid="guidance-results"')
    if len(block) == 1:
        return []
    return [
        unescape(t) for t in re.findall(r'href="/(?:\w\w/)?guidance/[\w-]+/">([^<]+)</a>', block[1])
    ]


@pytest.mark.parametrize(
    ("query", "titles"),
    [
        ("", ["Guidelines", "Questions", "Template"]),
        ("?q=TEMPLATE", ["Template"]),
        ("?q=provider", ["Guidelines"]),  # in the summary
        ("?q=code+VOLUNTARY", ["Questions"]),
        ("?q=nothing+like+this", []),
        ("?kind=faq", ["Questions"]),
        ("?topic=gpai", ["Guidelines"]),
        ("?language=fr", ["Guidelines", "Questions"]),
        ("?language=de&kind=guidelines", ["Guidelines"]),
        ("?language=it", []),
        ("?kind=novel", ["Guidelines", "Questions", "Template"]),  # an error, no filter
        ("?kind=novel&topic=gpai", ["Guidelines"]),  # the valid filter still applies
        ("?q=%00", ["Guidelines", "Questions", "Template"]),
        ("?page=x", ["Guidelines", "Questions", "Template"]),
        ("?page=99", ["Guidelines", "Questions", "Template"]),
    ],
)
def test_the_library_is_searched_and_filtered(query: str, titles: list[str]) -> None:
    _library()
    html = _html(Client().get(f"/guidance/{query}"))
    assert [t.split()[0] for t in _titles(html)] == titles
    if not titles:
        assert 'data-testid="guidance-none"' in html


def test_a_bad_filter_says_which_field() -> None:
    _library()
    html = _html(Client().get("/guidance/?kind=novel"))
    assert 'aria-invalid="true"' in html
    assert 'id="id_kind-error"' in html


def test_the_library_answers_htmx_with_its_results_only() -> None:
    _library()
    html = _html(Client().get("/guidance/?q=template", HTTP_HX_REQUEST="true"))
    assert html.lstrip().startswith('<div id="guidance-results"')
    assert "<h1" not in html
    # the count refills the live region that stays on the page (not swapped itself)
    assert '<div id="guidance-status" hx-swap-oob="innerHTML">' in html
    assert 'data-testid="guidance-count">1 document<' in html
    page = _html(Client().get("/guidance/?q=template"))
    assert '<div id="guidance-status" role="status">' in page and "hx-swap-oob" not in page


def test_the_library_pages_with_a_pinned_number_of_queries(
    django_assert_num_queries: Any,
) -> None:
    for n in range(25):
        document(f"doc-{n:02}", title=f"Document {n:02}", languages=("en", "fr"))
    client = Client()
    for page, count in ((1, 20), (2, 5)):
        # count, documents, their versions, their files
        with django_assert_num_queries(4):
            html = _html(client.get(f"/guidance/?page={page}&q=document"))
        assert len(_titles(html)) == count
    assert "q=document" in html.split('class="ecl-pagination"')[1]


# --- a document and its files -----------------------------------------------------------------


def test_a_document_shows_its_files_per_language_the_readers_first(
    django_assert_num_queries: Any,
) -> None:
    doc = document("gpai-guidelines", versions=2, summary="What the Guidelines say.")
    with django_assert_num_queries(3):  # the document, its versions, their files
        html = _html(Client().get("/fr/guidance/gpai-guidelines/"))
    current = html.split('data-testid="current-files"')[1].split("</ul>")[0]
    assert re.findall(r'data-language="(\w\w)"', current) == ["fr", "de", "en"]
    assert 'hreflang="fr"' in current and '<span lang="fr">français</span>' in current
    assert '<span lang="de">Deutsch</span>' in current
    assert 'href="/fr/guidance/gpai-guidelines/2.0/fr/"' in current
    files = GuidanceFile.objects.filter(version__document=doc, version__number="2.0")
    for record in files:
        assert record.sha256 in current
    history = html.split('data-testid="version-history"')[1]
    assert history.index(">2.0<") < history.index(">1.0<")
    assert "Change 2." in history
    assert "What the Guidelines say." in html


def test_a_file_is_sent_with_a_clean_name_and_its_checksum() -> None:
    document("gpai-guidelines")
    response = Client().get("/guidance/gpai-guidelines/1.0/fr/")
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    assert body == pdf_bytes("gpai-guidelines 1 fr")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == ('attachment; filename="gpai-guidelines-1.0-fr.pdf"')
    assert response["X-Content-SHA256"] == hashlib.sha256(body).hexdigest()


def test_an_altered_file_is_withheld_and_a_missing_one_is_a_404(
    media_root: Path,  # noqa: F811  (the fixture)
    caplog: pytest.LogCaptureFixture,
) -> None:
    doc = document("gpai-guidelines")
    files = {f.language: f for f in GuidanceFile.objects.filter(version__document=doc)}
    path = media_root / files["en"].file.name
    path.write_bytes(path.read_bytes().replace(b"gpai", b"GPAI"))  # same size, other bytes
    client = Client()
    response = client.get("/guidance/gpai-guidelines/1.0/en/")
    assert response.status_code == 503
    assert 'data-testid="file-refused"' in response.content.decode()
    assert "does not match its SHA-256" in caplog.text
    (media_root / files["fr"].file.name).write_bytes(b"%PDF-1.4 appended")  # another size
    assert client.get("/guidance/gpai-guidelines/1.0/fr/").status_code == 503
    (media_root / files["de"].file.name).unlink()
    assert client.get("/guidance/gpai-guidelines/1.0/de/").status_code == 404


# --- news -------------------------------------------------------------------------------------


def _news_titles(html: str) -> list[tuple[str, str]]:
    block = html.split('data-testid="news-results"')[1]
    return re.findall(r'hreflang="(\w\w)">([^<]+)</a>', block)


def test_news_in_the_readers_language_come_first_the_others_labelled() -> None:
    now = timezone.now()
    news("en-new", title="English new", published_at=now - timedelta(hours=1))
    news("de-old", language="de", title="Deutsch alt", published_at=now - timedelta(days=3))
    news("fr-old", language="fr", title="Français ancien", published_at=now - timedelta(days=2))
    news("fr-new", language="fr", title="Français récent", published_at=now - timedelta(hours=2))
    html = _html(Client().get("/fr/news/"))
    assert _news_titles(html) == [
        ("fr", "Français récent"),
        ("fr", "Français ancien"),
        ("en", "English new"),
        ("de", "Deutsch alt"),
    ]
    assert '<span lang="de">Deutsch</span>' in html and '<span lang="en">English</span>' in html
    assert '<span lang="fr">français</span>' not in html  # the reader's own: no label
    english = _html(Client().get("/news/"))
    assert _news_titles(english)[0][1] == "English new"


def test_news_is_filtered_by_topic_and_paged_with_pinned_queries(
    django_assert_num_queries: Any,
) -> None:
    for n in range(23):
        news(f"gpai-{n:02}", title=f"GPAI news {n:02}", topic=Topic.GPAI)
    news("jobs", title="A call is open", topic=Topic.JOBS)
    client = Client()
    with django_assert_num_queries(2):  # count, items
        html = _html(client.get("/news/?topic=gpai"))
    assert len(_news_titles(html)) == 20
    assert "A call is open" not in html
    with django_assert_num_queries(2):
        html = _html(client.get("/news/?topic=gpai&page=2"))
    assert len(_news_titles(html)) == 3
    jobs = _html(client.get("/news/?topic=jobs"))
    assert [t for _lang, t in _news_titles(jobs)] == ["A call is open"]


def test_a_news_item_shows_its_text_in_paragraphs() -> None:
    news("item", language="de", title="Der Kodex ist veröffentlicht")
    html = _html(Client().get("/news/item/"))
    assert '<article lang="de">' in html
    assert "<p>First paragraph of Der Kodex ist veröffentlicht.</p>" in html
    assert "<p>Second paragraph.</p>" in html


def test_the_feed_is_atom_with_the_published_news() -> None:
    _public_world()
    news("second", title="Second & <news>")
    response = Client().get("/news/feed/")
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ElementTree.fromstring(response.content)  # noqa: S314  (our own feed)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    titles = [e.text for e in root.findall("a:entry/a:title", ns)]
    assert sorted(titles) == ["Second & <news>", "The Code of Practice is published"]
    links = [e.get("href") for e in root.findall("a:entry/a:link", ns)]
    assert "http://testserver/news/code-published/" in links
