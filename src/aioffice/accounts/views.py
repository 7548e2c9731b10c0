"""Signing in (password, then the second factor), signing out, and one's own account."""

from __future__ import annotations

from typing import Any

import segno
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from aioffice.accounts import selectors, services
from aioffice.accounts.forms import ApiTokenForm, LoginForm, SecondFactorForm
from aioffice.accounts.models import User
from aioffice.core.permissions import login_required

PENDING_USER = "aioffice_pending_second_factor_user"
PENDING_BACKEND = "aioffice_pending_second_factor_backend"
PENDING_FAILURES = "aioffice_pending_second_factor_failures"
NEXT = "aioffice_next"
MAX_CODE_FAILURES = 5


def _safe_next(request: HttpRequest, candidate: str | None) -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return "/"


def _confirmed_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    """Step one: username and password (counted by django-axes for lock-out)."""
    next_url = _safe_next(request, request.GET.get("next") or request.POST.get("next"))
    form = LoginForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        user: Any = authenticate(
            request,
            username=form.cleaned_data["username"],
            password=form.cleaned_data["password"],
        )
        if user is None:
            form.add_error(None, _("The username or password is not correct."))
        else:
            request.session.cycle_key()
            request.session[NEXT] = next_url
            if _confirmed_device(user) is not None:
                request.session[PENDING_USER] = user.pk
                request.session[PENDING_BACKEND] = user.backend
                request.session[PENDING_FAILURES] = 0
                return redirect("accounts:second_factor")
            login(request, user)
            if user.is_office_staff:
                messages.info(request, _("AI Office staff must set up a second factor."))
                return redirect("accounts:second_factor_setup")
            return HttpResponseRedirect(next_url)
    return render(request, "accounts/login.html", {"form": form, "next": next_url})


@require_http_methods(["GET", "POST"])
def second_factor_view(request: HttpRequest) -> HttpResponse:
    """Step two: the code from the authenticator app."""
    pending_id = request.session.get(PENDING_USER)
    user: Any
    if pending_id is not None:
        user = User.objects.filter(pk=pending_id, is_active=True).first()
    elif request.user.is_authenticated:
        user = request.user
    else:
        return redirect("accounts:login")
    device = _confirmed_device(user) if user is not None else None
    if device is None:
        if request.user.is_authenticated:
            return redirect("accounts:second_factor_setup")
        return redirect("accounts:login")
    form = SecondFactorForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            backend = request.session.get(PENDING_BACKEND)
            next_url = request.session.get(NEXT, "/")
            for key in (PENDING_USER, PENDING_BACKEND, PENDING_FAILURES):
                request.session.pop(key, None)
            if not request.user.is_authenticated:
                login(request, user, backend=backend)
            otp_login(request, device)
            return HttpResponseRedirect(_safe_next(request, next_url))
        failures = int(request.session.get(PENDING_FAILURES, 0)) + 1
        request.session[PENDING_FAILURES] = failures
        user_login_failed.send(
            sender=__name__, credentials={"username": user.get_username()}, request=request
        )
        if failures >= MAX_CODE_FAILURES:
            request.session.flush()
            messages.error(request, _("Too many wrong codes. Sign in again."))
            return redirect("accounts:login")
        form.add_error("token", _("This code is not correct or has expired."))
    return render(request, "accounts/second_factor.html", {"form": form})


@require_http_methods(["GET", "POST"])
def second_factor_setup_view(request: HttpRequest) -> HttpResponse:
    """Enrol an authenticator app: scan the code, then type one code to confirm."""
    if not request.user.is_authenticated:
        return redirect("accounts:login")
    user: Any = request.user
    if _confirmed_device(user) is not None:
        return redirect("accounts:second_factor")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = services.totp_device_start(user=user)
    form = SecondFactorForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if services.totp_device_confirm(user=user, device=device, token=form.cleaned_data["token"]):
            otp_login(request, device)
            messages.success(request, _("Your second factor is set up."))
            return HttpResponseRedirect(_safe_next(request, request.session.pop(NEXT, "/")))
        form.add_error("token", _("This code is not correct or has expired."))
    qr_svg = segno.make(device.config_url, error="m").svg_inline(scale=4)
    secret = _base32_secret(device)
    return render(
        request,
        "accounts/second_factor_setup.html",
        {"form": form, "qr_svg": qr_svg, "secret": secret},
    )


def _base32_secret(device: TOTPDevice) -> str:
    from base64 import b32encode

    return b32encode(device.bin_key).decode().rstrip("=")


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("portal:home")


@login_required
@require_http_methods(["GET", "POST"])
def account_view(request: HttpRequest) -> HttpResponse:
    """One's memberships and API tokens; a new token's secret is shown here once."""
    user: Any = request.user
    form = ApiTokenForm(request.POST if request.method == "POST" else None)
    new_secret = None
    if request.method == "POST" and form.is_valid():
        try:
            new = services.api_token_create(
                actor=user, user=user, name=form.cleaned_data["name"], expires_at=form.expires_at()
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            new_secret = new.secret
            form = ApiTokenForm()
    return render(
        request,
        "accounts/account.html",
        {
            "memberships": selectors.memberships_of(user),
            "tokens": selectors.api_tokens_visible_to(user),
            "form": form,
            "new_secret": new_secret,
        },
    )


@login_required
@require_POST
def token_revoke_view(request: HttpRequest, token_id: int) -> HttpResponse:
    token = get_object_or_404(selectors.api_tokens_visible_to(request.user), pk=token_id)
    services.api_token_revoke(actor=request.user, token=token)  # type: ignore[arg-type]
    messages.success(request, _("The token was revoked."))
    return redirect("accounts:account")
