"""The API of the EU database (/api/v1/cooperation/database), mounted by
`aioffice.cooperation.api`.

The public part (`/registrations`, `.csv`, `/registrations/{number}`) answers everyone
(`auth=None`, listed in `aioffice.api.PUBLIC_ROUTES`, rate-limited per address); a session
or a bearer token sent with it widens what it shows to the reader's `Scope` (the secure
section for the Commission and the authorities of Art. 74(8), the registrant's own
entries). The registrants' routes (their entries, a registration, a status change, a
withdrawal) need a session or a token.
"""

# No `from __future__ import annotations`: django-ninja reads the `Query[...]` filter
# schemas of the paginated routes from their live annotations.

import functools
import hashlib
from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.utils.translation import get_language
from ninja import Field, Query, Router, Schema, Status
from ninja.decorators import decorate_view
from ninja.errors import AuthenticationError
from ninja.pagination import PageNumberPagination, paginate
from ninja.throttling import AnonRateThrottle, BaseThrottle

from aioffice.accounts.services import api_token_authenticate
from aioffice.cooperation import selectors_database as selectors
from aioffice.cooperation import services_database as services
from aioffice.cooperation.models_database import (
    POINTS,
    Registration,
    Section,
    SystemStatus,
)
from aioffice.cooperation.permissions_database import (
    Scope,
    registering_organisations,
    scope_of,
    scope_of_request,
)
from aioffice.cooperation.views_database import CSV_HEADER, _csv_rows
from aioffice.core.exports import csv_response
from aioffice.registry.choices import MEMBER_STATE_NAMES

router = Router(tags=["cooperation"])
_throttle: list[BaseThrottle] = [AnonRateThrottle(settings.PUBLIC_API_RATE)]

MAX_PAGE = 1_000_000
MEMBER_STATE_CODES = "|".join(sorted(MEMBER_STATE_NAMES))
SECTION_CODES = "|".join(Section.values)
NO_NUL = r"^[^\x00]*$"  # PostgreSQL refuses a NUL in a string


class Pagination(PageNumberPagination):
    """Page numbers as everywhere in the API, with an upper bound (422 above it)."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: int | None = Field(None, ge=1)


class RegistrationFilter(Schema):
    q: str = Field(
        "",
        max_length=200,
        pattern=NO_NUL,
        description="Words in the provider's or deployer's name, trade name, reference or "
        "intended purpose",
    )
    section: str | None = Field(None, pattern=f"^({SECTION_CODES})$")
    annex_iii_point: str | None = Field(None, pattern="^[1-8]$")
    status: SystemStatus | None = None
    member_state: str | None = Field(None, pattern=f"^({MEMBER_STATE_CODES})$")


class RegistrationOut(Schema):
    number: str
    section: str
    annex_iii_point: str
    registered_at: datetime
    restricted: bool = Field(description="In the secure section or not public")
    visibility: str
    state: str
    registrant_name: str | None
    trade_name: str | None
    reference: str | None
    intended_purpose: str | None
    status: str | None
    member_states: list[str]
    system: str | None = Field(description="Section C: the provider's entry, when you see it")
    system_url: str | None


class PointOut(Schema):
    point: str
    key: str
    value: Any


class FileOut(Schema):
    id: int
    point: str
    filename: str
    sha256: str
    size: int


class RegistrationDetailOut(Schema):
    number: str
    section: str
    annex_iii_point: str
    sensitive_context: bool
    visibility: str
    state: str
    registered_at: datetime
    updated_at: datetime
    points: list[PointOut]
    system: str | None
    system_url: str | None
    files: list[FileOut]
    rules_version: str
    reasons: Any
    citations: Any


class RegistrationIn(Schema):
    organisation: int | None = Field(None, description="Needed when you register for several")
    section: str = Field(..., max_length=4, pattern=NO_NUL)
    annex_iii_point: str = Field("", max_length=2, pattern=NO_NUL)
    sensitive_context: bool = False
    publication_consent: bool = False
    points: dict[str, str | list[str]] = Field(
        default_factory=dict, description="Point keys of the section, see the pages' forms"
    )


class StatusIn(Schema):
    status: SystemStatus
    note: str = Field("", max_length=2000, pattern=NO_NUL)


class WithdrawIn(Schema):
    note: str = Field(..., min_length=1, max_length=2000, pattern=NO_NUL)


def _scope(request: HttpRequest) -> Scope:
    """The reader of a public route: a bearer token when one is sent, else the session."""
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        user = api_token_authenticate(header[7:].strip())
        if user is None:
            raise AuthenticationError
        return scope_of(user, verified=True)
    return scope_of_request(request)


def _kept_for_the_public(run: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """The answer of a public route, kept whole in the cache for a reader who sends neither a
    token nor a session (the public scope: the same answer for all of them), per language and
    path under the audit chain's head (any write of the database appends an audit event,
    which moves it). Only answers 200 are kept. A kept answer passes the route's throttle as
    a computed one does: checked here, and where it refuses, the route answers (429)."""

    @functools.wraps(run)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        key = _public_key(request)
        kept = cache.get(key) if key else None
        if kept is not None and all(t.allow_request(request) for t in _throttle):
            return HttpResponse(kept[1], content_type=kept[0])
        response = run(request, *args, **kwargs)
        if key and kept is None and response.status_code == 200:
            content = getattr(response, "content", None)
            if content is not None:
                cache.set(key, (response["Content-Type"], content), selectors.CACHE_SECONDS)
        return response

    return wrapper


def _public_key(request: HttpRequest) -> str | None:
    if "Authorization" in request.headers:
        return None
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return None
    if request.user.is_authenticated:
        return None
    head = selectors.audit_head()
    if not head:
        return None
    request.eudb_head = head  # type: ignore[attr-defined]  # read once a request
    digest = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
    return f"cooperation:eudb:api:{head}:{get_language()}:{digest}"


def _filters(filters: RegistrationFilter) -> selectors.Filters:
    values = {k: str(v) for k, v in filters.dict().items() if v}
    return selectors.Filters(**values)


def _detail(scope: Scope, registration: Registration) -> dict[str, Any]:
    system = selectors.system_shown(scope, registration)
    return {
        "number": registration.number,
        "section": registration.section,
        "annex_iii_point": registration.annex_iii_point,
        "sensitive_context": registration.sensitive_context,
        "visibility": registration.visibility,
        "state": registration.state,
        "registered_at": registration.registered_at,
        "updated_at": registration.updated_at,
        "points": [
            {"point": p.point, "key": p.key, "value": p.value}
            for p in selectors.shown_points(registration)
        ],
        "system": system.number if system is not None else None,
        "system_url": registration.system_url or None,
        "files": [
            {
                "id": f.pk,
                "point": f.point,
                "filename": f.filename,
                "sha256": f.sha256,
                "size": f.size,
            }
            for f in selectors.files_shown(registration)
        ],
        "rules_version": registration.rules_version,
        "reasons": registration.reasons,
        "citations": registration.citations,
    }


@router.get(
    "/registrations",
    response=list[RegistrationOut],
    auth=None,
    throttle=_throttle,
    summary="The public part of the EU database (Art. 71(4)): search and filters",
)
@decorate_view(_kept_for_the_public)
@paginate(Pagination)
def registrations(request: HttpRequest, filters: Query[RegistrationFilter]) -> Any:
    head = getattr(request, "eudb_head", None)  # read by _kept_for_the_public
    return selectors.search(_scope(request), _filters(filters), head=head)


@router.get(
    "/registrations.csv",
    auth=None,
    throttle=_throttle,
    summary="The public part of the EU database as CSV (same filters)",
)
def registrations_csv(request: HttpRequest, filters: Query[RegistrationFilter]) -> HttpResponseBase:
    results = selectors.search(_scope(request), _filters(filters))
    return csv_response("eu-database.csv", CSV_HEADER, _csv_rows(results))


@router.get(
    "/registrations/{number}",
    response=RegistrationDetailOut,
    auth=None,
    throttle=_throttle,
    summary="One entry of the EU database: the points shown for it",
)
def registration(request: HttpRequest, number: str) -> Any:
    scope = _scope(request)
    return _detail(scope, selectors.registration_visible(scope, number))


@router.get(
    "/mine",
    response=list[RegistrationOut],
    summary="Your organisations' entries (registrants)",
)
@paginate(Pagination)
def mine(request: HttpRequest) -> Any:
    organisations = list(registering_organisations(request.user))
    if not organisations:
        raise PermissionDenied("You register for no organisation.")
    scope = Scope(organisations=frozenset(o.pk for o in organisations))
    return selectors.search(scope, selectors.Filters())


@router.post(
    "/registrations",
    response={201: RegistrationDetailOut},
    summary="Register an entry (providers: sections A, B, Annex IX; public bodies: C)",
)
def register(request: HttpRequest, payload: RegistrationIn) -> Any:
    organisations = list(registering_organisations(request.user))
    if not organisations:
        raise PermissionDenied("You register for no organisation.")
    if payload.organisation is None:
        if len(organisations) > 1:
            raise ValidationError({"organisation": "Say which organisation you register for."})
        organisation = organisations[0]
    else:
        found = [o for o in organisations if o.pk == payload.organisation]
        if not found:
            raise ValidationError({"organisation": "Not an organisation you register for."})
        organisation = found[0]
    if payload.section not in Section.values:
        raise ValidationError({"section": f"Unknown section; one of {', '.join(Section.values)}."})
    keys = {p.key for p in POINTS[payload.section] if p.kind != "file"}
    for key in payload.points:
        if key not in keys:
            raise ValidationError({f"points.{key[:40]}": "Not a point of this section."})
    created = services.registration_create(
        actor=request.user,
        organisation=organisation,
        section=payload.section,
        annex_iii_point=payload.annex_iii_point,
        sensitive_context=payload.sensitive_context,
        publication_consent=payload.publication_consent,
        values=payload.points,
    )
    return Status(201, _detail(scope_of(request.user, verified=True), created))


def _own(request: HttpRequest, number: str) -> Registration:
    organisations = registering_organisations(request.user).values_list("pk", flat=True)
    scope = Scope(organisations=frozenset(organisations))
    found = selectors.registration_visible(scope, number)
    if found.organisation_id not in scope.organisations:
        raise Http404
    return found


@router.post(
    "/registrations/{number}/status",
    response=RegistrationDetailOut,
    summary="Change the system's status (section A point 7, B point 8), kept in the history",
)
def status(request: HttpRequest, number: str, payload: StatusIn) -> Any:
    changed = services.registration_status_change(
        actor=request.user,
        registration=_own(request, number),
        status=str(payload.status),
        note=payload.note,
    )
    return _detail(scope_of(request.user, verified=True), changed)


@router.post(
    "/registrations/{number}/withdraw",
    response=RegistrationDetailOut,
    summary="Withdraw an entry made in error (it leaves the public part)",
)
def withdraw(request: HttpRequest, number: str, payload: WithdrawIn) -> Any:
    withdrawn = services.registration_withdraw(
        actor=request.user, registration=_own(request, number), note=payload.note
    )
    return _detail(scope_of(request.user, verified=True), withdrawn)
