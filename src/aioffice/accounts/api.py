from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router
from ninja.pagination import paginate
from ninja.responses import Status

from aioffice.accounts import selectors, services
from aioffice.accounts.schemas import (
    ApiTokenCreatedOut,
    ApiTokenIn,
    ApiTokenOut,
    MeOut,
    OrganisationOut,
)
from aioffice.core.permissions import is_office_staff

router = Router(tags=["accounts"])


@router.get("/me", response=MeOut, summary="Who am I")
def me(request: HttpRequest) -> dict[str, Any]:
    user: Any = request.auth  # type: ignore[attr-defined]
    return {
        "username": user.username,
        "email": user.email,
        "is_office_staff": user.is_office_staff,
        "memberships": list(selectors.memberships_of(user)),
    }


@router.get("/organisations", response=list[OrganisationOut], summary="Organisations I may see")
@paginate
def organisation_list(request: HttpRequest) -> Any:
    return selectors.organisations_visible_to(
        request.auth,  # type: ignore[attr-defined]
        is_office_staff=is_office_staff(request),
    ).order_by("name", "id")


@router.get("/tokens", response=list[ApiTokenOut], summary="My API tokens")
@paginate
def token_list(request: HttpRequest) -> Any:
    return selectors.api_tokens_visible_to(request.auth)  # type: ignore[attr-defined]


@router.post("/tokens", response={201: ApiTokenCreatedOut}, summary="Make an API token")
def token_create(request: HttpRequest, payload: ApiTokenIn) -> Status[dict[str, Any]]:
    user: Any = request.auth  # type: ignore[attr-defined]
    new = services.api_token_create(
        actor=user, user=user, name=payload.name, expires_at=payload.expires_at
    )
    data = ApiTokenOut.from_orm(new.token).model_dump()
    return Status(201, {**data, "secret": new.secret})


@router.post("/tokens/{token_id}/revoke", response=ApiTokenOut, summary="Revoke an API token")
def token_revoke(request: HttpRequest, token_id: int) -> Any:
    user: Any = request.auth  # type: ignore[attr-defined]
    token = get_object_or_404(selectors.api_tokens_visible_to(user), pk=token_id)
    return services.api_token_revoke(actor=user, token=token)
