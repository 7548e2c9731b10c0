"""Pages of the compliance checker (docs/design/portal-checker.md).

The answers travel in the query string of GET forms: nothing about the visitor is stored
and no database query is made, except when they ask to receive the result by e-mail (a
POST on the result page). The legal answer is aiact's (``engine.compute``); these views
only read the answers, walk the flow and render.
"""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from aiact import ConflictError, InputError
from aioffice.core.htmx import is_htmx, render_page_or_fragment
from aioffice.core.ratelimit import client_key
from aioffice.portal import checker as engine
from aioffice.portal.checker import mail
from aioffice.portal.checker._flows import Flow, Question

STEP_TEMPLATE = "portal/checker/step.html"
RESULT_TEMPLATE = "portal/checker/result.html"


class CheckerEmailForm(forms.Form):
    email = forms.EmailField(
        label=gettext_lazy("Your e-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "class": "ecl-text-input"}),
    )


def _flow_or_404(key: str) -> Flow:
    if key not in engine.FLOW_KEYS:
        raise Http404
    return engine.current(key)


def _problem_page(
    request: HttpRequest, flow: Flow, problems: dict[str, str], *, step_url: str | None = None
) -> HttpResponse:
    """The 400 page: what is wrong, by question, and a way back to the questions."""
    return render(
        request,
        "portal/checker/problem.html",
        {
            "flow": flow,
            "problems": problems,
            "step_url": step_url or reverse("portal:checker_step", kwargs={"flow": flow.key}),
        },
        status=400,
    )


def _unknown_question(request: HttpRequest, flow: Flow, name: str) -> HttpResponse:
    message = _("There is no question “%(name)s” in this checker.") % {"name": name[:64]}
    return _problem_page(request, flow, {name[:64]: message})


def _display(question: Question, answer: engine.Answer) -> list[str]:
    """The visitor's answer in words (translated option labels, or the value typed)."""
    if question.kind in ("radio", "checkbox"):
        return [_(question.by_value[v].label) for v in answer.values]
    return list(answer.values)


def _answered(walk: engine.Walk, step: str, *, editable: bool) -> list[dict[str, Any]]:
    """The questions answered on the path, each with its answer and a link to change it."""
    rows = []
    for q in walk.path:
        pairs = [*walk.pairs(everything=True), ("v", walk.flow.version), ("edit", q.id)]
        rows.append(
            {
                "id": q.id,
                "text": _(q.text),
                "answer": _display(q, walk.answers[q.id]),
                "change_url": f"{step}?{urlencode(pairs)}" if editable else None,
            }
        )
    return rows


@require_safe
def checker(request: HttpRequest) -> HttpResponse:
    """What the checker is, and the choice between AI systems and GPAI models."""
    flows = [engine.current(key) for key in engine.FLOW_KEYS]
    return render(request, "portal/checker/index.html", {"flows": flows})


@require_safe
def checker_step(request: HttpRequest, flow: str) -> HttpResponse:
    """The next question, given the answers so far (all in the query string)."""
    the_flow = _flow_or_404(flow)
    step_url = reverse("portal:checker_step", kwargs={"flow": the_flow.key})
    version = request.GET.get("v")
    if version and version != the_flow.version:
        if version in engine.versions(the_flow.key):
            # Answers to questions that have changed since: start again with today's.
            return HttpResponseRedirect(step_url)
        return _problem_page(request, the_flow, {"v": _("This version of the checker is unknown.")})
    asked = request.GET.get("q")
    if asked is not None and asked not in the_flow.by_id:
        return _unknown_question(request, the_flow, asked)
    walk = engine.read(the_flow, request.GET.lists(), asked=asked)
    edit = request.GET.get("edit")
    editing: Question | None = None
    if edit is not None:
        if edit not in the_flow.by_id:
            return _unknown_question(request, the_flow, edit)
        if edit in walk.answers and not walk.problems:
            editing = the_flow.by_id[edit]
    current = editing or walk.current
    other = {k: v for k, v in walk.problems.items() if current is None or k != current.id}
    if other:
        return _problem_page(request, the_flow, other)
    if current is None:
        target = f"{reverse('portal:checker_result', kwargs={'flow': the_flow.key})}?{walk.query()}"
        if is_htmx(request):
            response = HttpResponse()
            response["HX-Redirect"] = target
            return response
        return HttpResponseRedirect(target)
    error = walk.problems.get(current.id)
    chosen = walk.answers[current.id].values if current.id in walk.answers else ()
    if current.id in [q.id for q in walk.path]:
        number = [q.id for q in walk.path].index(current.id) + 1
    else:
        number = len(walk.path) + 1
    context = {
        "flow": the_flow,
        "question": current,
        "question_text": _(current.text),
        "question_help": _(current.help) if current.help else "",
        "options": [
            {
                "value": o.value,
                "label": _(o.label),
                "help": _(o.help) if o.help else "",
                "checked": o.value in chosen,
                "exclusive": o.exclusive,
            }
            for o in current.options
        ],
        "value": chosen[0] if chosen and current.kind in ("date", "number") else "",
        "error": error,
        "number": number,
        "hidden": [*walk.pairs(skip=current.id, everything=True), ("v", the_flow.version)],
        "answered": _answered(walk, step_url, editable=True),
        "step_url": step_url,
        "editing": editing is not None,
        "autofocus": is_htmx(request),
    }
    response = render_page_or_fragment(request, STEP_TEMPLATE, "step", context)
    if error:
        response.status_code = 400
    return response


def _as_of(request: HttpRequest) -> tuple[date, bool] | str:
    """The date the law is applied on (today in UTC unless the visitor chose one), and
    whether it was chosen; or a problem text."""
    raw = request.GET.get("as_of", "").strip()
    if not raw:
        return timezone.now().date(), False
    try:
        if len(raw) != 10:
            raise ValueError(raw)
        return date.fromisoformat(raw), True
    except ValueError:
        return _(
            "The date the law is applied on: write a date as year-month-day, "
            "for example 2027-12-02."
        )


def body_key(
    *, flow: str, version: str, query: str, on: date, language: str, rules_version: str
) -> str:
    """The cache key of a result's body (the tier, obligations, comparison, reasons and
    provisions): a pure function of the flow's version, the answers in canonical order with
    the date asked, the reader's language and the rules version, so that a new deployment
    of the rules or of the questions never serves an old body. Nothing of the visitor is in
    it (the e-mail form and its CSRF token are outside the cached part); the date the law is
    applied on is part of the key, so that tomorrow's visitor gets tomorrow's answer."""
    raw = "\x00".join((flow, version, query, on.isoformat(), language, rules_version))
    return hashlib.sha256(raw.encode()).hexdigest()


@require_http_methods(["GET", "HEAD", "POST"])
def checker_result(request: HttpRequest, flow: str) -> HttpResponse:
    """aiact's answer for the answers in the query string, under both texts of the law;
    a POST sends the result by e-mail to the address given."""
    now_flow = _flow_or_404(flow)
    version = request.GET.get("v")
    the_flow = engine.flow_version(flow, version or None)
    if the_flow is None:
        return _problem_page(request, now_flow, {"v": _("This version of the checker is unknown.")})
    as_of = _as_of(request)
    if isinstance(as_of, str):
        return _problem_page(request, now_flow, {"as_of": as_of})
    on, chosen = as_of
    walk = engine.read(the_flow, request.GET.lists())
    step_url = reverse("portal:checker_step", kwargs={"flow": flow})
    old = the_flow.version != now_flow.version
    if walk.problems:
        return _problem_page(request, the_flow, dict(walk.problems))
    if walk.current is not None:
        missing = walk.current
        return _problem_page(
            request,
            the_flow,
            {
                missing.id: _("“%(question)s”: this question has no answer yet.")
                % {"question": _(missing.text)}
            },
            step_url=None
            if old
            else f"{step_url}?{urlencode([*walk.pairs(), ('v', the_flow.version)])}",
        )
    language = (get_language() or "en")[:2]
    try:
        result = engine.compute(walk, as_of=on, language=language)
    except InputError as exc:
        question = engine.question_for_field(walk, exc.field)
        name = question.id if question is not None else exc.field
        text = _(question.text) if question is not None else exc.field
        return _problem_page(
            request,
            the_flow,
            {
                name: _("“%(question)s”: the rules engine cannot use this answer (%(detail)s).")
                % {"question": text, "detail": exc.message}
            },
        )
    except ConflictError as exc:
        return _problem_page(
            request,
            the_flow,
            {
                "result": _("The rules engine found two exceptions that both apply: %(detail)s")
                % {"detail": exc.message}
            },
        )
    result_url = reverse("portal:checker_result", kwargs={"flow": flow})
    extra = {"as_of": on.isoformat()} if chosen else {}
    share_path = f"{result_url}?{walk.query(**extra)}"
    form = CheckerEmailForm()
    status = 200
    if request.method == "POST":
        form = CheckerEmailForm(request.POST)
        if form.is_valid():
            try:
                mail.checker_email_request(
                    actor=request.user if request.user.is_authenticated else None,
                    email=form.cleaned_data["email"],
                    flow=flow,
                    result_path=share_path,
                    language=language,
                    client=client_key(request),
                    base_url=request.build_absolute_uri("/"),
                )
            except ValidationError as exc:
                for message in exc.message_dict.get("email", []):
                    form.add_error("email", message)
                status = 429 if mail.is_rate_limited(exc) else 400
            else:
                return render(
                    request,
                    "portal/checker/email_sent.html",
                    {
                        "flow": the_flow,
                        "share_path": share_path,
                        "retention_days": mail.retention_days(),
                    },
                )
        else:
            status = 400
    context = {
        "flow": the_flow,
        "current_version": now_flow.version,
        "old_version": old,
        "result": result,
        "as_of": on,
        "as_of_chosen": chosen,
        "answered": _answered(walk, step_url, editable=not old),
        "restart_url": step_url,
        "share_url": request.build_absolute_uri(share_path),
        "print_url": f"{share_path}&print=1",
        "post_url": share_path,
        "hidden": [*walk.pairs(), ("v", the_flow.version)],
        "form": form,
        "retention_days": mail.retention_days(),
        "body_key": body_key(
            flow=flow,
            version=the_flow.version,
            query=walk.query(),
            on=on,
            language=language,
            rules_version=result.rules_version,
        ),
    }
    template = "portal/checker/print.html" if request.GET.get("print") == "1" else RESULT_TEMPLATE
    return render(request, template, context, status=status)
