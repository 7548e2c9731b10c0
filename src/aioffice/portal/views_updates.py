"""Pages of the portal's updates: the public sign-up, confirmation and unsubscribe links, and
the staff's messages to subscribers. Views parse, call a service or selector, render."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import (
    require_GET,
    require_http_methods,
    require_POST,
    require_safe,
)

from aioffice.core import ratelimit
from aioffice.core.forms import add_service_errors
from aioffice.core.htmx import render_page_or_fragment
from aioffice.core.permissions import require
from aioffice.portal import selectors_updates as selectors
from aioffice.portal import services_updates as services
from aioffice.portal.choices import BulletinStatus, SubscriberStatus
from aioffice.portal.forms_updates import BulletinForm, SignupForm, TopicsForm
from aioffice.portal.permissions import can_send_bulletins

SIGNUP_SCOPE = "portal.updates.signup"
PAGE_SIZE = 25


def _site_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")


def _consent_context() -> dict[str, Any]:
    consent = services.consent_current()
    return {
        "consent_text": services.CONSENT_TEXT,
        "consent_version": consent.version,
        "confirm_hours": settings.PORTAL_CONFIRM_HOURS,
        "email_rate": services.EMAIL_RATE,
    }


# --- the public side --------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
def updates_signup(request: HttpRequest) -> HttpResponse:
    """Sign up: whatever the address, a valid form leads to the same "check your inbox"."""
    if request.method == "POST":
        if not ratelimit.hit(
            SIGNUP_SCOPE,
            ratelimit.client_key(request),
            limit=settings.PORTAL_FORM_RATE,
            window=3600,
        ):
            return render(
                request,
                "portal/updates/rate_limited.html",
                {"rate": settings.PORTAL_FORM_RATE},
                status=429,
            )
        form = SignupForm(request.POST)
        if form.is_valid():
            try:
                services.subscriber_signup(
                    actor=None,
                    email=form.cleaned_data["email"],
                    topics=form.cleaned_data["topics"],
                    consent=form.cleaned_data["consent"],
                    language=get_language() or "en",
                    site_url=_site_url(request),
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                return redirect("portal:updates_sent")
    else:
        form = SignupForm()
    return render(request, "portal/updates/signup.html", {"form": form, **_consent_context()})


@require_safe
def updates_sent(request: HttpRequest) -> HttpResponse:
    """The one answer to every accepted sign-up (it never says whether the address is known)."""
    return render(
        request, "portal/updates/sent.html", {"confirm_hours": settings.PORTAL_CONFIRM_HOURS}
    )


def _link_refused(request: HttpRequest, exc: ValidationError, *, kind: str) -> HttpResponse:
    errors = exc.error_dict.get("token", []) if hasattr(exc, "error_dict") else exc.error_list
    code = errors[0].code if errors else "invalid"
    message = " ".join(str(message) for error in errors for message in error.messages)
    return render(
        request,
        "portal/updates/link_refused.html",
        {"message": message, "kind": kind, "expired": code == "expired"},
        status=410 if code == "expired" else 400,
    )


@require_http_methods(["GET", "HEAD", "POST"])
def updates_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The confirmation link: a button (GET, which mail scanners may fetch, changes
    nothing), and the confirmation itself (POST). A used or expired link is refused."""
    try:
        if request.method == "POST":
            subscriber = services.subscriber_confirm(actor=None, token=token)
            return render(
                request,
                "portal/updates/confirmed.html",
                {"unsubscribe_token": services.unsubscribe_token(subscriber.pk)},
            )
        selectors.subscriber_for_confirmation(token)
    except ValidationError as exc:
        return _link_refused(request, exc, kind="confirm")
    return render(request, "portal/updates/confirm.html", {"token": token})


def _one_click(request: HttpRequest) -> bool:
    """An RFC 8058 one-click unsubscribe: a POST whose form says List-Unsubscribe=One-Click."""
    return request.method == "POST" and request.POST.get("List-Unsubscribe") == "One-Click"


def _csrf_refusal(request: HttpRequest) -> HttpResponse | None:
    """Django's CSRF check, as the middleware would have made it (the view is exempt only
    for the one-click POST of mail programs, which cannot carry a token)."""
    check = CsrfViewMiddleware(lambda _request: HttpResponse())
    return check.process_view(request, None, (), {})  # type: ignore[arg-type]


@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def updates_unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """The unsubscribe link of every message: a button (GET), unsubscribing (POST). Mail
    programs unsubscribe in one click with the List-Unsubscribe=One-Click POST (RFC 8058):
    the signed token in the link is the proof there, so that POST alone needs no CSRF token;
    every other POST is checked as usual."""
    one_click = _one_click(request)
    if request.method == "POST" and not one_click:
        refusal = _csrf_refusal(request)
        if refusal is not None:
            return refusal
    try:
        subscriber = selectors.subscriber_for_unsubscribe(token)
    except ValidationError as exc:
        return _link_refused(request, exc, kind="unsubscribe")
    if request.method == "POST":
        services.subscriber_unsubscribe(actor=None, subscriber=subscriber)
        if one_click:
            return HttpResponse(_("You are unsubscribed."), content_type="text/plain")
        return render(request, "portal/updates/unsubscribed.html", {})
    return render(
        request,
        "portal/updates/unsubscribe.html",
        {"token": token, "active": subscriber.status == SubscriberStatus.ACTIVE},
    )


@require_http_methods(["GET", "HEAD", "POST"])
def updates_topics(request: HttpRequest, token: str) -> HttpResponse:
    """An active subscriber changes their topics from their unsubscribe link."""
    try:
        subscriber = selectors.subscriber_for_unsubscribe(token)
    except ValidationError as exc:
        return _link_refused(request, exc, kind="unsubscribe")
    current = [subscription.topic for subscription in subscriber.topics.all()]
    saved = False
    if request.method == "POST":
        form = TopicsForm(request.POST)
        if form.is_valid():
            try:
                services.subscriber_topics_change(
                    actor=None, subscriber=subscriber, topics=form.cleaned_data["topics"]
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                saved = True
    else:
        form = TopicsForm(initial={"topics": current})
    return render(
        request,
        "portal/updates/topics.html",
        {
            "form": form,
            "token": token,
            "saved": saved,
            "active": subscriber.status == SubscriberStatus.ACTIVE,
        },
    )


# --- the staff side ----------------------------------------------------------------------


@require(can_send_bulletins)
@require_GET
def bulletin_list(request: HttpRequest) -> HttpResponse:
    """The messages to subscribers, newest first, with their progress."""
    page = Paginator(selectors.bulletins_with_progress(), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = [(bulletin, selectors.progress_of(bulletin)) for bulletin in page]
    return render(request, "portal/updates/bulletin_list.html", {"page": page, "rows": rows})


@require(can_send_bulletins)
@require_http_methods(["GET", "POST"])
def bulletin_new(request: HttpRequest) -> HttpResponse:
    """Write a message (saved as a draft, previewed before it is sent)."""
    if request.method == "POST":
        form = BulletinForm(request.POST)
        if form.is_valid():
            try:
                bulletin = services.bulletin_create(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                return redirect("portal:bulletin_detail", pk=bulletin.pk)
    else:
        form = BulletinForm()
    return render(request, "portal/updates/bulletin_form.html", {"form": form, "bulletin": None})


@require(can_send_bulletins)
@require_http_methods(["GET", "POST"])
def bulletin_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a draft; a message already sent is shown instead."""
    bulletin = selectors.bulletin_with_progress(pk)
    if bulletin.status != BulletinStatus.DRAFT:
        return redirect("portal:bulletin_detail", pk=bulletin.pk)
    if request.method == "POST":
        form = BulletinForm(request.POST)
        if form.is_valid():
            try:
                services.bulletin_update(actor=request.user, bulletin=bulletin, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                return redirect("portal:bulletin_detail", pk=bulletin.pk)
    else:
        form = BulletinForm(
            initial={"subject": bulletin.subject, "body": bulletin.body, "topics": bulletin.topics}
        )
    return render(
        request, "portal/updates/bulletin_form.html", {"form": form, "bulletin": bulletin}
    )


@require(can_send_bulletins)
@require_GET
def bulletin_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A message: its preview and recipients while a draft, its progress once queued
    (htmx refreshes it while sending; without JavaScript, the refresh link does)."""
    bulletin = selectors.bulletin_with_progress(pk)
    draft = bulletin.status == BulletinStatus.DRAFT
    context = {
        "bulletin": bulletin,
        "progress": selectors.progress_of(bulletin),
        "draft": draft,
        "sending": bulletin.status in (BulletinStatus.QUEUED, BulletinStatus.SENDING),
        "recipients": selectors.recipient_count(bulletin.topics) if draft else None,
        "topic_labels": services.topic_labels(bulletin.topics),
        "preview": render_to_string(
            "portal/updates/email/bulletin.txt",
            {
                "bulletin": bulletin,
                "unsubscribe_url": _("(each subscriber's own unsubscribe link)"),
                "site_name": settings.SITE_NAME,
            },
        ),
    }
    return render_page_or_fragment(
        request, "portal/updates/bulletin_detail.html", "progress", context
    )


@require(can_send_bulletins)
@require_POST
def bulletin_send(request: HttpRequest, pk: int) -> HttpResponse:
    """Send a draft: its recipients are fixed now, and the worker sends it."""
    bulletin = selectors.bulletin_with_progress(pk)
    try:
        services.bulletin_queue(actor=request.user, bulletin=bulletin, site_url=_site_url(request))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The message is queued: the worker sends it now."))
    return redirect("portal:bulletin_detail", pk=bulletin.pk)
