"""The pages of documentation (Art. 53 and 55). They parse, call one service or selector,
and render; who may see what is decided in `selectors`.

- a version's documentation overview: each type, needed or not, the current submission, its
  completeness and its history;
- the form of a document type (built from its schema): save a draft, attach files, submit;
- a submission: its content (or only the fields for one audience), gaps, attachments;
- attachment downloads through an access-checked view;
- Annex XII requests: the downstream provider asks, the provider answers, both follow them.
"""

from __future__ import annotations

from typing import Any, cast
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import (
    require_GET,
    require_http_methods,
    require_POST,
    require_safe,
)

from aioffice.core.permissions import login_required
from aioffice.core.schemas import MAX_ID
from aioffice.registry import selectors as registry_selectors
from aioffice.registry.documentation import selectors, services
from aioffice.registry.documentation.choices import Audience, DocumentType, SubmissionStatus
from aioffice.registry.documentation.doctypes import load_doctypes
from aioffice.registry.documentation.forms import (
    AnnexXIIRequestForm,
    AnswerForm,
    TrainingSummarySearchForm,
    form_for,
)
from aioffice.registry.documentation.models import DocumentAttachment

_AUDIENCES = dict(Audience.choices)


def _add_service_errors(form: Any, exc: ValidationError) -> None:
    if not hasattr(exc, "error_dict"):
        for message in exc.messages:
            form.add_error(None, message)
        return
    for name, errors in exc.message_dict.items():
        for message in errors:
            form.add_error(name if name in form.fields else None, message)


@login_required
@require_GET
def version_overview(request: HttpRequest, version_id: int) -> HttpResponse:
    version = get_object_or_404(registry_selectors.versions_visible_to(request), pk=version_id)
    return render(
        request,
        "documentation/overview.html",
        {
            "version": version,
            "rows": selectors.version_documentation(version),
            "writer": selectors.may_write_documentation(request),
            "assessed": version.current_assessment is not None,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def document_edit(request: HttpRequest, version_id: int, doc_type: str) -> HttpResponse:
    """The provider's form for one document type: saves the draft (and its files); with
    "submit", submits it, gaps recorded."""
    version = get_object_or_404(registry_selectors.versions_visible_to(request), pk=version_id)
    if doc_type not in DocumentType.values:
        raise Http404
    if not selectors.may_write_documentation(request):
        raise PermissionDenied
    kind = load_doctypes()[doc_type]
    form_class = form_for(kind)
    draft = selectors.draft_of(version, doc_type)
    if request.method == "POST":
        form = form_class(request.POST, request.FILES)
        if form.is_valid():
            try:
                draft = services.submission_save_draft(
                    actor=request.user, version=version, doc_type=doc_type, content=form.content()
                )
                for key, upload in form.uploads():
                    try:
                        services.attachment_add(
                            actor=request.user, submission=draft, field_key=key, upload=upload
                        )
                    except ValidationError as exc:
                        for message in exc.messages:
                            form.add_error(key, message)
            except ValidationError as exc:
                _add_service_errors(form, exc)
            if form.is_valid() and draft is not None:
                if "submit" in request.POST:
                    services.submission_submit(actor=request.user, submission=draft)
                    messages.success(request, _("The document was submitted."))
                else:
                    messages.success(request, _("The draft was saved."))
                return redirect("documentation:submission_detail", draft.pk)
    else:
        form = form_class()
        source = draft or selectors.current_submission(version, doc_type)
        if source is not None:
            form.initial_from(source.content)
    return render(
        request,
        "documentation/form.html",
        {"form": form, "version": version, "doctype": kind, "draft": draft},
    )


@login_required
@require_GET
def submission_detail(request: HttpRequest, submission_id: int) -> HttpResponse:
    """A document; `?audience=` shows only the fields for that audience."""
    submission = get_object_or_404(
        selectors.submissions_visible_to(request).prefetch_related("attachments"),
        pk=submission_id,
    )
    audience = request.GET.get("audience") or None
    if audience not in _AUDIENCES:
        audience = None
    kind = load_doctypes()[submission.doc_type]
    rows = selectors.visible_content(submission, audience)
    shown = {f.key for f, _value in rows}
    return render(
        request,
        "documentation/submission.html",
        {
            "submission": submission,
            "doctype": kind,
            "rows": rows,
            "attachments": [a for a in submission.attachments.all() if a.field_key in shown],
            "missing": selectors.missing_now(submission),
            "audience": audience,
            "audiences": Audience.choices,
            "writer": selectors.may_write_documentation(request),
        },
    )


@login_required
@require_POST
def submission_submit(request: HttpRequest, submission_id: int) -> HttpResponse:
    submission = get_object_or_404(selectors.submissions_visible_to(request), pk=submission_id)
    if not selectors.may_write_documentation(request):
        raise PermissionDenied
    try:
        services.submission_submit(actor=request.user, submission=submission)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The document was submitted."))
    return redirect("documentation:submission_detail", submission.pk)


def _download(attachment: DocumentAttachment | None) -> HttpResponse:
    if attachment is None:
        raise Http404
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:  # the record outlived its file (a restore, a storage fault)
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    # A streamed response: login_required's View type names HttpResponse, its base's sibling.
    return cast(HttpResponse, response)


@login_required
@require_GET
def attachment_download(request: HttpRequest, attachment_id: int) -> HttpResponse:
    return _download(selectors.attachment_visible_to(request, attachment_id))


@require_GET
def public_attachment_download(request: HttpRequest, attachment_id: int) -> HttpResponse:
    """Public by law: a file in a public field of a submitted training-content summary."""
    return _download(selectors.public_attachment(attachment_id))


PUBLIC_INDEX_PAGE_SIZE = 25


@require_safe
def public_training_summaries(request: HttpRequest) -> HttpResponse:
    """The public index of training-content summaries (Art. 53(1)(d)): the current summary
    of every version that has one, searchable by provider or model, in pages of 25. A
    search that is not valid (too long, a NUL) is shown with its error, over the whole
    index."""
    form = TrainingSummarySearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    summaries = selectors.public_training_summary_index(query)
    page = Paginator(summaries, PUBLIC_INDEX_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "documentation/public_training_summaries.html",
        {"form": form, "page": page, "query": urlencode({"q": query}) if query else ""},
    )


@require_GET
def public_training_summary(request: HttpRequest, version_id: int) -> HttpResponse:
    """The public summary of training content of a version (Art. 53(1)(d)): the current one
    (or `?number=`), its public fields only, and the earlier versions. Public by design."""
    if version_id > MAX_ID:  # beyond the database's integers: no such version (not a 500)
        raise Http404
    summaries = selectors.public_training_summaries(version_id)
    if not summaries:
        raise Http404
    number = request.GET.get("number", "")
    shown = next((s for s in summaries if str(s.number) == number), summaries[0])
    rows = selectors.visible_content(shown, Audience.PUBLIC)
    keys = {f.key for f, _value in rows}
    return render(
        request,
        "documentation/public_training_summary.html",
        {
            "summary": shown,
            "version": shown.version,
            "rows": rows,
            "attachments": [a for a in shown.attachments.all() if a.field_key in keys],
            "others": [s for s in summaries if s.pk != shown.pk],
        },
    )


# --- Annex XII requests ----------------------------------------------------------------------


@login_required
@require_GET
def request_list(request: HttpRequest) -> HttpResponse:
    requests = selectors.requests_visible_to(request).order_by("-asked_at", "-id")
    overdue = request.GET.get("overdue") == "yes"
    if overdue:
        requests = requests.filter(selectors.overdue_condition(timezone.now().date()))
    page = Paginator(requests, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "documentation/requests.html",
        {"page": page, "overdue": overdue, "today": timezone.now().date()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def request_create(request: HttpRequest, version_id: int) -> HttpResponse:
    organisations = selectors.downstream_organisations(request)
    requester = organisations.order_by("name", "pk").first()
    if requester is None:
        raise PermissionDenied
    version = get_object_or_404(
        selectors.versions_open_to_requests(timezone.now().date()), pk=version_id
    )
    form = AnnexXIIRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            made = services.annex_xii_request_create(
                actor=request.user,
                requester=requester,
                version=version,
                message=form.cleaned_data["message"],
            )
        except ValidationError as exc:
            _add_service_errors(form, exc)
        else:
            messages.success(request, _("Your request was sent to the provider."))
            return redirect("documentation:request_detail", made.pk)
    return render(
        request,
        "documentation/request_form.html",
        {"form": form, "version": version, "requester": requester},
    )


@login_required
@require_http_methods(["GET", "POST"])
def request_detail(request: HttpRequest, request_id: int) -> HttpResponse:
    made = get_object_or_404(selectors.requests_visible_to(request), pk=request_id)
    provider_side = (
        selectors.may_write_documentation(request)
        and registry_selectors.versions_visible_to(request).filter(pk=made.version_id).exists()
    )
    form = None
    if provider_side and made.answer_id is None:
        documents = [
            (s.pk, f"#{s.number} ({s.submitted_at:%Y-%m-%d})")
            for s in selectors.submissions_visible_to(request).filter(
                version_id=made.version_id,
                doc_type=DocumentType.ANNEX_XII,
                status=SubmissionStatus.SUBMITTED,
            )
        ]
        form = AnswerForm(request.POST or None, documents=documents)
        if request.method == "POST" and form.is_valid():
            submission = selectors.submissions_visible_to(request).get(
                pk=form.cleaned_data["submission"]
            )
            try:
                services.annex_xii_request_answer(
                    actor=request.user,
                    made=made,
                    submission=submission,
                    note=form.cleaned_data["note"],
                )
            except ValidationError as exc:
                _add_service_errors(form, exc)
            else:
                messages.success(request, _("Your answer was recorded."))
                return redirect("documentation:request_detail", made.pk)
    elif request.method == "POST":
        raise PermissionDenied
    answer_rows = (
        selectors.visible_content(made.answer, Audience.DOWNSTREAM_PROVIDERS)
        if made.answer is not None
        else []
    )
    shown = {f.key for f, _value in answer_rows}
    return render(
        request,
        "documentation/request.html",
        {
            "made": made,
            "overdue": made.overdue_on(timezone.now().date()),
            "answer_rows": answer_rows,
            "answer_attachments": (
                [a for a in made.answer.attachments.all() if a.field_key in shown]
                if made.answer is not None
                else []
            ),
            "form": form,
        },
    )
