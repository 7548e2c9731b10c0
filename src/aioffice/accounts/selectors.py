from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from aioffice.accounts.models import ApiToken, Membership, Organisation


def memberships_of(user: Any) -> QuerySet[Membership]:
    return Membership.objects.filter(user=user).select_related("organisation").order_by("id")


def api_tokens_visible_to(user: Any) -> QuerySet[ApiToken]:
    """A person sees and manages their own tokens only."""
    if not user.is_authenticated:
        return ApiToken.objects.none()
    return ApiToken.objects.filter(user=user)


def organisations_visible_to(user: Any, *, is_office_staff: bool) -> QuerySet[Organisation]:
    """Office staff see every organisation; others see the ones they belong to."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    if is_office_staff:
        return Organisation.objects.all()
    return Organisation.objects.filter(memberships__user=user).distinct()
