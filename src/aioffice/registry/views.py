"""The registry's pages.

The public list of GPAI models with systemic risk (Art. 52(6)): a page, JSON and CSV.
Public by design: anyone may read it, and it shows only the model and provider names,
the status and the fields marked public.

The Art. 52 notification pages: the provider's form and the status page (the provider's
people and staff, through `selectors`), and the staff queue. They parse, call one service
or selector, and render.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import PurePath
from typing import Any, cast
from urllib.parse import urlencode

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Count, Exists, F, OuterRef, Prefetch
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from aioffice.accounts.models import Membership
from aioffice.core.exports import csv_response
from aioffice.core.files import download
from aioffice.core.htmx import is_htmx, render_page_or_fragment
from aioffice.core.permissions import (
    can_take_art52_decisions,
    is_office_staff,
    login_required,
    require,
)
from aioffice.registry import selectors, services
from aioffice.registry.choices import (
    PUBLIC_LIST_STATUSES,
    NotificationStatus,
    PublicField,
    SystemicRiskStatus,
)
from aioffice.registry.evidence import capability_evidence
from aioffice.registry.forms import (
    ANNEX_XIII_ERROR_FIELD,
    AssignForm,
    DecisionForm,
    DesignationForm,
    DocumentsForm,
    HearingForm,
    InformationAnswerForm,
    InformationRequestForm,
    MandateForm,
    ModelFilterForm,
    ModelRegisterForm,
    NotificationFilterForm,
    NotificationForm,
    ProviderFilterForm,
    ReassessmentDecisionForm,
    ReassessmentRequestForm,
    TerminationForm,
    VersionForm,
    WithdrawForm,
)
from aioffice.registry.models import (
    Decision,
    Hearing,
    InformationRequest,
    ModelVersion,
    Notification,
    NotificationDocument,
    ReassessmentRequest,
)

_FIELD_LABELS = dict(PublicField.choices)
_STATUS_LABELS = dict(SystemicRiskStatus.choices)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_cell(v)}" for k, v in value.items())
    return str(value)


PUBLIC_PAGE_SIZE = 50


def _public_results(versions: selectors.PublicList, number: int) -> str:
    """The register's results (the table and the pagination) of one page, rendered."""
    page = Paginator(range(versions.count()), PUBLIC_PAGE_SIZE).page(number)
    bottom = (number - 1) * PUBLIC_PAGE_SIZE
    rows = []
    for entry in versions.entries(slice(bottom, bottom + PUBLIC_PAGE_SIZE)):
        rows.append(
            {
                **entry,
                "status_label": _STATUS_LABELS.get(entry["systemic_risk_status"], ""),
                "facts": [
                    (_FIELD_LABELS[name], _cell(value)) for name, value in entry["fields"].items()
                ],
            }
        )
    return render_to_string(
        "registry/systemic_risk_models.html#results", {"page": page, "rows": rows}
    )


@require_GET
def systemic_risk_models(request: HttpRequest) -> HttpResponse:
    """The register. Its results (not the page around them, which holds the visitor's CSRF
    token) are kept in the cache per page and language under the audit chain's head, as
    the order is (`selectors.PublicList`): any state change shows at once."""
    head = selectors.audit_head()
    versions = selectors.PublicList(head)
    # The page asked for, as the paginator reads it (the first for junk, the last beyond).
    pages = Paginator(range(versions.count()), PUBLIC_PAGE_SIZE)
    number = pages.get_page(request.GET.get("page")).number
    key = f"registry:public-page:{head}:{get_language()}:{number}"
    results = cache.get(key) if head else None
    if results is None:
        results = _public_results(versions, number)
        if head:
            cache.set(key, results, selectors.CACHE_SECONDS)
    if is_htmx(request):
        response = HttpResponse(results)
    else:
        context = {"results": mark_safe(results)}  # noqa: S308  (rendered by the template)
        response = render(request, "registry/systemic_risk_models.html", context)
    response["Vary"] = "HX-Request"
    return response


@require_GET
def systemic_risk_models_json(request: HttpRequest) -> JsonResponse:
    items = [selectors.public_entry(v) for v in selectors.systemic_risk_versions()]
    return JsonResponse({"count": len(items), "items": items}, encoder=DjangoJSONEncoder)


CSV_COLUMNS = ("model", "provider", "version", "systemic_risk_status", *selectors.PUBLIC_COLUMNS)


@require_GET
def systemic_risk_models_csv(request: HttpRequest) -> HttpResponse:
    """One row per version; a field not marked public is an empty cell."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="systemic-risk-models.csv"'
    writer = csv.writer(response)
    writer.writerow(CSV_COLUMNS)
    for version in selectors.systemic_risk_versions():
        entry = selectors.public_entry(version)
        fields = entry["fields"]
        writer.writerow(
            [entry["model"], entry["provider"], entry["version"], entry["systemic_risk_status"]]
            + [_cell(fields.get(name)) for name in selectors.PUBLIC_COLUMNS]
        )
    return response


# --- notifications (Art. 52) --------------------------------------------------------------------


def _add_service_errors(
    form: Any, exc: ValidationError, renames: dict[str, str] | None = None
) -> None:
    """The service's errors next to their field (`renames` maps a service's name to the
    form's; evidence errors go on the file); refusals that name no field of the form, such
    as a hearing still running, go on top with their reason and date."""
    renames = {"documents": "evidence", **(renames or {})}
    if not hasattr(exc, "error_dict"):
        for message in exc.messages:
            form.add_error(None, message)
        return
    for name, errors in exc.message_dict.items():
        field = renames.get(name, name)
        for message in errors:
            form.add_error(field if field in form.fields else None, message)


@login_required
@require_http_methods(["GET", "POST"])
def notification_submit(request: HttpRequest, version_id: int) -> HttpResponse:
    """The provider (or its current representative) notifies under Art. 52(1)."""
    versions = selectors.versions_visible_to(request)
    version = get_object_or_404(versions, pk=version_id)
    if is_office_staff(request):
        raise PermissionDenied
    form = NotificationForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        versions=versions,
    )
    if request.method == "POST" and form.is_valid():
        evidence = form.cleaned_data.get("evidence")
        try:
            notification = services.notification_submit(
                actor=request.user,
                version=version,
                data=form.notification_data(),
                documents=[evidence] if evidence else (),
            )
        except ValidationError as exc:
            _add_service_errors(form, exc)
        else:
            messages.success(request, _("Your notification was received."))
            return redirect("registry:notification_detail", notification.tracking_number)
    return render(request, "registry/notification_form.html", {"form": form, "version": version})


def _timeline(notification: Notification) -> list[tuple[Any, str]]:
    """The steps of the procedure, oldest first: receipt, hearings, decisions."""
    steps: list[tuple[Any, str]] = [
        (notification.submitted_on, _("Notification received (Art. 52(1))"))
    ]
    for hearing in notification.hearings.all():
        steps.append((hearing.opened_on, _("Draft decision sent; hearing opened (Art. 94)")))
        steps.append((hearing.ends_on, _("End of the hearing period")))
    for info in notification.information_requests.all():
        steps.append((info.asked_on, _("More information requested")))
        if info.answered_on is not None:
            steps.append((info.answered_on, _("Information sent by the provider")))
    for decision in notification.decisions.all():
        steps.append((decision.decided_on, _("Decision: %s") % decision.get_kind_display()))
    if notification.withdrawn_on is not None:
        steps.append((notification.withdrawn_on, _("Notification withdrawn")))
    return sorted(steps, key=lambda step: step[0])


# The decision letter is served by the API (session authentication works for GET).
LETTER_URL = "/api/v1/registry/decisions/{}/letter"

OPEN_STATUSES = frozenset(
    {
        NotificationStatus.SUBMITTED,
        NotificationStatus.UNDER_ASSESSMENT,
        NotificationStatus.MORE_INFORMATION_REQUESTED,
        NotificationStatus.HEARING,
    }
)


def _letter_url(decision: Decision) -> str:
    """The letter's download address, or "" while it has none."""
    try:
        decision.letter  # noqa: B018  (loaded by select_related; raises when missing)
    except ObjectDoesNotExist:
        return ""
    return LETTER_URL.format(decision.pk)


def _with_letters(decisions: Any) -> list[Decision]:
    found: list[Any] = list(decisions)
    for decision in found:
        decision.letter_url = _letter_url(decision)
    return found


def _notifications_for_page(request: HttpRequest) -> Any:
    return (
        selectors.notifications_visible_to(request)
        .defer(None)
        .select_related("assigned_officer")
        .prefetch_related(
            "documents",
            Prefetch("hearings", queryset=Hearing.objects.order_by("opened_on", "id")),
            Prefetch(
                "decisions",
                queryset=Decision.objects.select_related("letter").order_by("decided_on", "id"),
            ),
            Prefetch(
                "information_requests",
                queryset=InformationRequest.objects.prefetch_related("documents").order_by(
                    "asked_at", "id"
                ),
            ),
        )
    )


def _notification_forms(
    request: HttpRequest, notification: Notification, bound: dict[str, Any]
) -> dict[str, Any]:
    """The actions that apply to the notification's state and to the person's role: each
    a form posting to one service. `bound` holds a submitted form with its errors."""
    staff = is_office_staff(request)
    is_open = notification.status in OPEN_STATUSES
    forms: dict[str, Any] = {}
    if staff and is_open:
        forms["assign_form"] = AssignForm(
            initial={"officer": notification.assigned_officer_id}, prefix="assign"
        )
        if notification.status != NotificationStatus.HEARING:  # asked before the draft
            forms["information_form"] = InformationRequestForm(prefix="info")
        forms["hearing_form"] = HearingForm(prefix="hearing")
        if can_take_art52_decisions(request):
            forms["decision_form"] = DecisionForm(prefix="decision")
    if not staff and is_open:
        forms["withdraw_form"] = WithdrawForm(prefix="withdraw")
        forms["documents_form"] = DocumentsForm(prefix="documents")
    forms.update(bound)
    return forms


def _render_notification(
    request: HttpRequest, notification: Notification, bound: dict[str, Any] | None = None
) -> HttpResponse:
    arguments = (notification.aiact_check or {}).get("arguments") or {}
    hearings = list(notification.hearings.all())
    bound = bound or {}
    staff = is_office_staff(request)
    requests = list(notification.information_requests.all())
    answer_forms = {}
    if not staff:
        for info in requests:
            if info.is_open:
                answer_forms[info.pk] = bound.get(f"answer_form_{info.pk}") or (
                    InformationAnswerForm(prefix=f"answer-{info.pk}")
                )
    for info in requests:
        info.answer_form = answer_forms.get(info.pk)  # type: ignore[attr-defined]
    return render(
        request,
        "registry/notification_detail.html",
        {
            "notification": notification,
            "staff": staff,
            "arguments_filed": notification.has_arguments,
            "arguments_receivable": bool(arguments.get("admissible")),
            "hearing_ends_on": hearings[-1].ends_on if hearings else None,
            "hearings": hearings,
            "decisions": _with_letters(notification.decisions.all()),
            "information_requests": requests,
            "timeline": _timeline(notification),
            **_notification_forms(request, notification, bound),
        },
    )


@login_required
@require_GET
def notification_detail(request: HttpRequest, tracking_number: str) -> HttpResponse:
    """A notification's status: the provider's people and AI Office staff only. Each shows
    the actions that apply to the notification's state and to the person's role."""
    notification = get_object_or_404(
        _notifications_for_page(request), tracking_number=tracking_number
    )
    return _render_notification(request, notification)


def _notification_action(
    request: HttpRequest,
    tracking_number: str,
    *,
    name: str,
    form_class: Any,
    prefix: str,
    allowed: Callable[[HttpRequest], bool],
    act: Callable[[Any, Notification], Any],
    done: str,
    renames: dict[str, str] | None = None,
) -> HttpResponse:
    """Parse one action's form and call its service; on success back to the status page
    with a message, otherwise the page again with the errors next to their fields."""
    notification = get_object_or_404(
        _notifications_for_page(request), tracking_number=tracking_number
    )
    if not allowed(request):
        raise PermissionDenied
    form = form_class(request.POST, request.FILES, prefix=prefix)
    if form.is_valid():
        try:
            act(form, notification)
        except ValidationError as exc:
            _add_service_errors(form, exc, renames)
        else:
            messages.success(request, done)
            return redirect("registry:notification_detail", notification.tracking_number)
    return _render_notification(request, notification, {name: form})


def _is_provider_side(request: HttpRequest) -> bool:
    """The provider's people (or its representative's): whoever sees the record and is not
    AI Office staff."""
    return not is_office_staff(request)


@login_required
@require_POST
def notification_assign(request: HttpRequest, tracking_number: str) -> HttpResponse:
    def act(form: AssignForm, notification: Notification) -> None:
        services.notification_assign(
            actor=request.user, notification=notification, officer=form.cleaned_data["officer"]
        )

    return _notification_action(
        request,
        tracking_number,
        name="assign_form",
        form_class=AssignForm,
        prefix="assign",
        allowed=is_office_staff,
        act=act,
        done=_("The notification was assigned."),
    )


@login_required
@require_POST
def notification_request_information(request: HttpRequest, tracking_number: str) -> HttpResponse:
    def act(form: InformationRequestForm, notification: Notification) -> None:
        services.notification_request_information(
            actor=request.user,
            notification=notification,
            questions=form.cleaned_data["questions"],
            due_on=form.cleaned_data["due_on"],
        )

    return _notification_action(
        request,
        tracking_number,
        name="information_form",
        form_class=InformationRequestForm,
        prefix="info",
        allowed=is_office_staff,
        act=act,
        done=_("The request for more information was sent."),
    )


@login_required
@require_POST
def notification_hearing(request: HttpRequest, tracking_number: str) -> HttpResponse:
    def act(form: HearingForm, notification: Notification) -> None:
        services.hearing_open(
            actor=request.user,
            notification=notification,
            draft_kind=form.cleaned_data["draft_kind"],
            draft_reasons=form.cleaned_data["draft_reasons"],
            opened_on=form.cleaned_data.get("opened_on"),
        )

    return _notification_action(
        request,
        tracking_number,
        name="hearing_form",
        form_class=HearingForm,
        prefix="hearing",
        allowed=is_office_staff,
        act=act,
        done=_("The draft decision was sent; the hearing is open."),
    )


@login_required
@require_POST
def notification_decide(request: HttpRequest, tracking_number: str) -> HttpResponse:
    def act(form: DecisionForm, notification: Notification) -> None:
        services.decision_take(
            actor=request.user,
            notification=notification,
            kind=form.cleaned_data["kind"],
            reasons=form.cleaned_data["reasons"],
            decided_on=form.cleaned_data.get("decided_on"),
            annex_xiii=form.annex_xiii() or None,
        )

    return _notification_action(
        request,
        tracking_number,
        name="decision_form",
        form_class=DecisionForm,
        prefix="decision",
        allowed=can_take_art52_decisions,
        act=act,
        done=_("The decision was taken."),
        renames={"annex_xiii": ANNEX_XIII_ERROR_FIELD},
    )


@login_required
@require_POST
def notification_withdraw(request: HttpRequest, tracking_number: str) -> HttpResponse:
    def act(form: WithdrawForm, notification: Notification) -> None:
        services.notification_withdraw(
            actor=request.user, notification=notification, reasons=form.cleaned_data["reasons"]
        )

    return _notification_action(
        request,
        tracking_number,
        name="withdraw_form",
        form_class=WithdrawForm,
        prefix="withdraw",
        allowed=_is_provider_side,
        act=act,
        done=_("The notification was withdrawn."),
    )


@login_required
@require_POST
def notification_add_documents(request: HttpRequest, tracking_number: str) -> HttpResponse:
    def act(form: DocumentsForm, notification: Notification) -> None:
        services.notification_add_documents(
            actor=request.user, notification=notification, documents=[form.cleaned_data["document"]]
        )

    return _notification_action(
        request,
        tracking_number,
        name="documents_form",
        form_class=DocumentsForm,
        prefix="documents",
        allowed=_is_provider_side,
        act=act,
        done=_("The document was added."),
        renames={"documents": "document"},
    )


@login_required
@require_POST
def information_request_answer(
    request: HttpRequest, tracking_number: str, request_id: int
) -> HttpResponse:
    """The provider answers a request for more information, with a document if it has one."""
    notification = get_object_or_404(
        _notifications_for_page(request), tracking_number=tracking_number
    )
    if is_office_staff(request):
        raise PermissionDenied
    info = get_object_or_404(notification.information_requests.all(), pk=request_id)
    form = InformationAnswerForm(request.POST, request.FILES, prefix=f"answer-{info.pk}")
    if form.is_valid():
        document = form.cleaned_data.get("document")
        try:
            services.information_request_answer(
                actor=request.user,
                request=info,
                answer=form.cleaned_data["answer"],
                documents=[document] if document else (),
            )
        except ValidationError as exc:
            _add_service_errors(form, exc, {"documents": "document"})
        else:
            messages.success(request, _("Your answer was sent."))
            return redirect("registry:notification_detail", notification.tracking_number)
    return _render_notification(request, notification, {f"answer_form_{info.pk}": form})


def _filtered_notifications(request: HttpRequest, form: NotificationFilterForm) -> Any:
    notifications = selectors.notifications_visible_to(request).order_by("-submitted_at", "-id")
    if form.is_valid():
        status = form.cleaned_data.get("status")
        late = form.cleaned_data.get("late")
        if status:
            notifications = notifications.filter(status=status)
        if late:
            notifications = notifications.filter(late=late == "yes")
    return notifications


def _query(form: Any) -> str:
    if not form.is_valid():
        return ""
    return urlencode({k: getattr(v, "pk", v) for k, v in form.cleaned_data.items() if v})


@require(is_office_staff)
@require_GET
def notification_queue(request: HttpRequest) -> HttpResponse:
    """AI Office staff: every notification, newest first, filtered by status and lateness."""
    form = NotificationFilterForm(request.GET or None)
    page = Paginator(_filtered_notifications(request, form), 25).get_page(request.GET.get("page"))
    return render_page_or_fragment(
        request,
        "registry/notification_queue.html",
        "results",
        {"form": form, "page": page, "query": _query(form)},
    )


def _download(filename: str, header: tuple[str, ...], rows: Any) -> HttpResponse:
    """`core.exports.csv_response` (streamed); the permission decorators are typed for
    views that answer an HttpResponse, which a streamed response is not a subclass of."""
    return cast(HttpResponse, csv_response(filename, header, rows))


NOTIFICATION_CSV_COLUMNS = (
    "tracking_number",
    "provider",
    "model",
    "version",
    "trigger",
    "status",
    "submitted_on",
    "due",
    "late",
    "compute_flop_2sf",
    "assigned_officer",
)


@require(is_office_staff)
@require_GET
def notification_queue_csv(request: HttpRequest) -> HttpResponse:
    """The queue as CSV, with the same filters; not paginated, streamed."""
    form = NotificationFilterForm(request.GET or None)
    notifications = _filtered_notifications(request, form).select_related("assigned_officer")
    rows = (
        (
            n.tracking_number,
            n.provider.organisation.name,
            n.version.model.name,
            n.version.label,
            n.trigger,
            n.status,
            n.submitted_on,
            n.due,
            n.late,
            n.compute_flop_2sf,
            n.assigned_officer.username if n.assigned_officer else "",
        )
        for n in notifications.iterator(chunk_size=500)
    )
    return _download("notifications.csv", NOTIFICATION_CSV_COLUMNS, rows)


# --- deadlines (staff) -------------------------------------------------------------------------


@require(is_office_staff)
@require_GET
def deadlines(request: HttpRequest) -> HttpResponse:
    """What is due: open notifications (late first by due date), hearings and the end of
    their period, requests for information not yet answered (overdue flagged). Each list is
    paginated on its own."""
    today = timezone.now().date()
    open_notifications = (
        selectors.notifications_visible_to(request)
        .filter(status__in=OPEN_STATUSES)
        .select_related("assigned_officer")
        .order_by("-late", F("due").asc(nulls_last=True), "id")
    )
    hearings = (
        Hearing.objects.filter(notification__status=NotificationStatus.HEARING)
        .select_related("notification__provider__organisation", "notification__version__model")
        .order_by("ends_on", "id")
    )
    unanswered = (
        InformationRequest.objects.filter(answered_on__isnull=True)
        .exclude(
            notification__status__in=[NotificationStatus.DECIDED, NotificationStatus.WITHDRAWN]
        )
        .select_related("notification__provider__organisation")
        .order_by("due_on", "id")
    )
    return render(
        request,
        "registry/deadlines.html",
        {
            "today": today,
            "notifications": Paginator(open_notifications, 25).get_page(request.GET.get("n")),
            "hearings": Paginator(hearings, 25).get_page(request.GET.get("h")),
            "requests": Paginator(unanswered, 25).get_page(request.GET.get("i")),
        },
    )


# --- models and versions -----------------------------------------------------------------------


def _filtered_models(request: HttpRequest, form: ModelFilterForm) -> Any:
    on_list = ModelVersion.objects.filter(
        model=OuterRef("pk"), systemic_risk_status__in=PUBLIC_LIST_STATUSES
    )
    models = (
        selectors.models_visible_to(request)
        .annotate(version_count=Count("versions"), systemic_risk=Exists(on_list))
        .order_by("name", "id")
    )
    if form.is_valid():
        data = form.cleaned_data
        if data.get("q"):
            models = models.filter(name__icontains=data["q"])
        if data.get("provider"):
            models = models.filter(provider=data["provider"])
        if data.get("systemic_risk_status"):
            models = models.filter(
                Exists(
                    ModelVersion.objects.filter(
                        model=OuterRef("pk"),
                        systemic_risk_status=data["systemic_risk_status"],
                    )
                )
            )
    return models


@login_required
@require_GET
def model_list(request: HttpRequest) -> HttpResponse:
    """The models a person may see: a provider's own (or its represented providers'),
    every model for staff. 25 a page; filters by name, provider and status."""
    form = ModelFilterForm(request.GET or None, providers=selectors.providers_visible_to(request))
    page = Paginator(_filtered_models(request, form), 25).get_page(request.GET.get("page"))
    return render_page_or_fragment(
        request,
        "registry/model_list.html",
        "results",
        {"form": form, "page": page, "query": _query(form), "staff": is_office_staff(request)},
    )


MODEL_CSV_COLUMNS = ("model", "provider", "versions", "systemic_risk", "public_description")


@login_required
@require_GET
def model_list_csv(request: HttpRequest) -> HttpResponse:
    form = ModelFilterForm(request.GET or None, providers=selectors.providers_visible_to(request))
    rows = (
        (
            m.name,
            m.provider.organisation.name,
            m.version_count,
            m.systemic_risk,
            m.public_description,
        )
        for m in _filtered_models(request, form).iterator(chunk_size=500)
    )
    return _download("models.csv", MODEL_CSV_COLUMNS, rows)


@login_required
@require_GET
def model_detail(request: HttpRequest, model_id: int) -> HttpResponse:
    versions = ModelVersion.objects.select_related("current_assessment").only(
        "id",
        "model_id",
        "label",
        "placed_on_market",
        "training_compute_flop",
        "current_assessment__systemic_risk_status",
        "current_assessment__as_of",
    )
    models = selectors.models_visible_to(request).prefetch_related(
        Prefetch("versions", queryset=versions.order_by("id"))
    )
    model = get_object_or_404(models, pk=model_id)
    return render(
        request,
        "registry/model_detail.html",
        {"model": model, "versions": list(model.versions.all()), "staff": is_office_staff(request)},
    )


# How many stored assessments the version page shows, newest first.
ASSESSMENT_HISTORY = 50

# aiact's obligation statuses, as the page words them.
_OBLIGATION_STATUS_LABELS = {
    "applicable": gettext_lazy("Applies"),
    "pending": gettext_lazy("Applies later"),
    "not_applicable": gettext_lazy("Does not apply"),
    "not_in_force": gettext_lazy("Not yet in force"),
}


def _obligations(assessment: Any) -> list[dict[str, Any]]:
    """aiact's obligations for the version as its current assessment found them: id, status,
    the dates from which they apply and by which to comply, and their citations."""
    if assessment is None:
        return []
    found = []
    for item in (assessment.result or {}).get("obligations") or []:
        found.append(
            {
                "id": item.get("id"),
                "applies": item.get("applies"),
                "status": item.get("status"),
                "status_label": _OBLIGATION_STATUS_LABELS.get(
                    str(item.get("status")), item.get("status")
                ),
                "applicable_from": item.get("applicable_from"),
                "comply_by": item.get("comply_by"),
                "citations": ", ".join(c.get("label", "") for c in item.get("citations") or []),
            }
        )
    return found


def _version_page(
    request: HttpRequest, version_id: int, bound: dict[str, Any] | None = None
) -> HttpResponse:
    version = get_object_or_404(selectors.versions_visible_to(request), pk=version_id)
    staff = is_office_staff(request)
    decider = can_take_art52_decisions(request)
    assessments = list(
        version.assessments.only(
            "id",
            "version_id",
            "as_of",
            "computed_at",
            "rules_version",
            "law",
            "gpai",
            "systemic_risk_status",
            "training_compute_flop",
        ).order_by("-computed_at", "-id")[:ASSESSMENT_HISTORY]
    )
    decisions = _with_letters(
        version.decisions.select_related("letter", "notification").order_by("decided_on", "id")
    )
    requests = list(
        version.reassessment_requests.select_related("decision").order_by("requested_on", "id")
    )
    bound = bound or {}
    for item in requests:
        try:
            item.answer = item.decision  # type: ignore[attr-defined]
        except ObjectDoesNotExist:
            item.answer = None  # type: ignore[attr-defined]
        item.decide_form = None  # type: ignore[attr-defined]
        if decider and item.answer is None:  # type: ignore[attr-defined]
            item.decide_form = bound.get(f"reassessment_decide_{item.pk}") or (  # type: ignore[attr-defined]
                ReassessmentDecisionForm(prefix=f"reassess-{item.pk}")
            )
    context: dict[str, Any] = {
        "version": version,
        "assessment": version.current_assessment,
        "on_public_list": version.systemic_risk_status in PUBLIC_LIST_STATUSES,
        "obligations": _obligations(version.current_assessment),
        "assessments": assessments,
        "notifications": list(version.notifications.order_by("submitted_at", "id")),
        "decisions": decisions,
        "reassessment_requests": requests,
        "staff": staff,
        "decider": decider,
    }
    if not staff:
        context["reassessment_form"] = bound.get("reassessment_form") or ReassessmentRequestForm(
            prefix="reassessment"
        )
    return render(request, "registry/version_detail.html", context)


@login_required
@require_GET
def version_detail(request: HttpRequest, version_id: int) -> HttpResponse:
    """A version: its facts, the current assessment (status, obligations with dates) and
    its history (assessments, notifications, decisions with letters, reassessment requests)."""
    return _version_page(request, version_id)


@login_required
@require_POST
def reassessment_request(request: HttpRequest, version_id: int) -> HttpResponse:
    """The provider asks for its designated version to be reassessed (Art. 52(5))."""
    version = get_object_or_404(selectors.versions_visible_to(request), pk=version_id)
    if is_office_staff(request):
        raise PermissionDenied
    form = ReassessmentRequestForm(request.POST, prefix="reassessment")
    if form.is_valid():
        try:
            services.reassessment_request(
                actor=request.user, version=version, reasons=form.cleaned_data["reasons"]
            )
        except ValidationError as exc:
            _add_service_errors(form, exc)
        else:
            messages.success(request, _("Your request for a reassessment was received."))
            return redirect("registry:version_detail", version.pk)
    return _version_page(request, version_id, {"reassessment_form": form})


@require(can_take_art52_decisions)
@require_POST
def reassessment_decide(request: HttpRequest, request_id: int) -> HttpResponse:
    """A head of unit or legal officer answers a reassessment request (Art. 52(5))."""
    versions = selectors.versions_visible_to(request)
    item = get_object_or_404(
        ReassessmentRequest.objects.filter(version__in=versions.values("pk")), pk=request_id
    )
    form = ReassessmentDecisionForm(request.POST, prefix=f"reassess-{item.pk}")
    if form.is_valid():
        try:
            services.reassessment_decide(
                actor=request.user,
                request=item,
                kind=form.cleaned_data["kind"],
                reasons=form.cleaned_data["reasons"],
                decided_on=form.cleaned_data.get("decided_on"),
            )
        except ValidationError as exc:
            _add_service_errors(form, exc)
        else:
            messages.success(request, _("The decision on the request was taken."))
            return redirect("registry:version_detail", item.version_id)
    return _version_page(request, item.version_id, {f"reassessment_decide_{item.pk}": form})


@require(can_take_art52_decisions)
@require_http_methods(["GET", "POST"])
def version_designate(request: HttpRequest, version_id: int) -> HttpResponse:
    """Ex officio designation of a version (Art. 52(4)) with the Annex XIII criteria (a) to
    (g) it rests on, each with its reasons: a head of unit or legal officer."""
    version = get_object_or_404(selectors.versions_visible_to(request), pk=version_id)
    form = DesignationForm(request.POST or None, capability=capability_evidence(version))
    if request.method == "POST" and form.is_valid():
        try:
            services.decision_take(
                actor=request.user,
                version=version,
                kind=form.cleaned_data["kind"],
                reasons=form.cleaned_data["reasons"],
                decided_on=form.cleaned_data.get("decided_on"),
                annex_xiii=form.annex_xiii() or None,
                evidence=form.cited(),
            )
        except ValidationError as exc:
            _add_service_errors(form, exc, {"annex_xiii": ANNEX_XIII_ERROR_FIELD})
        else:
            messages.success(request, _("The version was designated."))
            return redirect("registry:version_detail", version.pk)
    return render(request, "registry/version_designate.html", {"form": form, "version": version})


# --- providers register their models, versions and representatives ---------------------------


@login_required
@require_http_methods(["GET", "POST"])
def model_register(request: HttpRequest) -> HttpResponse:
    """A provider's person (or its representative's) registers a model; the provider is
    entered in the registry the first time."""
    if is_office_staff(request):
        raise PermissionDenied
    organisations = services.provider_organisations_of(request.user)
    if not organisations:
        raise PermissionDenied
    form = ModelRegisterForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        try:
            model = services.model_register(
                actor=request.user,
                organisation=form.cleaned_data["organisation"],
                name=form.cleaned_data["name"],
                public_description=form.cleaned_data["public_description"],
            )
        except ValidationError as exc:
            _add_service_errors(form, exc)
        else:
            messages.success(request, _("The model was registered. Add its first version."))
            return redirect("registry:version_add", model.pk)
    return render(request, "registry/model_register.html", {"form": form})


def _version_form_page(
    request: HttpRequest, form: VersionForm, *, model: Any, version: Any = None
) -> HttpResponse:
    return render(
        request,
        "registry/version_form.html",
        {"form": form, "model": model, "version": version},
    )


@login_required
@require_http_methods(["GET", "POST"])
def version_add(request: HttpRequest, model_id: int) -> HttpResponse:
    """The provider adds a version with its facts; aiact assesses it at once."""
    model = get_object_or_404(selectors.models_visible_to(request), pk=model_id)
    if is_office_staff(request):
        raise PermissionDenied
    form = VersionForm(request.POST or None, versions=selectors.versions_visible_to(request))
    if request.method == "POST" and form.is_valid():
        try:
            version = services.version_create_assessed(
                actor=request.user, model=model, **form.facts()
            )
        except ValidationError as exc:
            _add_service_errors(form, exc, {"open_source": "os_released"})
        else:
            messages.success(request, _("The version was registered and assessed."))
            return redirect("registry:version_detail", version.pk)
    return _version_form_page(request, form, model=model)


@login_required
@require_http_methods(["GET", "POST"])
def version_edit(request: HttpRequest, version_id: int) -> HttpResponse:
    """The provider changes a version's facts; the change is audited and assessed again."""
    versions = selectors.versions_visible_to(request)
    version = get_object_or_404(versions, pk=version_id)
    if is_office_staff(request):
        raise PermissionDenied
    form = VersionForm(
        request.POST or None,
        initial=VersionForm.initial_of(version),
        versions=versions.exclude(pk=version.pk),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.version_update_assessed(actor=request.user, version=version, **form.facts())
        except ValidationError as exc:
            _add_service_errors(form, exc, {"open_source": "os_released"})
        else:
            messages.success(request, _("The facts were changed and the version assessed again."))
            return redirect("registry:version_detail", version.pk)
    return _version_form_page(request, form, model=version.model, version=version)


def _filtered_providers(request: HttpRequest, form: ProviderFilterForm) -> Any:
    providers = selectors.providers_visible_to(request).order_by("organisation__name", "id")
    if form.is_valid() and form.cleaned_data.get("lacks_representative"):
        lacking = form.cleaned_data["lacks_representative"] == "yes"
        providers = providers.filter(lacks_representative=lacking)
    return providers


@require(is_office_staff)
@require_GET
def provider_list(request: HttpRequest) -> HttpResponse:
    """Every GPAI provider, 25 a page; filter: lacking an authorised representative."""
    form = ProviderFilterForm(request.GET or None)
    page = Paginator(_filtered_providers(request, form), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "registry/provider_list.html",
        {"form": form, "page": page, "query": _query(form)},
    )


PROVIDER_CSV_COLUMNS = (
    "provider",
    "country",
    "established_in_union",
    "lacks_representative",
    "lacks_representative_since",
)


@require(is_office_staff)
@require_GET
def provider_list_csv(request: HttpRequest) -> HttpResponse:
    form = ProviderFilterForm(request.GET or None)
    rows = (
        (
            p.organisation.name,
            p.organisation.country,
            p.organisation.established_in_union,
            p.lacks_representative,
            p.lacks_representative_since,
        )
        for p in _filtered_providers(request, form).iterator(chunk_size=500)
    )
    return _download("providers.csv", PROVIDER_CSV_COLUMNS, rows)


@login_required
@require_GET
def provider_detail(request: HttpRequest, provider_id: int) -> HttpResponse:
    """A provider: its models, its mandates (with the written mandate), the flag raised
    when it lacks a representative, and what its people or its representative may do."""
    provider = get_object_or_404(selectors.providers_visible_to(request), pk=provider_id)
    staff = is_office_staff(request)
    own = set(
        Membership.objects.filter(user=cast(Any, request.user)).values_list(
            "organisation_id", flat=True
        )
    )
    today = timezone.now().date()
    mandates = list(provider.mandates.select_related("representative").order_by("-start", "-id"))
    for mandate in mandates:
        mandate.current = mandate.is_current_on(today)  # type: ignore[attr-defined]
        mandate.may_terminate = (  # type: ignore[attr-defined]
            not staff and mandate.current and mandate.representative_id in own  # type: ignore[attr-defined]
        )
    return render(
        request,
        "registry/provider_detail.html",
        {
            "provider": provider,
            "models": list(provider.models.order_by("name", "id")),
            "mandates": mandates,
            "staff": staff,
            "may_add_mandate": staff or provider.organisation_id in own,
            "may_register": not staff,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def mandate_add(request: HttpRequest, provider_id: int) -> HttpResponse:
    """The provider's people (or staff) record the written mandate of its representative."""
    provider = get_object_or_404(selectors.providers_visible_to(request), pk=provider_id)
    member = Membership.objects.filter(
        user=cast(Any, request.user), organisation_id=provider.organisation_id
    ).exists()
    if not is_office_staff(request) and not member:
        raise PermissionDenied
    form = MandateForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.mandate_record(
                actor=request.user,
                provider=provider,
                representative=data["representative"],
                document=data["mandate_document"],
                union_country=data["union_country"],
                tasks=data["tasks"],
                start=data["start"],
                end=data.get("end"),
            )
        except ValidationError as exc:
            _add_service_errors(form, exc)
        else:
            messages.success(request, _("The mandate was recorded."))
            return redirect("registry:provider_detail", provider.pk)
    return render(request, "registry/mandate_form.html", {"form": form, "provider": provider})


@login_required
@require_http_methods(["GET", "POST"])
def mandate_terminate(request: HttpRequest, mandate_id: int) -> HttpResponse:
    """The representative terminates its mandate with reasons (Art. 54(5)); the AI Office
    is informed (the audit trail and the provider's flag)."""
    mandate = get_object_or_404(selectors.mandates_visible_to(request), pk=mandate_id)
    member = Membership.objects.filter(
        user=cast(Any, request.user), organisation_id=mandate.representative_id
    ).exists()
    if is_office_staff(request) or not member:
        raise PermissionDenied
    form = TerminationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.representative_terminate(
                actor=request.user, mandate=mandate, reasons=form.cleaned_data["reasons"]
            )
        except ValidationError as exc:
            _add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _(
                    "The mandate is terminated. The AI Office is informed of the termination "
                    "and its reasons (Art. 54(5))."
                ),
            )
            return redirect("registry:mandate_terminate", mandate.pk)
    return render(request, "registry/mandate_terminate.html", {"form": form, "mandate": mandate})


@login_required
@require_GET
def mandate_document(request: HttpRequest, mandate_id: int) -> HttpResponse:
    """The written mandate, to those who see the mandate; its SHA-256 in a header."""
    mandate = get_object_or_404(selectors.mandates_visible_to(request), pk=mandate_id)
    response = download(
        mandate.mandate_document,
        filename=f"mandate-{mandate.pk}.pdf",
        content_type="application/pdf",
        sha256=mandate.mandate_sha256,
        size=mandate.mandate_size,
    )
    return cast(HttpResponse, response)


@login_required
@require_GET
def notification_document(
    request: HttpRequest, tracking_number: str, document_id: int
) -> HttpResponse:
    """Evidence filed with a notification or an answer to the Office's questions, to those
    who see the notification (its provider's people, AI Office staff); its SHA-256 in a
    header."""
    document = get_object_or_404(
        NotificationDocument.objects.filter(
            notification__in=selectors.notifications_visible_to(request).filter(
                tracking_number=tracking_number
            )
        ),
        pk=document_id,
    )
    response = download(
        document.document,
        filename=PurePath(document.document.name).name,
        content_type=document.content_type or "application/octet-stream",
        sha256=document.sha256,
        size=document.size,
    )
    return cast(HttpResponse, response)
