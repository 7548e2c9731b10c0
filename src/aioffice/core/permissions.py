"""The permission choke points. Access is denied unless one of these rules grants it.

Each rule is one condition per line so coverage shows every branch is tested. Views use
the decorators, the API uses the same predicates through `aioffice.api`.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from aioffice.accounts.choices import Role

View = TypeVar("View", bound=Callable[..., HttpResponse])

AUDIT_READERS = (Role.HEAD_OF_UNIT, Role.ADMINISTRATOR, Role.LEGAL_OFFICER)
ART52_DECIDERS = (Role.HEAD_OF_UNIT, Role.LEGAL_OFFICER)
# Who sets up evaluation targets and queues or cancels evaluation runs (every Office staff
# member reads the results).
EVALUATION_OPERATORS = (Role.TECHNICAL_OFFICER, Role.HEAD_OF_UNIT, Role.ADMINISTRATOR)


def second_factor_satisfied(request: HttpRequest) -> bool:
    """Office staff count as signed in only after the second factor; others after login."""
    user: Any = request.user
    if not user.is_authenticated:
        return False
    if not user.is_office_staff:
        return True
    return bool(user.is_verified())


def is_office_staff(request: HttpRequest) -> bool:
    user: Any = request.user
    if not user.is_authenticated:
        return False
    if not user.is_active:
        return False
    if not user.is_office_staff:
        return False
    return second_factor_satisfied(request)


def can_read_audit_trail(request: HttpRequest) -> bool:
    if not is_office_staff(request):
        return False
    return bool(request.user.has_role(*AUDIT_READERS))  # type: ignore[union-attr]


def may_take_art52_decisions(user: Any) -> bool:
    """A head of unit or a legal officer of the AI Office takes Art. 52 decisions."""
    if user is None:
        return False
    if not user.is_authenticated:
        return False
    if not user.is_active:
        return False
    return bool(user.has_role(*ART52_DECIDERS))


def can_take_art52_decisions(request: HttpRequest) -> bool:
    if not is_office_staff(request):
        return False
    return may_take_art52_decisions(request.user)


def may_operate_evaluations(user: Any) -> bool:
    """A technical officer, head of unit or administrator of the AI Office runs evaluations."""
    if user is None:
        return False
    if not user.is_authenticated:
        return False
    if not user.is_active:
        return False
    return bool(user.has_role(*EVALUATION_OPERATORS))


def can_operate_evaluations(request: HttpRequest) -> bool:
    if not is_office_staff(request):
        return False
    return may_operate_evaluations(request.user)


def login_required(view: View) -> View:
    """Signed in; office staff also with their second factor."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not second_factor_satisfied(request):
            return redirect("accounts:second_factor")
        return view(request, *args, **kwargs)

    return cast(View, wrapper)


def require(rule: Callable[[HttpRequest], bool]) -> Callable[[View], View]:
    """Let the view run only when `rule(request)` grants it (403 otherwise)."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not second_factor_satisfied(request):
                return redirect("accounts:second_factor")
            if not rule(request):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return cast(View, wrapper)

    return decorator
