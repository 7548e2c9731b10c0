"""Pages of cooperation, part real-world testing (Art. 60, 61; Annex IX; Art. 71(4)).

`rwt_list`: the tests a person sees (providers: their own; market surveillance authorities;
the Office). `rwt_public` and its CSV twin: what the public sees. `rwt_detail`: one test,
cut to the Annex IX points its viewer may see, with the steps that viewer may take; each
step is a form page (`rwt_action`) calling one service. They parse, call, render."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from aioffice.cooperation import forms_rwt as f
from aioffice.cooperation import permissions_rwt as rules
from aioffice.cooperation import selectors_rwt as selectors
from aioffice.cooperation import services_rwt as services
from aioffice.cooperation.models_rwt import CONSENT_ITEMS, DECLARED_CONDITIONS, RealWorldTest
from aioffice.cooperation.models_rwt import RwtStatus as S
from aioffice.cooperation.permissions import is_staff_user
from aioffice.core.exports import csv_response
from aioffice.core.files import download_row
from aioffice.core.forms import form_saved
from aioffice.core.permissions import login_required

PAGE_SIZE = 25


def _who(request: HttpRequest) -> rules.Viewer:
    return rules.viewer(request.user, staff=is_staff_user(request.user))


# --- lists -----------------------------------------------------------------------------------


@login_required
@require_GET
def rwt_list(request: HttpRequest) -> HttpResponse:
    who = _who(request)
    if not rules.may_use(who):
        raise PermissionDenied
    tests = selectors.visible_tests(who)
    page = Paginator(tests, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "cooperation/rwt/list.html",
        {"page": page, "may_register": rules.may_register(request.user), "who": who},
    )


@require_GET
def rwt_public(request: HttpRequest) -> HttpResponse:
    form = f.PublicFilterForm(request.GET or None)
    filters = form.filters()
    tests = selectors.public_tests(**filters)
    page = Paginator(tests, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [selectors.public_record(t) for t in page.object_list]
    return render(
        request,
        "cooperation/rwt/public.html",
        {"form": form, "page": page, "rows": rows, "query": urlencode(filters)},
    )


@require_GET
def rwt_public_csv(request: HttpRequest) -> Any:
    form = f.PublicFilterForm(request.GET or None)
    tests = selectors.public_tests(**form.filters())
    return csv_response(
        "real-world-tests.csv", selectors.PUBLIC_CSV_HEADER, selectors.public_csv_rows(tests)
    )


# --- registration ----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def rwt_register(request: HttpRequest) -> HttpResponse:
    providers = rules.provider_organisations(request.user)
    if not providers.exists():
        raise PermissionDenied
    form = f.RegisterForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        providers=providers,
    )

    def save(data: dict[str, Any]) -> RealWorldTest:
        return services.test_register(actor=request.user, **data)

    done = form_saved(
        request,
        form,
        save,
        message=str(_("The test is registered and its plan submitted.")),
        then=lambda t: redirect("cooperation:rwt_detail", pk=t.pk),
    )
    if done is not None:
        return done
    return render(request, "cooperation/rwt/register.html", {"form": form})


# --- one test ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Action:
    label: Promise
    form: type[forms.Form]
    allowed: Callable[[rules.Viewer, RealWorldTest], bool]
    run: Callable[[Any, RealWorldTest, dict[str, Any]], Any]


def _provider(who: rules.Viewer, test: RealWorldTest) -> bool:
    return rules.is_provider_side(who, test)


def _authority(who: rules.Viewer, test: RealWorldTest) -> bool:
    return rules.is_deciding_authority(who, test)


def _either(who: rules.Viewer, test: RealWorldTest) -> bool:
    return _provider(who, test) or _authority(who, test)


def _in(*statuses: str) -> Callable[[RealWorldTest], bool]:
    return lambda t: t.status in statuses


ACTIVE = (S.APPROVED, S.RUNNING, S.SUSPENDED)

ACTIONS: dict[str, tuple[Action, Callable[[RealWorldTest], bool]]] = {
    "decide": (
        Action(
            _("Decide on the plan"),
            f.DecisionForm,
            _authority,
            lambda u, t, d: services.test_decide(actor=u, test=t, **d),
        ),
        _in(S.SUBMITTED),
    ),
    "conditions": (
        Action(
            _("Declare the conditions"),
            f.ConditionsForm,
            _provider,
            lambda u, t, d: services.conditions_declare(actor=u, test=t, conditions=d),
        ),
        _in(S.SUBMITTED, *ACTIVE),
    ),
    "start": (
        Action(
            _("Start the test"),
            f.StartForm,
            _provider,
            lambda u, t, d: services.test_start(actor=u, test=t, **d),
        ),
        _in(S.APPROVED),
    ),
    "extend": (
        Action(
            _("Notify the extension"),
            f.ExtensionForm,
            _provider,
            lambda u, t, d: services.test_extend(actor=u, test=t, **d),
        ),
        lambda t: t.status in (S.RUNNING, S.SUSPENDED) and not t.extended,
    ),
    "suspend": (
        Action(
            _("Suspend the test"),
            f.ReasonsForm,
            _either,
            lambda u, t, d: services.test_suspend(actor=u, test=t, **d),
        ),
        _in(S.RUNNING),
    ),
    "resume": (
        Action(
            _("Resume the test"),
            f.EmptyForm,
            _either,
            lambda u, t, d: services.test_resume(actor=u, test=t),
        ),
        _in(S.SUSPENDED),
    ),
    "terminate": (
        Action(
            _("Terminate the test"),
            f.ReasonsForm,
            _either,
            lambda u, t, d: services.test_terminate(actor=u, test=t, **d),
        ),
        _in(*ACTIVE),
    ),
    "end": (
        Action(
            _("Record the end of testing"),
            f.EmptyForm,
            _provider,
            lambda u, t, d: services.test_end(actor=u, test=t),
        ),
        _in(S.RUNNING, S.SUSPENDED),
    ),
    "outcome": (
        Action(
            _("Notify the final outcome"),
            f.OutcomeForm,
            _provider,
            lambda u, t, d: services.outcome_notify(actor=u, test=t, **d),
        ),
        lambda t: t.status in (S.TERMINATED, S.ENDED) and t.outcome_notified_on is None,
    ),
    "consent": (
        Action(
            _("Record a batch of consents"),
            f.ConsentForm,
            _provider,
            lambda u, t, d: services.consent_record(
                actor=u,
                test=t,
                participants=d["participants"],
                recorded_on=d.get("recorded_on"),
                checklist={k: d[k] for k in CONSENT_ITEMS},
            ),
        ),
        _in(*ACTIVE),
    ),
    "publication": (
        Action(
            _("Consent to publication"),
            f.PublicationForm,
            _provider,
            lambda u, t, d: services.publication_set(actor=u, test=t, consent=d["consent"]),
        ),
        lambda t: True,
    ),
}


def _actions(who: rules.Viewer, test: RealWorldTest) -> list[tuple[str, Promise]]:
    return [
        (name, action.label)
        for name, (action, when) in ACTIONS.items()
        if action.allowed(who, test) and when(test)
    ]


@login_required
@require_GET
def rwt_detail(request: HttpRequest, pk: int) -> HttpResponse:
    who = _who(request)
    test = selectors.visible_test(who, pk)
    points = selectors.points_for(who, test)
    full = rules.sees_everything(who, test) or (who.staff and not test.sensitive_context)
    context: dict[str, Any] = {
        "test": test,
        "record": selectors.record(test, points),
        "points": points,
        "full": full,
        "actions": _actions(who, test),
    }
    if full:
        context["steps"] = list(test.steps.all())
        context["consents"] = list(test.consents.all())
        context["valid_participants"] = services.valid_participants(test)
        if test.status in (S.SUBMITTED, S.APPROVED):
            context["check"] = services.conditions_check(test)
    return render(request, "cooperation/rwt/detail.html", context)


@login_required
@require_GET
def rwt_plan(request: HttpRequest, pk: int) -> Any:
    who = _who(request)
    test = selectors.visible_test(who, pk)
    if "4" not in selectors.points_for(who, test):
        raise PermissionDenied
    return download_row(test, "plan")


@login_required
@require_http_methods(["GET", "POST"])
def rwt_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    found = ACTIONS.get(action)
    if found is None:
        raise Http404
    step, when = found
    who = _who(request)
    test = selectors.visible_test(who, pk)
    if not step.allowed(who, test):
        raise PermissionDenied
    initial: dict[str, Any] = {}
    if action == "conditions":
        initial = {k: bool(test.conditions.get(k)) for k in DECLARED_CONDITIONS}
    if action == "publication":
        initial = {"consent": test.publication_consent}
    form = step.form(request.POST if request.method == "POST" else None, initial=initial)

    def save(data: dict[str, Any]) -> Any:
        return step.run(request.user, test, data)

    done = form_saved(
        request,
        form,
        save,
        message=str(_("Recorded.")),
        then=lambda _r: redirect("cooperation:rwt_detail", pk=test.pk),
    )
    if done is not None:
        return done
    return render(
        request,
        "cooperation/rwt/action.html",
        {"test": test, "form": form, "label": step.label, "action": action, "open": when(test)},
    )
