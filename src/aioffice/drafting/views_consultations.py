"""Pages of consultations.

* `consultation` (/consultations/<pk>/): what is consulted and the response form (public
  consultations: everyone, rate limited per address, with a honeypot; working-group
  consultations: their current members, who edit their own response until the close).
* `consultation_new`: a project runner opens a published draft to consultation.
* `consultation_feedback` / `consultation_export`: the Office and the chairs read all the
  feedback (filters, counts per section) and export it (CSV or JSON, streamed).
* `consultation_close` / `consultation_publish`: close early; publish after the close.
* `consultation_responses` (+ `.csv`): the published responses, for everyone who reads the
  consultation; anonymous ones without name or organisation, confidential ones never.
* `response_confirm`: the link sent to a respondent's e-mail address.
* `consultation_import`: the Office enters letters from a CSV file.
"""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Iterator
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _t
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from aioffice.core.exports import csv_response
from aioffice.core.forms import form_saved
from aioffice.core.permissions import (
    is_office_staff,
    login_required,
    require,
    second_factor_satisfied,
)
from aioffice.core.ratelimit import client_key, hit
from aioffice.drafting import permissions
from aioffice.drafting import selectors_consultations as selectors
from aioffice.drafting import services_consultations as services
from aioffice.drafting.forms_consultations import (
    ConsultationForm,
    FeedbackFilterForm,
    ImportForm,
    RespondForm,
)
from aioffice.drafting.models_consultations import Audience, Consultation
from aioffice.drafting.models_drafts import Draft

logger = logging.getLogger(__name__)

PER_PAGE = 50
RESPOND_LIMIT = 20  # public responses per address and hour
RESPOND_WINDOW = 3600
MAX_IMPORT_BYTES = 20 * 1024 * 1024


def viewer(request: HttpRequest) -> Any:
    """The person, once signed in with what their role needs (Office staff: the second
    factor); anyone else counts as the public."""
    if second_factor_satisfied(request):
        return request.user
    return AnonymousUser()


def may_run(request: HttpRequest) -> bool:
    if not is_office_staff(request):
        return False
    return permissions.may_run_projects(request.user)


def _reader(request: HttpRequest, consultation: Consultation) -> None:
    """All the feedback: the Office and the project's chairs (403 otherwise)."""
    if not permissions.may_read_everything(viewer(request), consultation.draft.project):
        raise PermissionDenied


# --- the consultation and its form --------------------------------------------------------------


def send_confirmation(request: HttpRequest, response: Any, token: str) -> None:
    """The link that confirms the respondent's e-mail address (sent after the commit)."""
    link = request.build_absolute_uri(reverse("drafting:response_confirm", args=[token]))
    subject = _t("[AI Office] Your response %(reference)s") % {"reference": response.reference}
    body = "\n".join(
        [
            _t("Thank you for your response to the consultation: %(title)s.")
            % {"title": response.consultation.title},
            _t("Your reference: %(reference)s") % {"reference": response.reference},
            "",
            _t("Open this link to confirm your e-mail address:"),
            link,
            "",
            _t("This message was sent automatically; please do not reply to it."),
        ]
    )
    message = EmailMessage(subject, body, to=[response.email])

    def send() -> None:
        try:
            message.send(fail_silently=False)
        except Exception as exc:  # noqa: BLE001  (the response is stored; logged, no address)
            logger.error("confirmation of response %s not sent: %s", response.reference, type(exc))

    transaction.on_commit(send)


@require_http_methods(["GET", "POST"])
def consultation(request: HttpRequest, pk: int) -> HttpResponse:
    user = viewer(request)
    row = Consultation.objects.filter(pk=pk).only("audience").first()
    if row is not None and row.audience == Audience.WORKING_GROUPS and not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    found = selectors.consultation_for(user, pk)
    sections = selectors.sections_of(found)
    own = selectors.own_response(user, found)
    is_open = services.is_open(found)
    may_answer = is_open and (
        found.audience == Audience.PUBLIC or services.member_of(user, found) is not None
    )
    form = RespondForm(
        request.POST or None,
        sections=sections,
        email_required=not user.is_authenticated,
        initial=RespondForm.initial_from(own) if own is not None else None,
    )
    if request.method == "POST":
        if not user.is_authenticated and not hit(
            "drafting.respond", client_key(request), limit=RESPOND_LIMIT, window=RESPOND_WINDOW
        ):
            return HttpResponse(
                _t("Too many responses from your address: try again later."), status=429
            )
        if form.is_robot():
            messages.success(request, _t("Thank you: your response is received."))
            return redirect("drafting:consultation", found.pk)
        done = form_saved(
            request,
            form,
            lambda data: _answer(request, user, found, form, own),
            message=_t("Thank you: your response is received."),
            then=lambda reference: redirect(
                f"{reverse('drafting:consultation', args=[found.pk])}?reference={reference}"
            ),
        )
        if done is not None:
            return done
    project = found.draft.project
    return render(
        request,
        "drafting/consultations/consultation.html",
        {
            "consultation": found,
            "draft": found.draft,
            "project": project,
            "form": form,
            "is_open": is_open,
            "closes": selectors.closing(found),
            "may_answer": may_answer,
            "own": own,
            "reference": request.GET.get("reference", "")[:30] if request.method == "GET" else "",
            "may_read_feedback": permissions.may_read_everything(user, project),
            "may_run": may_run(request),
            "may_import": permissions.may_import_feedback(user, project),
            "published": found.responses_published_at is not None,
        },
        status=422 if form.errors else 200,
    )


def _answer(
    request: HttpRequest, user: Any, found: Consultation, form: RespondForm, own: Any
) -> str:
    if own is not None:
        services.response_update(
            actor=user, response=own, respondent=form.respondent(), items=form.items()
        )
        return str(own.reference)
    verified = getattr(user, "is_verified", None)
    submitted = services.response_submit(
        actor=user if user.is_authenticated else None,
        consultation=found,
        respondent=form.respondent(),
        items=form.items(),
        second_factor=bool(verified()) if callable(verified) else False,
    )
    if submitted.token:
        send_confirmation(request, submitted.response, submitted.token)
    return submitted.response.reference


@require_GET
def response_confirm(request: HttpRequest, token: str) -> HttpResponse:
    response = services.response_confirm(token=token)
    return render(
        request,
        "drafting/consultations/confirm.html",
        {"response": response},
        status=200 if response is not None else 404,
    )


# --- opening, closing, publishing ---------------------------------------------------------------


@require(may_run)
@require_http_methods(["GET", "POST"])
def consultation_new(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    draft = get_object_or_404(
        Draft.objects.select_related("project"), project__slug=slug, number=number
    )
    form = ConsultationForm(request.POST or None, groups=draft.project.working_groups.all())
    done = form_saved(
        request,
        form,
        lambda data: services.consultation_open(
            actor=request.user,
            draft=draft,
            title=data["title"],
            introduction=data["introduction"],
            audience=data["audience"],
            working_groups=list(data["working_groups"]),
            opens_at=data["opens_at"],
            closes_at=data["closes_at"],
        ),
        message=_t("The consultation is opened for the period set."),
        then=lambda c: redirect("drafting:consultation", c.pk),
    )
    return done or render(
        request,
        "drafting/consultations/new.html",
        {"form": form, "draft": draft, "project": draft.project},
        status=422 if form.errors else 200,
    )


def _state_change(request: HttpRequest, pk: int, change: Any, message: str) -> HttpResponse:
    found = get_object_or_404(Consultation, pk=pk)
    try:
        change(actor=request.user, consultation=found)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, message)
    return redirect("drafting:consultation", found.pk)


@require(may_run)
@require_POST
def consultation_close(request: HttpRequest, pk: int) -> HttpResponse:
    return _state_change(
        request, pk, services.consultation_close, _t("The consultation is closed.")
    )


@require(may_run)
@require_POST
def consultation_publish(request: HttpRequest, pk: int) -> HttpResponse:
    return _state_change(
        request,
        pk,
        services.responses_publish,
        _t("The non-confidential responses are published."),
    )


# --- the Office's and the chairs' reading -------------------------------------------------------


@login_required
@require_GET
def consultation_feedback(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(selectors.consultations(), pk=pk)
    _reader(request, found)
    sections = selectors.sections_of(found)
    filters = FeedbackFilterForm(request.GET or None, sections=sections)
    chosen = (
        {name: str(filters.data.get(name, "")) for name in selectors.FILTERS}
        if filters.is_bound
        else {}
    )
    rows = selectors.feedback(found, chosen)
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    counts = selectors.section_counts(found)
    widest = max((c.total for c in counts), default=0)
    query = "&".join(f"{k}={v}" for k, v in chosen.items() if v)
    return render(
        request,
        "drafting/consultations/feedback.html",
        {
            "consultation": found,
            "project": found.draft.project,
            "filters": filters,
            "page": page,
            "counts": [
                (
                    c,
                    c.share("support", widest),
                    c.share("oppose", widest),
                    c.share("comment", widest),
                )
                for c in counts
            ],
            "query": query,
        },
    )


def json_stream(found: Consultation) -> Iterator[str]:
    encoder = DjangoJSONEncoder()
    header = selectors.EXPORT_HEADER
    yield f'{{"consultation": {found.pk}, "feedback": [\n'
    first = True
    for row in selectors.export_rows(found):
        text = encoder.encode(dict(zip(header, row, strict=True)))
        yield text if first else ",\n" + text
        first = False
    yield "\n]}\n"


@login_required
@require_GET
def consultation_export(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(selectors.consultations(), pk=pk)
    _reader(request, found)
    kind = request.GET.get("format", "csv")
    if kind == "json":
        response = StreamingHttpResponse(json_stream(found), content_type="application/json")
        response["Content-Disposition"] = f'attachment; filename="consultation-{found.pk}.json"'
        return cast(HttpResponse, response)
    if kind != "csv":
        return HttpResponse(_t("Choose the format csv or json."), status=400)
    return cast(
        HttpResponse,
        csv_response(
            f"consultation-{found.pk}.csv", selectors.EXPORT_HEADER, selectors.export_rows(found)
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def consultation_import(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(selectors.consultations(), pk=pk)
    if not permissions.may_import_feedback(viewer(request), found.draft.project):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)

    def save(data: dict[str, Any]) -> int:
        upload = data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise ValidationError({"file": "The file is larger than 20 MB."})
        try:
            text = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValidationError({"file": "The file is not UTF-8 text."}) from None
        rows = list(csv.DictReader(io.StringIO(text)))
        return len(services.import_feedback(actor=request.user, consultation=found, rows=rows))

    def then(count: int) -> HttpResponse:
        messages.info(request, _t("%(count)d responses entered.") % {"count": count})
        return redirect("drafting:consultation_feedback", found.pk)

    done = form_saved(request, form, save, message=_t("The feedback is entered."), then=then)
    return done or render(
        request,
        "drafting/consultations/import.html",
        {"form": form, "consultation": found, "project": found.draft.project},
        status=422 if form.errors else 200,
    )


# --- what is published --------------------------------------------------------------------------


def _published(request: HttpRequest, pk: int) -> Consultation:
    found = selectors.consultations().filter(pk=pk).first()
    if found is None or not permissions.may_read_published_responses(viewer(request), found):
        raise Http404
    return found


@require_GET
def consultation_responses(request: HttpRequest, pk: int) -> HttpResponse:
    found = _published(request, pk)
    page = Paginator(selectors.published_responses(found), PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "drafting/consultations/responses.html",
        {"consultation": found, "project": found.draft.project, "page": page},
    )


@require_GET
def consultation_responses_csv(request: HttpRequest, pk: int) -> HttpResponse:
    found = _published(request, pk)
    return cast(
        HttpResponse,
        csv_response(
            f"consultation-{found.pk}-responses.csv",
            selectors.PUBLISHED_HEADER,
            selectors.published_rows(found),
        ),
    )


__all__ = [
    "consultation",
    "consultation_close",
    "consultation_export",
    "consultation_feedback",
    "consultation_import",
    "consultation_new",
    "consultation_publish",
    "consultation_responses",
    "consultation_responses_csv",
    "response_confirm",
]
