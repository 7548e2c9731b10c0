"""The one REST API of aioffice, at /api/v1, with one OpenAPI document.

Browsers use their session (with CSRF); machine clients send `Authorization: Bearer
<token>`. Every route needs one of the two unless it says `auth=None` and is listed in
`PUBLIC_ROUTES`. Errors always have the same shape: `code`, `message` and, for bad
input, `errors` naming each field.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, AuthorizationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import APIKeyCookie, HttpBearer

from aioffice.accounts.api import router as accounts_router
from aioffice.accounts.services import api_token_authenticate
from aioffice.cooperation.api import router as cooperation_router
from aioffice.core.api import router as core_router
from aioffice.core.permissions import second_factor_satisfied
from aioffice.drafting.api import router as drafting_router
from aioffice.evaluations.api import router as evaluations_router
from aioffice.portal.api import RulesInputError
from aioffice.portal.api import router as rules_router
from aioffice.portal.api_content import router as portal_router
from aioffice.registry.api import router as registry_router
from aioffice.registry.codeofpractice.api import router as codeofpractice_router
from aioffice.registry.documentation.api import router as documentation_router
from aioffice.registry.monitoring.api import router as monitoring_router
from aioffice.registry.watchlist.api import router as watchlist_router
from aioffice.supervision.api import router as supervision_router


class SessionAuth(APIKeyCookie):
    """The browser's session, with Django's CSRF check on unsafe methods.

    Office staff count only once they have passed their second factor."""

    param_name = settings.SESSION_COOKIE_NAME

    def __init__(self) -> None:
        super().__init__(csrf=True)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        if not request.user.is_authenticated:
            return None
        if not second_factor_satisfied(request):
            return None
        return request.user


class BearerTokenAuth(HttpBearer):
    """An API token; it was issued to someone already signed in with their second factor."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user: Any = api_token_authenticate(token)
        if user is None:
            return None
        user.is_verified = lambda: True
        request.user = user
        return user


api = NinjaAPI(
    title="aioffice API",
    version="1",
    description=(
        "The API of the European AI Office platform. Authenticate with a session cookie "
        "(browsers) or a bearer token (machine clients). Lists are paginated."
    ),
    auth=[SessionAuth(), BearerTokenAuth()],
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)


def _error(
    request: HttpRequest, status: int, code: str, message: str, **extra: Any
) -> HttpResponse:
    return api.create_response(request, {"code": code, "message": message, **extra}, status=status)


def _field_name(loc: list[Any] | tuple[Any, ...]) -> str:
    parts = [
        str(p) for p in loc if p not in {"body", "query", "path", "header", "cookie", "payload"}
    ]
    return ".".join(parts) or "body"


@api.exception_handler(NinjaValidationError)
def on_validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    errors = [
        {"field": _field_name(err.get("loc", ())), "message": str(err.get("msg", "invalid"))}
        for err in exc.errors
    ]
    first = errors[0] if errors else {"field": "body", "message": "invalid input"}
    return _error(request, 422, "invalid", f"{first['field']}: {first['message']}", errors=errors)


@api.exception_handler(ValidationError)
def on_django_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    if hasattr(exc, "error_dict"):
        errors = [
            {"field": field, "message": " ".join(messages)}
            for field, messages in exc.message_dict.items()
        ]
    else:
        errors = [{"field": "body", "message": " ".join(exc.messages)}]
    first = errors[0]
    return _error(request, 422, "invalid", f"{first['field']}: {first['message']}", errors=errors)


@api.exception_handler(RulesInputError)
def on_rules_input_error(request: HttpRequest, exc: RulesInputError) -> HttpResponse:
    return _error(
        request,
        422,
        "invalid",
        f"{exc.field}: {exc.message}",
        errors=[{"field": exc.field, "message": exc.message}],
    )


@api.exception_handler(AuthenticationError)
def on_authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(request, 401, "unauthenticated", "Sign in or send a valid bearer token.")


@api.exception_handler(AuthorizationError)
def on_authorization_error(request: HttpRequest, exc: AuthorizationError) -> HttpResponse:
    return _error(request, 403, "forbidden", "You may not do this.")


@api.exception_handler(PermissionDenied)
def on_permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return _error(request, 403, "forbidden", str(exc) or "You may not do this.")


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, "not_found", "Not found.")


def unmatched(request: HttpRequest, rest: str = "") -> HttpResponse:
    """An address under /api/ that no route matches (an unknown path, or a path parameter its
    converter refuses, e.g. a negative version number): the API's one error format, not the
    site's HTML page."""
    return _error(request, 404, "not_found", "Not found.")


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    codes = {
        400: "bad_request",
        401: "unauthenticated",
        403: "forbidden",
        404: "not_found",
        405: "method_not_allowed",
        409: "conflict",
        429: "too_many_requests",
    }
    return _error(request, exc.status_code, codes.get(exc.status_code, "error"), str(exc))


api.add_router("/accounts", accounts_router)
api.add_router("/audit", core_router)
api.add_router("/rules", rules_router)
api.add_router("/registry", registry_router)
api.add_router("/documentation", documentation_router)
api.add_router("/code-of-practice", codeofpractice_router)
api.add_router("/watchlist", watchlist_router)
api.add_router("/monitoring", monitoring_router)
api.add_router("/evaluations", evaluations_router)
api.add_router("/supervision", supervision_router)
api.add_router("/portal", portal_router)
api.add_router("/cooperation", cooperation_router)
api.add_router("/drafting", drafting_router)

# Routes that answer without authentication, by design. A test checks that every other
# route refuses anonymous requests.
PUBLIC_ROUTES: frozenset[str] = frozenset(
    {
        "/api/v1/status",
        "/api/v1/rules/{kind}",
        "/api/v1/rules/schema/{kind}",
        "/api/v1/registry/systemic-risk-models",
        "/api/v1/registry/systemic-risk-models.csv",
        "/api/v1/evaluations/tasks",  # the catalogue of evaluations: public methodology
        "/api/v1/evaluations/tasks.csv",
        "/api/v1/code-of-practice/signatories",
        "/api/v1/code-of-practice/signatories.csv",
        # anonymous reports: no account, nothing identifying kept (supervision.api_intake)
        "/api/v1/supervision/intake/whistleblower",
        "/api/v1/supervision/intake/whistleblower/thread",
        "/api/v1/supervision/intake/whistleblower/reply",
        # help for the public: AI literacy practices and support structures (portal.api_help)
        "/api/v1/portal/literacy-practices",
        "/api/v1/portal/support-structures",
        # what the portal publishes: guidance and news (portal.api_content)
        "/api/v1/portal/guidance",
        "/api/v1/portal/guidance/{slug}",
        "/api/v1/portal/guidance/{slug}/similar",
        "/api/v1/portal/news",
        # drafting (aioffice.drafting.api_*): each part adds its public routes here
        # -- projects --
        "/api/v1/drafting/projects",
        "/api/v1/drafting/projects/{slug}",
        "/api/v1/drafting/projects/{slug}/meetings",
        # -- drafts: published versions, their sections and comparisons --
        "/api/v1/drafting/drafts/{slug}",
        "/api/v1/drafting/drafts/{slug}/{number}",
        "/api/v1/drafting/drafts/{slug}/{number}/document",
        "/api/v1/drafting/drafts/{slug}/{number}/compare/{other}",
        # -- adoption --
        "/api/v1/drafting/adoption/{slug}",
        "/api/v1/drafting/adoption/{slug}/signatories",
        "/api/v1/drafting/adoption/{slug}/signatories.csv",
        # -- consultations: open public ones, answering them, published responses --
        "/api/v1/drafting/consultations",
        "/api/v1/drafting/consultations/{consultation_id}",
        "/api/v1/drafting/consultations/{consultation_id}/responses",
        "/api/v1/drafting/consultations/{consultation_id}/published",
        "/api/v1/drafting/consultations/{consultation_id}/published.csv",
        # cooperation (aioffice.cooperation.api_*): each part adds its public routes here
        # -- authorities --
        "/api/v1/cooperation/authorities",
        "/api/v1/cooperation/authorities/directory.csv",
        "/api/v1/cooperation/authorities/member-states",
        "/api/v1/cooperation/authorities/{authority_id}",
        # -- bodies --
        "/api/v1/cooperation/bodies/bodies",
        "/api/v1/cooperation/bodies/bodies/{body_id}",
        "/api/v1/cooperation/bodies/bodies/{body_id}/members",
        "/api/v1/cooperation/bodies/meetings",
        "/api/v1/cooperation/bodies/opinions",
        "/api/v1/cooperation/bodies/bodies.csv",
        "/api/v1/cooperation/bodies/bodies/{body_id}/members.csv",
        "/api/v1/cooperation/bodies/meetings.csv",
        "/api/v1/cooperation/bodies/opinions.csv",
        # -- sandboxes and real-world testing --
        "/api/v1/cooperation/real-world-tests/public",
        "/api/v1/cooperation/real-world-tests/public.csv",
        "/api/v1/cooperation/sandboxes/",  # the published list (Art. 57(15))
        "/api/v1/cooperation/sandboxes/published.csv",
        "/api/v1/cooperation/sandboxes/member-states",  # SBX-01 per Member State
        "/api/v1/cooperation/sandboxes/{sandbox_id}",  # a published sandbox, abstracts
        # -- EU database (public part) --
        "/api/v1/cooperation/database/registrations",
        "/api/v1/cooperation/database/registrations.csv",
        "/api/v1/cooperation/database/registrations/{number}",
        # -- international --
        "/api/v1/cooperation/international/partners",
        "/api/v1/cooperation/international/partners.csv",
        "/api/v1/cooperation/international/partners/{partner_id}",
        "/api/v1/cooperation/international/agreements",
        "/api/v1/cooperation/international/agreements.csv",
        "/api/v1/cooperation/international/agreements/{agreement_id}",
        "/api/v1/cooperation/international/agreements/{agreement_id}/documents/{document_id}",
    }
)


@api.get("/status", auth=None, tags=["meta"], summary="Is the API up, and which version")
def status(request: HttpRequest) -> dict[str, str]:
    from aioffice import __version__

    return {"status": "ok", "api_version": "1", "aioffice_version": __version__}
