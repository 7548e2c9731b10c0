"""Services of the portal's content: guidance documents, versions with files per language,
news. Each rule, each refusal naming its field, files checked and read back, nothing
half-saved, one audit event per change with no personal data. The builders here are used by
the other test_content* modules."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from aioffice.accounts.choices import Role
from aioffice.accounts.models import User
from aioffice.core.models import AuditEvent
from aioffice.core.testing import make_user
from aioffice.portal import selectors_content as selectors
from aioffice.portal import services_content as services
from aioffice.portal.choices import GuidanceKind, Topic
from aioffice.portal.models_content import GuidanceDocument, GuidanceFile, GuidanceVersion, NewsItem

pytestmark = pytest.mark.django_db

TODAY = timezone.now().date()


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Path) -> Path:
    """Files under the test's own directory."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


# --- builders (the other content tests import them) -------------------------------------------


def pdf_bytes(text: str = "guidance") -> bytes:
    return b"%PDF-1.4\n% " + text.encode() + b"\n%%EOF\n"


def pdf(name: str = "doc.pdf", text: str = "guidance") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(text), content_type="application/pdf")


def editor(username: str = "editor") -> User:
    """An Office staff member (a policy officer), made once."""
    return User.objects.filter(username=username).first() or make_user(
        Role.POLICY_OFFICER, username
    )


def document(
    slug: str = "gpai-guidelines",
    *,
    title: str = "Guidelines on general-purpose AI models",
    summary: str = "Who is a provider and what they must do.",
    kind: str = GuidanceKind.GUIDELINES,
    topic: str = Topic.GPAI,
    languages: Iterable[str] = ("en", "fr", "de"),
    versions: int = 1,
    published: bool = True,
) -> GuidanceDocument:
    """A document with `versions` versions (1.0, 2.0...), each with a PDF per language."""
    actor = editor()
    doc = services.guidance_create(
        actor=actor, slug=slug, title=title, summary=summary, kind=kind, topic=topic
    )
    for n in range(1, versions + 1):
        services.guidance_version_add(
            actor=actor,
            document=doc,
            number=f"{n}.0",
            published_on=TODAY - timedelta(days=10 * (versions - n)),
            change_note="" if n == 1 else f"Change {n}.",
            files={lang: pdf(f"{lang}.pdf", f"{slug} {n} {lang}") for lang in languages},
        )
    if published:
        services.guidance_publish(actor=actor, document=doc)
    doc.refresh_from_db()
    return doc


def news(
    slug: str = "code-published",
    *,
    language: str = "en",
    title: str = "The Code of Practice is published",
    topic: str = Topic.CODE_OF_PRACTICE,
    published_at: Any = "now",
) -> NewsItem:
    """A news item, published `published_at` ("now" by default, None for a draft)."""
    item = services.news_create(
        actor=editor(),
        slug=slug,
        language=language,
        title=title,
        summary=f"Summary of {title}.",
        body=f"First paragraph of {title}.\n\nSecond paragraph.",
        topic=topic,
    )
    if published_at == "now":
        published_at = timezone.now() - timedelta(minutes=1)
    if published_at is not None:
        item = services.news_publish(actor=editor(), item=item, at=published_at)
    return item


def _errors(exc: pytest.ExceptionInfo[ValidationError]) -> dict[str, Any]:
    return exc.value.message_dict


# --- documents --------------------------------------------------------------------------------


def test_a_document_is_created_updated_and_audited() -> None:
    doc = services.guidance_create(
        actor=editor(),
        slug="q-and-a",
        title="Questions and answers",
        summary="",
        kind=GuidanceKind.FAQ,
        topic=Topic.CODE_OF_PRACTICE,
    )
    assert not doc.published
    services.guidance_update(
        actor=editor(),
        document=doc,
        title="Questions and answers on the Code",
        summary="Short answers.",
        kind=GuidanceKind.FAQ,
        topic=Topic.CODE_OF_PRACTICE,
    )
    doc.refresh_from_db()
    assert doc.title == "Questions and answers on the Code"
    assert doc.search_text == "questions and answers on the code\nshort answers."
    actions = list(
        AuditEvent.objects.filter(object_id=str(doc.pk), action__startswith="portal.").values_list(
            "action", flat=True
        )
    )
    assert actions == ["portal.guidance.created", "portal.guidance.updated"]


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"slug": "Not a slug!"}, "slug"),
        ({"title": ""}, "title"),
        ({"kind": "novel"}, "kind"),
        ({"topic": "weather"}, "topic"),
        ({"summary": "nul\x00"}, "summary"),
        ({"title": "\ud800"}, "title"),
    ],
)
def test_a_bad_document_is_refused_naming_the_field(values: dict[str, str], field: str) -> None:
    good = {
        "slug": "doc",
        "title": "A document",
        "summary": "",
        "kind": GuidanceKind.OTHER,
        "topic": Topic.GUIDANCE,
    }
    with pytest.raises(ValidationError) as exc:
        services.guidance_create(actor=editor(), **{**good, **values})
    assert field in _errors(exc)
    assert not GuidanceDocument.objects.exists()


def test_an_address_is_taken_once() -> None:
    document("taken", published=False, versions=0)
    with pytest.raises(ValidationError) as exc:
        document("taken", published=False, versions=0)
    assert "slug" in _errors(exc)


def test_publishing_needs_a_version_with_a_file_and_is_audited() -> None:
    doc = document("empty", versions=0, published=False)
    with pytest.raises(ValidationError) as exc:
        services.guidance_publish(actor=editor(), document=doc)
    assert "published" in _errors(exc)
    doc = document("full", published=False)
    services.guidance_publish(actor=editor(), document=doc)
    with pytest.raises(ValidationError) as again:
        services.guidance_publish(actor=editor(), document=doc)
    assert "published" in _errors(again)
    services.guidance_unpublish(actor=editor(), document=doc)
    doc.refresh_from_db()
    assert not doc.published
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"portal.guidance.published", "portal.guidance.unpublished"} <= actions


# --- versions and files -----------------------------------------------------------------------


def test_a_version_stores_each_file_with_the_sha256_of_the_stored_bytes(media_root: Path) -> None:
    doc = document("two", languages=("en", "de"), published=False)
    version = doc.versions.get()
    files = {f.language: f for f in version.files.all()}
    assert set(files) == {"en", "de"}
    for language, record in files.items():
        stored = (media_root / record.file.name).read_bytes()
        assert stored == pdf_bytes(f"two 1 {language}")
        assert record.sha256 == hashlib.sha256(stored).hexdigest()
        assert record.size == len(stored)
        assert record.content_type == "application/pdf"
        assert Path(record.file.name).name.startswith(f"two-1.0-{language}")
    event = AuditEvent.objects.get(action="portal.guidance_version.added")
    assert event.after_json is not None and files["en"].sha256 in event.after_json


@pytest.mark.parametrize(
    ("number", "published_on", "note", "field"),
    [
        ("1.0", TODAY, "Again.", "number"),  # the first version is 1.0
        ("two words", TODAY, "x", "number"),
        ("2.0/", TODAY, "x", "number"),
        ("2.0\n3", TODAY, "x", "number"),
        ("-2", TODAY, "x", "number"),
        ("a" * 21, TODAY, "x", "number"),
        ("", TODAY, "x", "number"),
        ("2.0", TODAY + timedelta(days=1), "x", "published_on"),
        ("2.0", TODAY, "  ", "change_note"),  # required from the second version
        ("2.0", TODAY, "nul\x00", "change_note"),
    ],
)
def test_a_bad_version_is_refused_naming_the_field(
    number: str, published_on: Any, note: str, field: str, media_root: Path
) -> None:
    doc = document("doc", languages=("en",), published=False)
    before = sorted(media_root.rglob("*.pdf"))
    with pytest.raises(ValidationError) as exc:
        services.guidance_version_add(
            actor=editor(),
            document=doc,
            number=number,
            published_on=published_on,
            change_note=note,
            files={"en": pdf()},
        )
    assert field in _errors(exc)
    assert doc.versions.count() == 1
    assert sorted(media_root.rglob("*.pdf")) == before  # nothing left on disk


def _add(doc: GuidanceDocument, files: dict[str, Any]) -> None:
    services.guidance_version_add(
        actor=editor(),
        document=doc,
        number="9",
        published_on=TODAY,
        change_note="",
        files=files,
    )


def test_a_version_needs_a_file_in_an_official_language() -> None:
    doc = document("doc", versions=0, published=False)
    with pytest.raises(ValidationError) as none:
        _add(doc, {})
    assert "files" in _errors(none)
    with pytest.raises(ValidationError) as klingon:
        _add(doc, {"tl": pdf()})
    assert "files" in _errors(klingon)


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            SimpleUploadedFile("x.exe", b"MZ\x90\x00", content_type="application/x-msdownload"),
            "types",
        ),
        (
            SimpleUploadedFile("fake.pdf", b"<html>not a pdf", content_type="application/pdf"),
            "content",
        ),
        (SimpleUploadedFile("empty.pdf", b"", content_type="application/pdf"), "empty"),
        (SimpleUploadedFile("bin.txt", b"text\x00with nul", content_type="text/plain"), "content"),
        (SimpleUploadedFile("bad.json", b"{not json", content_type="application/json"), "JSON"),
    ],
)
def test_a_bad_file_is_refused_naming_its_language(
    upload: SimpleUploadedFile, message: str, media_root: Path
) -> None:
    doc = document("doc", versions=0, published=False)
    with pytest.raises(ValidationError) as exc:
        _add(doc, {"en": pdf(), "fr": upload})
    errors = _errors(exc)
    assert list(errors) == ["file_fr"]
    assert message in errors["file_fr"][0]
    assert not GuidanceVersion.objects.exists()
    assert not list(media_root.rglob("*.*"))


def test_a_file_over_the_size_limit_is_refused(settings: Any) -> None:
    settings.DOCUMENTATION_MAX_UPLOAD_BYTES = 100
    doc = document("doc", versions=0, published=False)
    big = SimpleUploadedFile("big.pdf", b"%PDF-" + b"x" * 200, content_type="application/pdf")
    with pytest.raises(ValidationError) as exc:
        _add(doc, {"de": big})
    assert "100 bytes" in _errors(exc)["file_de"][0]


def test_a_text_file_sent_as_octet_stream_is_taken_by_its_name() -> None:
    doc = document("doc", versions=0, published=False)
    notes = SimpleUploadedFile("notes.md", b"# Notes\n", content_type="application/octet-stream")
    _add(doc, {"en": notes})
    assert GuidanceFile.objects.get().content_type == "text/markdown"


def test_nothing_is_half_saved_when_the_change_fails_late(
    media_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    doc = document("doc", versions=0, published=False)

    def refuse(**kwargs: Any) -> None:
        raise RuntimeError("the audit trail is down")

    monkeypatch.setattr(services.audit, "record", refuse)
    with pytest.raises(RuntimeError):
        _add(doc, {"en": pdf(), "fr": pdf(), "de": pdf()})
    assert not GuidanceVersion.objects.exists()
    assert not GuidanceFile.objects.exists()
    assert not [p for p in media_root.rglob("*") if p.is_file()]


def test_a_language_is_added_to_a_version_once() -> None:
    doc = document("doc", languages=("en",), published=False)
    version = doc.versions.get()
    services.guidance_file_add(actor=editor(), version=version, language="it", upload=pdf())
    assert sorted(version.files.values_list("language", flat=True)) == ["en", "it"]
    with pytest.raises(ValidationError) as again:
        services.guidance_file_add(actor=editor(), version=version, language="it", upload=pdf())
    assert "language" in _errors(again)
    with pytest.raises(ValidationError) as unknown:
        services.guidance_file_add(actor=editor(), version=version, language="xx", upload=pdf())
    assert "language" in _errors(unknown)
    assert AuditEvent.objects.filter(action="portal.guidance_file.added").count() == 1


# --- search -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("GUIDELINES", True),
        ("guidelines providers", True),  # every word, in title or summary
        ("PROVIDER", True),
        ("strasse", True),  # ß folds to ss
        ("ÉTÉ", True),
        ("été PROVIDERS", True),
        ("nothing", False),
        ("guidelines nothing", False),
        ("100%", False),  # LIKE's wildcards are plain characters
        ("_", False),
    ],
)
def test_the_search_ignores_case_in_any_script(query: str, found: bool) -> None:
    document(
        "doc",
        title="Guidelines for Straße users",
        summary="Été: what providers must do.",
        languages=("en",),
    )
    filters = selectors.GuidanceFilter(q=query)
    assert selectors.guidance_library(filters).exists() is found


# --- news -------------------------------------------------------------------------------------


def test_news_is_created_published_scheduled_and_withdrawn() -> None:
    item = news("item", published_at=None)
    assert not selectors.published_news().exists()
    later = timezone.now() + timedelta(days=1)
    services.news_publish(actor=editor(), item=item, at=later)
    assert not selectors.published_news().exists()  # scheduled, not yet public
    assert selectors.published_news(later + timedelta(seconds=1)).get() == item
    services.news_publish(actor=editor(), item=item)
    assert selectors.published_news().get() == item
    services.news_unpublish(actor=editor(), item=item)
    assert not selectors.published_news().exists()
    with pytest.raises(ValidationError) as exc:
        services.news_unpublish(actor=editor(), item=item)
    assert "published_at" in _errors(exc)
    actions = list(
        AuditEvent.objects.filter(object_id=str(item.pk), action__startswith="portal.").values_list(
            "action", flat=True
        )
    )
    assert actions == [
        "portal.news.created",
        "portal.news.published",
        "portal.news.published",
        "portal.news.unpublished",
    ]


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"slug": "feed"}, "slug"),  # the feed's address
        ({"slug": "no spaces"}, "slug"),
        ({"language": "xx"}, "language"),
        ({"summary": ""}, "summary"),
        ({"body": "\x00"}, "body"),
        ({"topic": "gossip"}, "topic"),
    ],
)
def test_bad_news_is_refused_naming_the_field(values: dict[str, str], field: str) -> None:
    good = {
        "slug": "item",
        "language": "en",
        "title": "Title",
        "summary": "Summary.",
        "body": "Body.",
        "topic": Topic.GPAI,
    }
    with pytest.raises(ValidationError) as exc:
        services.news_create(actor=editor(), **{**good, **values})
    assert field in _errors(exc)


def test_a_news_address_is_taken_once_and_a_naive_time_is_refused() -> None:
    item = news("item")
    with pytest.raises(ValidationError) as exc:
        news("item")
    assert "slug" in _errors(exc)
    with pytest.raises(ValidationError) as naive:
        services.news_publish(actor=editor(), item=item, at=timezone.now().replace(tzinfo=None))
    assert "published_at" in _errors(naive)


def test_the_audit_trail_holds_no_personal_data() -> None:
    document("doc")
    item = news("item")
    services.news_update(
        actor=editor(),
        item=item,
        language="fr",
        title="Titre",
        summary="Résumé.",
        body="Texte.",
        topic=Topic.GPAI,
    )
    for event in AuditEvent.objects.filter(action__startswith="portal."):
        text = f"{event.before_json} {event.after_json} {event.object_repr}"
        assert "editor@test.example" not in text
        assert "Texte." not in text  # the body is content, not a fact about the change
