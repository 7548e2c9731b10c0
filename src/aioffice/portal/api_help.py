"""The portal's public API for help to the public (AI literacy practices, support
structures): its own router, mounted into `aioffice.portal.api_content.router`.

Public (`auth=None`, listed in `aioffice.api.PUBLIC_ROUTES`), read-only, rate-limited per
address like the rules API; it shows what the public pages show and nothing more.
"""

# No `from __future__ import annotations`: django-ninja reads the `Query[...]` filter
# schemas of the paginated routes from their live annotations.

from datetime import datetime
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import PageNumberPagination, paginate
from ninja.throttling import AnonRateThrottle, BaseThrottle

from aioffice.portal import selectors_help as selectors
from aioffice.portal.choices import EU_LANGUAGES, OrganisationSize, Sector, SupportKind
from aioffice.registry.choices import MEMBER_STATE_NAMES

router = Router(tags=["portal"])
_throttle: list[BaseThrottle] = [AnonRateThrottle(settings.PUBLIC_API_RATE)]

MAX_PAGE = 1_000_000
LANGUAGE_CODES = "|".join(code for code, _name in EU_LANGUAGES)
MEMBER_STATE_CODES = "|".join(sorted(MEMBER_STATE_NAMES))


class Pagination(PageNumberPagination):
    """Page numbers as everywhere in the API, with an upper bound (422 above it)."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: int | None = Field(None, ge=1)


class LiteracyPracticeFilter(Schema):
    q: str = Field(
        "",
        max_length=200,
        pattern=r"^[^\x00]*$",  # PostgreSQL refuses a NUL in a string
        description="Words in title, organisation, description",
    )
    sector: Sector | None = None
    organisation_size: OrganisationSize | None = None
    member_state: str | None = Field(None, pattern=f"^({MEMBER_STATE_CODES})$")
    language: str | None = Field(None, pattern=f"^({LANGUAGE_CODES})$")


class SupportStructureFilter(Schema):
    member_state: str | None = Field(None, pattern=f"^({MEMBER_STATE_CODES})$")
    kind: SupportKind | None = None


class LiteracyPracticeOut(Schema):
    id: int
    title: str
    organisation: str
    sector: str
    organisation_size: str
    member_state: str
    language: str
    description: str
    audience: str
    url: str
    updated_at: datetime


class SupportStructureOut(Schema):
    id: int
    name: str
    kind: str
    member_state: str
    city: str
    operator: str
    description: str
    url: str
    email: str
    operational: bool
    updated_at: datetime


def _values(filters: Schema) -> dict[str, str]:
    return {k: str(v) for k, v in filters.dict().items() if v}


@router.get(
    "/literacy-practices",
    response=list[LiteracyPracticeOut],
    auth=None,
    throttle=_throttle,
    summary="Published AI literacy practices (Art. 4): search and filters",
)
@paginate(Pagination)
def literacy_practices(request: HttpRequest, filters: Query[LiteracyPracticeFilter]) -> Any:
    return selectors.literacy_practices_published(**_values(filters))


@router.get(
    "/support-structures",
    response=list[SupportStructureOut],
    auth=None,
    throttle=_throttle,
    summary="European support structures by Member State (sandboxes, TEFs, EDIHs, AI factories)",
)
@paginate(Pagination)
def support_structures(request: HttpRequest, filters: Query[SupportStructureFilter]) -> Any:
    return selectors.support_structures_shown(**_values(filters))
