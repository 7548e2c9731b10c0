"""Reads of the portal's published content. What the public sees is decided here: a guidance
document once it is published; a news item once its publication time has come. Staff lists
(everything, drafts included) are separate functions, used behind `can_edit_content`."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils import timezone

from aioffice.portal.choices import EU_LANGUAGES
from aioffice.portal.models_content import (
    GuidanceDocument,
    GuidanceFile,
    GuidanceVersion,
    NewsItem,
    fold,
)

# Each official language named in itself ("français", "Deutsch"), as readers look for it.
LANGUAGE_NAMES: dict[str, str] = dict(EU_LANGUAGES)
PAGE_SIZE = 20
HOME_NEWS = 3
HOME_GUIDANCE = 3


@dataclass(frozen=True, slots=True)
class GuidanceFilter:
    """What the library is searched and filtered by; empty means any."""

    q: str = ""
    kind: str = ""
    topic: str = ""
    language: str = ""


def _versions_with_files() -> Prefetch:  # type: ignore[type-arg]  # any model
    """Each document's versions, latest first (the first is the current one), with files."""
    return Prefetch(
        "versions",
        queryset=GuidanceVersion.objects.order_by("-published_on", "-id").prefetch_related(
            Prefetch("files", queryset=GuidanceFile.objects.order_by("language"))
        ),
    )


def _current_version_id() -> Subquery:
    return Subquery(
        GuidanceVersion.objects.filter(document=OuterRef("pk"))
        .order_by("-published_on", "-id")
        .values("pk")[:1]
    )


def published_guidance() -> QuerySet[GuidanceDocument]:
    return GuidanceDocument.objects.filter(published=True)


def guidance_library(filters: GuidanceFilter) -> QuerySet[GuidanceDocument]:
    """Published documents matching the search (title and summary, ignoring case) and the
    filters (kind, topic, a language the current version is available in), by title; each
    with its versions and files (four queries for a page, with its count)."""
    documents = published_guidance()
    words = fold(filters.q).split()
    for word in words[:10]:
        documents = documents.filter(search_text__contains=word)
    if filters.kind:
        documents = documents.filter(kind=filters.kind)
    if filters.topic:
        documents = documents.filter(topic=filters.topic)
    if filters.language:
        documents = documents.annotate(current_version_id=_current_version_id()).filter(
            Exists(
                GuidanceFile.objects.filter(
                    version_id=OuterRef("current_version_id"), language=filters.language
                )
            )
        )
    return documents.order_by("title", "pk").prefetch_related(_versions_with_files())


def guidance_document(slug: str) -> GuidanceDocument | None:
    """A published document with its versions (latest first) and their files."""
    return published_guidance().prefetch_related(_versions_with_files()).filter(slug=slug).first()


def guidance_highlights(limit: int = HOME_GUIDANCE) -> list[GuidanceDocument]:
    """The published documents with the most recent versions, for the home page (one query)."""
    return list(
        published_guidance()
        .annotate(latest_on=Max("versions__published_on"))
        .filter(latest_on__isnull=False)
        .order_by("-latest_on", "title")[:limit]
    )


def guidance_file(slug: str, number: str, language: str) -> GuidanceFile | None:
    """A file of a published document's version, in one language."""
    return (
        GuidanceFile.objects.select_related("version__document")
        .filter(
            version__document__slug=slug,
            version__document__published=True,
            version__number=number,
            language=language,
        )
        .first()
    )


def in_reading_order(files: Iterable[GuidanceFile], language: str) -> list[GuidanceFile]:
    """The reader's language first, then the others by language code."""
    return sorted(files, key=lambda f: (f.language != language, f.language))


# --- news --------------------------------------------------------------------------------------


def published_news(now: datetime | None = None) -> QuerySet[NewsItem]:
    """News items whose publication time is set and has come."""
    return NewsItem.objects.filter(
        published_at__isnull=False, published_at__lte=now or timezone.now()
    )


def news_for_reader(language: str, topic: str = "") -> QuerySet[NewsItem]:
    """Published news, the reader's language first, then the others; latest first in each."""
    items = published_news()
    if topic:
        items = items.filter(topic=topic)
    return items.annotate(
        other_language=Case(
            When(language=language, then=Value(0)), default=Value(1), output_field=IntegerField()
        )
    ).order_by("other_language", "-published_at", "-id")


def latest_news(language: str, limit: int = HOME_NEWS) -> list[NewsItem]:
    return list(news_for_reader(language)[:limit])


def news_item(slug: str) -> NewsItem | None:
    return published_news().filter(slug=slug).first()


def news_feed(limit: int = 20) -> list[NewsItem]:
    """The latest published news in every language, for the Atom feed."""
    return list(published_news().order_by("-published_at", "-id")[:limit])


# --- staff -------------------------------------------------------------------------------------


def guidance_for_staff() -> QuerySet[GuidanceDocument]:
    """Every document, drafts included, with its number of versions."""
    return GuidanceDocument.objects.annotate(
        version_count=Count("versions"), latest_on=Max("versions__published_on")
    ).order_by("-published", "title", "pk")


def guidance_for_staff_detail(pk: int) -> GuidanceDocument | None:
    return GuidanceDocument.objects.prefetch_related(_versions_with_files()).filter(pk=pk).first()


def news_for_staff() -> QuerySet[NewsItem]:
    """Every news item, drafts (no publication time) first, then the latest."""
    return NewsItem.objects.order_by(
        Case(When(published_at__isnull=True, then=Value(0)), default=Value(1)),
        "-published_at",
        "-id",
    )


def staff_guidance_file(pk: int) -> GuidanceFile | None:
    return GuidanceFile.objects.select_related("version__document").filter(pk=pk).first()
