"""The portal's public, read-only API: what the portal publishes, machine-readable.

Public by design (`auth=None`, listed in `aioffice.api.PUBLIC_ROUTES`) and rate-limited per
address like the rules API. Only published content: a guidance document once published, a
news item once its publication time has come. The help routes (AI literacy, support
structures) live in `api_help` and are mounted here.

(No `from __future__ import annotations`: django-ninja reads the parameters' annotated
aliases from the signature.)
"""

import re
from typing import Annotated, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from ninja import Field, Router
from ninja.pagination import paginate
from ninja.throttling import AnonRateThrottle, BaseThrottle

from aioffice.portal import selectors_content as selectors
from aioffice.portal import similar as similar_guidance
from aioffice.portal.api_help import router as help_router
from aioffice.portal.choices import EU_LANGUAGES, GuidanceKind, Topic
from aioffice.portal.schemas_content import (
    GuidanceOut,
    GuidanceSummaryOut,
    NewsItemOut,
    SimilarGuidanceListOut,
)
from aioffice.registry.api import Pagination

router = Router(tags=["portal"])
_throttle: list[BaseThrottle] = [AnonRateThrottle(settings.PUBLIC_API_RATE)]

LANGUAGE_PATTERN = "^(" + "|".join(code for code, _name in EU_LANGUAGES) + ")$"
SearchText = Annotated[str, Field(max_length=200)]
LanguageCode = Annotated[str, Field(pattern=LANGUAGE_PATTERN)]
SLUG = re.compile(r"[-a-zA-Z0-9_]{1,120}")  # what a document's address can be


def _text(value: str | None, field: str) -> str:
    if value and "\x00" in value:  # PostgreSQL refuses NUL characters in a query
        raise ValidationError({field: "Text cannot contain NUL characters."})
    return value or ""


@router.get(
    "/guidance",
    response=list[GuidanceSummaryOut],
    auth=None,
    throttle=_throttle,
    summary="The published guidance documents, searchable and filterable",
    description=(
        "`q` searches titles and summaries (every word, ignoring case); `kind`, `topic` and "
        "`language` (a language the current version is available in) filter. By title."
    ),
)
@paginate(Pagination)
def guidance_list(
    request: HttpRequest,
    q: SearchText | None = None,
    kind: GuidanceKind | None = None,
    topic: Topic | None = None,
    language: LanguageCode | None = None,
) -> Any:
    filters = selectors.GuidanceFilter(
        q=_text(q, "q"),
        kind=kind.value if kind else "",
        topic=topic.value if topic else "",
        language=language or "",
    )
    return selectors.guidance_library(filters)


@router.get(
    "/guidance/{slug}",
    response=GuidanceOut,
    auth=None,
    throttle=_throttle,
    summary="A published guidance document with its versions and files (SHA-256, link)",
)
def guidance_detail(request: HttpRequest, slug: str) -> Any:
    document = selectors.guidance_document(slug) if SLUG.fullmatch(slug) else None
    if document is None:
        raise Http404
    return document


@router.get(
    "/guidance/{slug}/similar",
    response=SimilarGuidanceListOut,
    auth=None,
    throttle=_throttle,
    summary="The published guidance documents nearest in meaning to one",
    description=(
        "Compares titles, summaries and the latest notes of what changed, with the offline "
        "embedding model the Office runs (named in `model`); `score` is the cosine "
        "similarity, best first. Only published documents."
    ),
)
def guidance_similar(request: HttpRequest, slug: str) -> Any:
    document = selectors.guidance_document(slug) if SLUG.fullmatch(slug) else None
    if document is None:
        raise Http404
    found = similar_guidance.similar(document)
    return {
        "model": found.model,
        "items": [
            {
                "slug": other.slug,
                "title": other.title,
                "kind": other.kind,
                "topic": other.topic,
                "score": score,
            }
            for other, score in found.documents
        ],
    }


@router.get(
    "/news",
    response=list[NewsItemOut],
    auth=None,
    throttle=_throttle,
    summary="The published news, latest first",
)
@paginate(Pagination)
def news_list(
    request: HttpRequest,
    topic: Topic | None = None,
    language: LanguageCode | None = None,
) -> Any:
    items = selectors.published_news().order_by("-published_at", "-id")
    if topic:
        items = items.filter(topic=topic.value)
    if language:
        items = items.filter(language=language)
    return items


router.add_router("", help_router)
