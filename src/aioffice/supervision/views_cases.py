"""The case pages.

* Office staff (after the second factor): the register of cases (reference, title,
  provider, status, team; never a file's content), with its CSV twin, and the form that
  opens a case (`?intake=ID` repeated preselects the reports it comes from).
* The case file (`case_detail`): for its team, with a form for each procedural step, each
  posting to one service (services_cases); for a national authority it is shared with,
  read-only. Every opening is written to the audit trail (selectors_cases).
* The provider's side (`my_cases`, `my_case`): its own cases and only what was sent to it:
  requests for information (answered here, with documents), preliminary findings
  (observations here), measures, notified decisions and its deadlines.
* National authorities: the cases shared with them (`shared_cases`).

A service's ValidationError is shown next to the field it names; PermissionDenied is a 403.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_DOWN, Decimal
from typing import Any, cast
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

import aiact
from aioffice.accounts.choices import Role
from aioffice.core.exports import csv_response
from aioffice.core.files import download
from aioffice.core.htmx import render_page_or_fragment
from aioffice.core.permissions import is_office_staff, login_required, require
from aioffice.supervision import permissions, selectors_cases, services_cases
from aioffice.supervision.forms_cases import (
    AccessGrantedForm,
    AccessRequestForm,
    CaseFilterForm,
    CaseForm,
    CloseForm,
    CommitmentsForm,
    DecisionForm,
    DialogueForm,
    DocumentForm,
    EvaluationFindingsForm,
    EvaluationForm,
    ExpertForm,
    FindingsForm,
    LinkIntakeForm,
    LinkRunForm,
    MeasureFollowUpForm,
    MeasureForm,
    NotifyForm,
    ObservationsForm,
    RfiAnswerForm,
    RfiForm,
    ShareForm,
    ShareRevokeForm,
    StepForm,
    TeamAddForm,
    TeamRemoveForm,
)
from aioffice.supervision.models import (
    Art92Evaluation,
    Case,
    CaseShare,
    Decision,
    Document,
)

CASES_PER_PAGE = 25


def add_errors(
    form: forms.Form, exc: ValidationError, rename: dict[str, str] | None = None
) -> None:
    """A service's errors next to the field they name (renamed where the form calls it
    otherwise); the others above the form."""
    rename = rename or {}
    if not hasattr(exc, "error_dict"):
        for message in exc.messages:
            form.add_error(None, message)
        return
    for name, errors in exc.message_dict.items():
        field = rename.get(name, name)
        for message in errors:
            form.add_error(field if field in form.fields else None, message)


def _csv(filename: str, header: tuple[str, ...], rows: Iterator[tuple[Any, ...]]) -> HttpResponse:
    return cast(HttpResponse, csv_response(filename, header, rows))


# --- the register -------------------------------------------------------------------------


def _register(request: HttpRequest) -> tuple[CaseFilterForm, QuerySet[Case], str]:
    form = CaseFilterForm(request.GET or None)
    cases = selectors_cases.cases_visible_to(request)
    query = ""
    if form.is_valid():
        data = form.cleaned_data
        if data.get("status"):
            cases = cases.filter(status=data["status"])
        if data.get("origin"):
            cases = cases.filter(origin=data["origin"])
        if data.get("provider"):
            cases = cases.filter(provider=data["provider"])
        query = urlencode(
            {k: (v.pk if hasattr(v, "pk") else v) for k, v in data.items() if v not in (None, "")}
        )
    return form, cases, query


@require(is_office_staff)
@require_GET
def case_list(request: HttpRequest) -> HttpResponse:
    """The register of cases: reference, title, provider, status and team."""
    form, cases, query = _register(request)
    page = Paginator(cases, CASES_PER_PAGE).get_page(request.GET.get("page"))
    return render_page_or_fragment(
        request,
        "supervision/cases/case_list.html",
        "results",
        {
            "form": form,
            "page": page,
            "query": query,
            "may_open": permissions.may_open_cases(request.user),
        },
    )


CASE_COLUMNS = (
    "reference",
    "title",
    "provider",
    "origin",
    "status",
    "opened_on",
    "closed_on",
    "outcome",
    "lead",
    "team",
)


def _team_names(case: Case) -> tuple[str, str]:
    members = list(case.team.all())
    lead = next((m.user.username for m in members if m.role == "lead"), "")
    return lead, " ".join(sorted(m.user.username for m in members))


@require(is_office_staff)
@require_GET
def case_list_csv(request: HttpRequest) -> HttpResponse:
    _form, cases, _query = _register(request)

    def rows() -> Iterator[tuple[Any, ...]]:
        for case in cases.iterator(chunk_size=500):
            lead, team = _team_names(case)
            yield (
                case.reference,
                case.title,
                case.provider.organisation.name,
                case.origin,
                case.status,
                case.opened_on,
                case.closed_on,
                case.outcome,
                lead,
                team,
            )

    return _csv("supervision-cases.csv", CASE_COLUMNS, rows())


@require(is_office_staff)
@require_http_methods(["GET", "POST"])
def case_new(request: HttpRequest) -> HttpResponse:
    """Open a case; `?intake=ID` (repeated) preselects the reports it comes from."""
    if not permissions.may_open_cases(request.user):
        raise PermissionDenied
    initial: dict[str, Any] = {}
    chosen = [
        int(v)
        for v in request.GET.getlist("intake")
        if v.isascii() and v.isdigit() and len(v) <= 18
    ]
    if chosen:
        initial["intakes"] = chosen
    form = CaseForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = services_cases.case_open(
                actor=request.user,
                provider=data["provider"],
                title=data["title"],
                origin=data["origin"],
                versions=list(data["versions"]),
                intakes=list(data["intakes"]),
                summary=data["summary"],
                opened_on=data["opened_on"],
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Case %(ref)s is opened.") % {"ref": case.reference})
            return redirect("supervision:case_detail", case.pk)
    return render(request, "supervision/cases/case_form.html", {"form": form})


# --- the case file --------------------------------------------------------------------------


Handler = Callable[[HttpRequest, Case, Any], str]


@dataclass(frozen=True)
class Step:
    form: type[StepForm]
    handler: Handler
    title: Any  # a lazily translated string
    rename: dict[str, str] | None = None
    files: bool = False


def _team_add(request: HttpRequest, case: Case, d: dict[str, Any]) -> str:
    services_cases.case_team_add(actor=request.user, case=case, user=d["user"], role=d["role"])
    return _("%(user)s is on the team.") % {"user": d["user"].username}


def _team_remove(request: HttpRequest, case: Case, d: dict[str, Any]) -> str:
    services_cases.case_team_remove(actor=request.user, case=case, user=d["user"])
    return _("%(user)s is no longer on the team.") % {"user": d["user"].username}


def _share(request: HttpRequest, case: Case, d: dict[str, Any]) -> str:
    services_cases.case_share(
        actor=request.user, case=case, authority=d["authority"], reason=d["reason"]
    )
    return _("The case is shared with %(name)s.") % {"name": d["authority"].name}


def _share_revoke(request: HttpRequest, case: Case, d: dict[str, Any]) -> str:
    services_cases.case_share_revoke(actor=request.user, share=d["share"])
    return _("Sharing with %(name)s is revoked.") % {"name": d["share"].authority.name}


def _link_intake(request: HttpRequest, case: Case, d: dict[str, Any]) -> str:
    services_cases.case_link_intake(actor=request.user, case=case, intake=d["intake"])
    return _("Report %(number)s is linked.") % {"number": d["intake"].tracking_number}


def _rfi(request: HttpRequest, case: Case, d: dict[str, Any]) -> str:
    rfi = services_cases.rfi_send(
        actor=request.user,
        case=case,
        legal_basis=d["legal_basis"],
        purpose=d["purpose"],
        information_required=d["information_required"],
        time_limit_days=d["time_limit_days"],
        fines_notice=d["fines_notice"],
        panel_request=d["panel_request"],
        sent_on=d["sent_on"],
    )
    return _("The request for information is sent; the answer is due on %(due)s.") % {
        "due": rfi.due_on.isoformat()
    }


def _dialogue(request: HttpRequest, case: Case, d: dict[str, Any]) -> str:
    services_cases.dialogue_record(
        actor=request.user,
        case=case,
        held_on=d["held_on"],
        purpose=d["purpose"],
        attendees=d["attendees"],
        notes=d["notes"],
    )
    return _("The meeting is recorded.")


def _evaluation(request: HttpRequest, case: Case, d: dict[str, Any]) -> str:
    services_cases.evaluation_open(
        actor=request.user,
        case=case,
        ground=d["ground"],
        board_consulted_on=d["board_consulted_on"],
        board_consultation=d["board_consultation"],
        opened_on=d["opened_on"],
    )
    return _("The evaluation is opened.")


def _access_request(request: HttpRequest, case: Case, d: dict[str, Any]) -> str:
    services_cases.evaluation_request_access(
        actor=request.user,
        evaluation=d["evaluation"],
        legal_basis=d["legal_basis"],
        purpose=d["purpose"],
        reasons=d["reasons"],
        means=d["means"],
        time_limit_days=d["time_limit_days"],
        fines_notice=d["fines_notice"],
        requested_on=d["requested_on"],
    )
    return _("Access is requested.")


def _access_granted(request: HttpRequest, case: Case, d: dict[str, Any]) -> str:
    services_cases.evaluation_access_granted(
        actor=request.user, evaluation=d["evaluation"], granted_on=d["granted_on"]
    )
    return _("Access is recorded as granted.")


def _expert(request: HttpRequest, case: Case, d: dict[str, Any]) -> str:
    services_cases.expert_appoint(
        actor=request.user,
        evaluation=d["evaluation"],
        name=d["name"],
        affiliation=d["affiliation"],
        from_scientific_panel=d["from_scientific_panel"],
        declaration_of_interests=d["declaration_of_interests"],
        declared_on=d["declared_on"],
        conflict_of_interest=d["conflict_of_interest"],
        appointed_on=d["appointed_on"],
    )
    return _("%(name)s is appointed.") % {"name": d["name"]}


def _link_run(request: HttpRequest, case: Case, d: dict[str, Any]) -> str:
    services_cases.evaluation_link_run(actor=request.user, evaluation=d["evaluation"], run=d["run"])
    return _("Run #%(number)s is linked.") % {"number": d["run"].pk}


def _evaluation_findings(request: HttpRequest, case: Case, d: dict[str, Any]) -> str:
    services_cases.evaluation_record_findings(
        actor=request.user,
        evaluation=d["evaluation"],
        findings=d["findings"],
        serious_concern=d["serious_concern"],
    )
    return _("The evaluation's findings are recorded.")


def _commitments(request: HttpRequest, case: Case, d: dict[str, Any]) -> str:
    services_cases.commitments_record(
        actor=request.user,
        case=case,
        meeting=d["meeting"],
        text=d["text"],
        offered_on=d["offered_on"],
    )
    return _("The commitments are recorded.")


def _findings(request: HttpRequest, case: Case, d: dict[str, Any]) -> str:
    found = services_cases.findings_send(
        actor=request.user,
        case=case,
        findings=d["findings"],
        measures_considered=d["measures_considered"],
        answer_by=d["answer_by"],
        urgent=d["urgent"],
        urgency_grounds=d["urgency_grounds"],
        sent_on=d["sent_on"],
    )
    return _("The preliminary findings are sent; observations are due by %(date)s.") % {
        "date": found.answer_by.isoformat()
    }


def _measure(request: HttpRequest, case: Case, d: dict[str, Any]) -> str:
    services_cases.measure_request(
        actor=request.user,
        case=case,
        kind=d["kind"],
        description=d["description"],
        grounds=d["grounds"],
        due_on=d["due_on"],
        evaluation=d["evaluation"],
        requested_on=d["requested_on"],
    )
    return _("The measure is requested.")


def _follow_up(request: HttpRequest, case: Case, d: dict[str, Any]) -> str:
    services_cases.measure_follow_up(
        actor=request.user,
        measure=d["measure"],
        status=d["status"],
        follow_up=d["follow_up"],
        followed_up_on=d["followed_up_on"],
    )
    return _("The follow-up is recorded.")


def fine_terms(data: dict[str, Any], factors: dict[str, str]) -> Any:
    return services_cases.FineTerms(
        ground=data["fine_ground"],
        culpability=data["fine_culpability"],
        turnover_eur=Decimal(data["turnover_eur"]),
        turnover_year=int(data["turnover_year"]),
        amount_eur=Decimal(data["amount_eur"]),
        factors=factors,
    )


def _decision(request: HttpRequest, case: Case, form: Any) -> str:
    d = form.cleaned_data
    decision = services_cases.decision_adopt(
        actor=request.user,
        case=case,
        kind=d["kind"],
        reasons=d["reasons"],
        remedies=d["remedies"],
        findings=d["findings"],
        measures=list(d["measures"]),
        commitment=d["commitment"],
        fine=fine_terms(d, form.factors()) if form.is_fine() else None,
        adopted_on=d["adopted_on"],
    )
    return _("The decision is adopted (SHA-256 %(sha)s); notify it next.") % {
        "sha": decision.sha256
    }


def _notify(request: HttpRequest, case: Case, d: dict[str, Any]) -> str:
    services_cases.decision_notify(
        actor=request.user, decision=d["decision"], notified_on=d["notified_on"]
    )
    return _("The decision is notified.")


def _document(request: HttpRequest, case: Case, d: dict[str, Any]) -> str:
    document = services_cases.document_add(
        actor=request.user,
        case=case,
        upload=d["file"],
        title=d["title"],
        visible_to_provider=d["visible_to_provider"],
        supersedes=d["supersedes"],
    )
    return _("%(title)s (version %(version)s) is stored.") % {
        "title": document.title,
        "version": document.version,
    }


def _close(request: HttpRequest, case: Case, d: dict[str, Any]) -> str:
    services_cases.case_close(
        actor=request.user,
        case=case,
        outcome=d["outcome"],
        reasons=d["reasons"],
        closed_on=d["closed_on"],
    )
    return _("The case is closed.")


DECISION_RENAME = {
    "ground": "fine_ground",
    "culpability": "fine_culpability",
    "fine": "amount_eur",
    "fine_eur": "amount_eur",
    "on": "adopted_on",
}

STEPS: dict[str, Step] = {
    "team_add": Step(TeamAddForm, _team_add, gettext_lazy("Add to the team")),
    "team_remove": Step(TeamRemoveForm, _team_remove, gettext_lazy("Remove from the team")),
    "share": Step(ShareForm, _share, gettext_lazy("Share with a national authority")),
    "share_revoke": Step(ShareRevokeForm, _share_revoke, gettext_lazy("Revoke a share")),
    "link_intake": Step(LinkIntakeForm, _link_intake, gettext_lazy("Link a report")),
    "rfi": Step(
        RfiForm, _rfi, gettext_lazy("Request for information (Art. 91)"), {"on": "sent_on"}
    ),
    "dialogue": Step(DialogueForm, _dialogue, gettext_lazy("Structured dialogue meeting")),
    "evaluation": Step(
        EvaluationForm,
        _evaluation,
        gettext_lazy("Open an evaluation (Art. 92)"),
        {"on": "opened_on"},
    ),
    "access_request": Step(
        AccessRequestForm,
        _access_request,
        gettext_lazy("Access request (Art. 92(3)-(4))"),
        {"on": "requested_on"},
    ),
    "access_granted": Step(AccessGrantedForm, _access_granted, gettext_lazy("Access granted")),
    "expert": Step(ExpertForm, _expert, gettext_lazy("Appoint an independent expert (Art. 92(2))")),
    "link_run": Step(LinkRunForm, _link_run, gettext_lazy("Link an evaluation run")),
    "evaluation_findings": Step(
        EvaluationFindingsForm, _evaluation_findings, gettext_lazy("Findings of the evaluation")
    ),
    "commitments": Step(CommitmentsForm, _commitments, gettext_lazy("Commitments (Art. 93(3))")),
    "findings": Step(
        FindingsForm,
        _findings,
        gettext_lazy("Preliminary findings (right to be heard)"),
        {"on": "sent_on"},
    ),
    "measure": Step(
        MeasureForm,
        _measure,
        gettext_lazy("Request a measure (Art. 93(1))"),
        {"on": "requested_on"},
    ),
    "follow_up": Step(MeasureFollowUpForm, _follow_up, gettext_lazy("Follow up a measure")),
    "decision": Step(DecisionForm, _decision, gettext_lazy("Adopt a decision"), DECISION_RENAME),
    "notify": Step(NotifyForm, _notify, gettext_lazy("Notify a decision")),
    "document": Step(DocumentForm, _document, gettext_lazy("Add a document"), files=True),
    "close": Step(CloseForm, _close, gettext_lazy("Close the case"), {"on": "closed_on"}),
}


def _case_file(case: Case) -> dict[str, Any]:
    """Everything the case file shows, in a fixed number of queries."""
    team = list(case.team.select_related("user").order_by("-role", "user__username"))
    shares = list(
        CaseShare.objects.filter(case=case)
        .select_related("authority", "shared_by")
        .order_by("-shared_at")
    )
    steps = list(case.steps.select_related("actor").order_by("occurred_on", "id"))
    evaluations = list(
        Art92Evaluation.objects.filter(case=case)
        .prefetch_related("experts", "runs__version__model")
        .order_by("opened_on", "id")
    )
    decisions = list(
        Decision.objects.filter(case=case)
        .select_related("fine", "adopted_by")
        .order_by("adopted_on", "id")
    )
    documents = list(
        Document.objects.filter(case=case)
        .select_related("uploaded_by", "superseded_by")
        .order_by("uploaded_at", "id")
    )
    return {
        "case": case,
        "versions": list(case.versions.select_related("model")),
        "intakes": list(case.intakes.all()),
        "team": team,
        "shares": shares,
        "steps": steps,
        "requests": list(
            case.information_requests.prefetch_related(
                Prefetch("documents", queryset=Document.objects.order_by("uploaded_at", "id"))
            ).order_by("-sent_on", "-id")
        ),
        "meetings": list(case.meetings.order_by("held_on", "id")),
        "evaluations": evaluations,
        "measures": list(case.measures.order_by("requested_on", "id")),
        "commitments": list(
            case.commitments.select_related("meeting").order_by("offered_on", "id")
        ),
        "findings": list(case.findings.order_by("sent_on", "id")),
        "decisions": decisions,
        "documents": documents,
        "deadlines": list(case.deadlines.order_by("due_on", "id")),
        "today": timezone.now().date(),
    }


def fine_ceiling(turnover: Any) -> Any:
    """The ceiling of Art. 101(1) for a turnover (FINE-01), or None if it is not one."""
    try:
        amount = Decimal(str(turnover).strip())
    except ArithmeticError:
        return None
    if not amount.is_finite() or amount < 0 or amount > Decimal("1e18"):
        return None
    amount = amount.quantize(Decimal("0.01"), rounding=ROUND_DOWN)
    return aiact.gpai_fine_ceiling(
        turnover_eur=amount, on=timezone.now().date(), law=aiact.load_law()
    )


def hearing_minimum(sent_on: date | None = None) -> date | None:
    """When the minimum period of the right to be heard ends for findings sent on a day."""
    day = sent_on or timezone.now().date()
    try:
        check = aiact.procedure_check(
            "hearing",
            {"sent_on": day, "answer_by": day, "urgent": False, "urgency_grounds": ""},
            on=day,
            law=aiact.load_law(),
        )
    except aiact.InputError:
        return None
    found = check.data.get("minimum_period_ends")
    return found if isinstance(found, date) else None


def _forms(case: Case, bound: tuple[str, StepForm] | None = None) -> dict[str, StepForm]:
    found = {name: step.form(case=case, prefix=name) for name, step in STEPS.items()}
    if bound is not None:
        found[bound[0]] = bound[1]
    return found


def _render_case(
    request: HttpRequest, case: Case, bound: tuple[str, StepForm] | None = None, status: int = 200
) -> HttpResponse:
    context = _case_file(case)
    team_member = selectors_cases.may_act_on_case(request, case)
    context["team_member"] = team_member
    context["may_manage_team"] = team_member and permissions.may_manage_team(request.user, case)
    context["may_decide"] = team_member and permissions.may_decide(request.user, case)
    if team_member:
        forms_ = _forms(case, bound)
        context["step_forms"] = [
            (name, STEPS[name].title, forms_[name], STEPS[name].files) for name in STEPS
        ]
        decision_form = forms_["decision"]
        turnover = (
            decision_form.data.get("decision-turnover_eur") if decision_form.is_bound else None
        )
        ceiling = fine_ceiling(turnover or "0")
        context["ceiling"] = ceiling
        context["ceiling_for_turnover"] = bool(turnover)
        if ceiling is not None:  # next to the amount too
            maximum = ceiling.to_json()["maximum_eur"]
            decision_form.fields["amount_eur"].help_text = (
                _("Ceiling for the turnover entered (Art. 101(1)): EUR %(maximum)s.")
                if turnover
                else _(
                    "Ceiling (Art. 101(1)): the higher of 3 %% of the turnover and EUR %(maximum)s."
                )
            ) % {"maximum": maximum}
        minimum = hearing_minimum()
        context["hearing_minimum"] = minimum
        if minimum is not None:
            forms_["findings"].fields["answer_by"].help_text = _(
                "Sent today: at least until %(day)s (ten working days), unless urgency is "
                "recorded with its grounds."
            ) % {"day": minimum.isoformat()}
    return render(request, "supervision/cases/case_detail.html", context, status=status)


@login_required
@require_GET
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    """The case file: its team, or read-only a national authority it is shared with."""
    case = selectors_cases.case_file_for(request, case_id)
    return _render_case(request, case)


@login_required
@require_POST
def case_step(request: HttpRequest, case_id: int, step: str) -> HttpResponse:
    """One procedural step, posted from the case file to its service."""
    if step not in STEPS:
        raise Http404
    case = selectors_cases.case_for_step(request, case_id)
    spec = STEPS[step]
    form = spec.form(request.POST, request.FILES or None, case=case, prefix=step)
    if form.is_valid():
        try:
            data: Any = form if step == "decision" else form.cleaned_data
            done = spec.handler(request, case, data)
        except ValidationError as exc:
            add_errors(form, exc, spec.rename)
        else:
            messages.success(request, done)
            back = reverse("supervision:case_detail", args=[case.pk])
            return redirect(f"{back}#step-{step}")
    return _render_case(request, case, (step, form), status=200)


@login_required
@require_GET
def document_download(request: HttpRequest, document_id: int) -> HttpResponse:
    """A case's document, its SHA-256 in the headers (the opening is audited)."""
    document = selectors_cases.document_for(request, document_id)
    return cast(
        HttpResponse,
        download(
            document.file,
            filename=document.filename,
            content_type=document.content_type,
            sha256=document.sha256,
            size=document.size,
        ),
    )


@login_required
@require_GET
def decision_pdf(request: HttpRequest, decision_id: int) -> HttpResponse:
    """A decision as the PDF that was adopted, its SHA-256 in the headers."""
    decision = selectors_cases.decision_for(request, decision_id)
    return cast(
        HttpResponse,
        download(
            decision.document,
            filename=f"{decision.case.reference}-decision-{decision.pk}.pdf",
            content_type="application/pdf",
            sha256=decision.sha256,
            size=decision.size,
        ),
    )


# --- national authorities --------------------------------------------------------------------


def _is_authority_member(request: HttpRequest) -> bool:
    user: Any = request.user
    return bool(
        user.is_authenticated and user.is_active and user.has_role(Role.NATIONAL_AUTHORITY_MEMBER)
    )


@require(_is_authority_member)
@require_GET
def shared_cases(request: HttpRequest) -> HttpResponse:
    """The cases shared with the user's national authority (read-only)."""
    page = Paginator(
        selectors_cases.cases_shared_with(request).order_by("-opened_at", "-id"), CASES_PER_PAGE
    ).get_page(request.GET.get("page"))
    return render(request, "supervision/cases/shared_cases.html", {"page": page})


# --- the provider's side ---------------------------------------------------------------------


def _is_provider_side(request: HttpRequest) -> bool:
    return selectors_cases.providers_of(request).exists()


def _is_organisation_member(request: HttpRequest) -> bool:
    user: Any = request.user
    if user.is_active and user.has_role(Role.ORGANISATION_MEMBER):
        return True
    return _is_provider_side(request)


@require(_is_organisation_member)
@require_GET
def my_cases(request: HttpRequest) -> HttpResponse:
    """The provider's own cases."""
    page = Paginator(
        selectors_cases.provider_cases(request).order_by("-opened_at", "-id"), CASES_PER_PAGE
    ).get_page(request.GET.get("page"))
    return render(request, "supervision/cases/my_cases.html", {"page": page})


def _render_my_case(
    request: HttpRequest,
    case: Case,
    answer: tuple[int, RfiAnswerForm] | None = None,
    observe: tuple[int, ObservationsForm] | None = None,
) -> HttpResponse:
    view = selectors_cases.provider_view(case)
    today = timezone.now().date()
    requests = []
    for rfi in view.requests:
        form = None
        if rfi.answered_on is None:
            form = (
                answer[1]
                if answer and answer[0] == rfi.pk
                else RfiAnswerForm(prefix=f"rfi-{rfi.pk}")
            )
        requests.append((rfi, rfi.overdue_on(today), form))
    findings = []
    for found in view.findings:
        form_ = None
        if found.observed_on is None:
            form_ = (
                observe[1]
                if observe and observe[0] == found.pk
                else ObservationsForm(prefix=f"findings-{found.pk}")
            )
        findings.append((found, form_))
    return render(
        request,
        "supervision/cases/my_case.html",
        {"view": view, "case": case, "requests": requests, "findings": findings, "today": today},
    )


@require(_is_provider_side)
@require_GET
def my_case(request: HttpRequest, case_id: int) -> HttpResponse:
    """What was sent to the provider in one of its cases."""
    case = selectors_cases.provider_case_for(request, case_id)
    return _render_my_case(request, case)


@require(_is_provider_side)
@require_POST
def my_rfi_answer(request: HttpRequest, request_id: int) -> HttpResponse:
    """The provider's answer to a request for information, with documents."""
    rfi = selectors_cases.provider_request_for(request, request_id)
    form = RfiAnswerForm(request.POST, request.FILES, prefix=f"rfi-{rfi.pk}")
    if form.is_valid():
        try:
            services_cases.rfi_answer(
                actor=request.user,
                request=rfi,
                answer=form.cleaned_data["answer"],
                files=form.uploads(),
                answered_on=form.cleaned_data["answered_on"],
            )
        except ValidationError as exc:
            add_errors(form, exc, {"on": "answered_on", "files": "documents", "file": "documents"})
        else:
            messages.success(request, _("Your answer is sent."))
            return redirect(reverse("supervision:my_case", args=[rfi.case_id]) + f"#rfi-{rfi.pk}")
    return _render_my_case(request, rfi.case, answer=(rfi.pk, form))


@require(_is_provider_side)
@require_POST
def my_findings_observe(request: HttpRequest, findings_id: int) -> HttpResponse:
    """The provider's observations on preliminary findings (the right to be heard)."""
    found = selectors_cases.provider_findings_for(request, findings_id)
    form = ObservationsForm(request.POST, prefix=f"findings-{found.pk}")
    if form.is_valid():
        try:
            services_cases.findings_observe(
                actor=request.user,
                findings=found,
                observations=form.cleaned_data["observations"],
                observed_on=form.cleaned_data["observed_on"],
            )
        except ValidationError as exc:
            add_errors(form, exc, {"on": "observed_on"})
        else:
            messages.success(request, _("Your observations are sent."))
            return redirect(
                reverse("supervision:my_case", args=[found.case_id]) + f"#findings-{found.pk}"
            )
    return _render_my_case(request, found.case, observe=(found.pk, form))
