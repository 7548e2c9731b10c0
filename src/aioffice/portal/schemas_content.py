"""Shapes of the portal's public content API (guidance and news). Links are absolute, to
the pages without a language prefix (the default language)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from ninja import Schema

from aioffice.portal.selectors_content import LANGUAGE_NAMES


def _absolute(context: Any, name: str, *args: str) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        path = reverse(name, args=args)
    request = (context or {}).get("request")
    return str(request.build_absolute_uri(path)) if request is not None else path


def _versions(document: Any) -> list[Any]:
    """The document's versions, latest first (prefetched by the selector)."""
    return list(document.versions.all())


class GuidanceFileOut(Schema):
    """One language of one version: download it from `url`, check it against `sha256`."""

    language: str
    language_name: str
    content_type: str
    size: int
    sha256: str
    url: str

    @staticmethod
    def resolve_language_name(obj: Any) -> str:
        return LANGUAGE_NAMES.get(obj.language, str(obj.language))

    @staticmethod
    def resolve_url(obj: Any, context: Any) -> str:
        version = obj.version
        return _absolute(
            context, "portal:guidance_file", version.document.slug, version.number, obj.language
        )


class GuidanceVersionOut(Schema):
    number: str
    published_on: date
    change_note: str
    files: list[GuidanceFileOut]

    @staticmethod
    def resolve_files(obj: Any) -> list[Any]:
        return list(obj.files.all())


class GuidanceSummaryOut(Schema):
    """A published guidance document in the library's list."""

    slug: str
    title: str
    summary: str
    kind: str
    topic: str
    current_version: str | None
    current_version_published_on: date | None
    languages: list[str]
    url: str

    @staticmethod
    def resolve_current_version(obj: Any) -> str | None:
        versions = _versions(obj)
        return versions[0].number if versions else None

    @staticmethod
    def resolve_current_version_published_on(obj: Any) -> date | None:
        versions = _versions(obj)
        return versions[0].published_on if versions else None

    @staticmethod
    def resolve_languages(obj: Any) -> list[str]:
        versions = _versions(obj)
        return sorted(f.language for f in versions[0].files.all()) if versions else []

    @staticmethod
    def resolve_url(obj: Any, context: Any) -> str:
        return _absolute(context, "portal:guidance_detail", obj.slug)


class GuidanceOut(GuidanceSummaryOut):
    """A published guidance document with every version (latest first) and its files."""

    versions: list[GuidanceVersionOut]

    @staticmethod
    def resolve_versions(obj: Any) -> list[Any]:
        return _versions(obj)


class NewsItemOut(Schema):
    slug: str
    language: str
    title: str
    summary: str
    body: str
    topic: str
    published_at: datetime
    url: str

    @staticmethod
    def resolve_url(obj: Any, context: Any) -> str:
        return _absolute(context, "portal:news_detail", obj.slug)


class SimilarGuidanceOut(Schema):
    """A published document near another in meaning; `score` is the cosine similarity."""

    slug: str
    title: str
    kind: str
    topic: str
    score: float
    url: str

    @staticmethod
    def resolve_url(obj: Any, context: Any) -> str:
        return _absolute(context, "portal:guidance_detail", obj["slug"])


class SimilarGuidanceListOut(Schema):
    """The documents nearest in meaning, best first, and the model that found them."""

    model: str
    items: list[SimilarGuidanceOut]
