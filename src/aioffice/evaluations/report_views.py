"""Capability evaluations: the report, profile and comparison pages (their URL patterns are
`urlpatterns` here, included by urls.py). AI Office staff only; a run or version another
person cannot see is a 404, and bad input a form error with a 400, never a 500."""

from __future__ import annotations

import hashlib
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import URLPattern, path
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from aioffice.core.forms import EclFormMixin
from aioffice.core.permissions import is_office_staff, require
from aioffice.evaluations import (
    comparison,
    converters,  # noqa: F401  (registers <record_id:…>)
    profiles,
    reports,
)
from aioffice.evaluations.models import EvaluationRun, TaskResult
from aioffice.evaluations.selectors import runs_visible_to
from aioffice.registry.models import ModelVersion
from aioffice.registry.selectors import versions_visible_to
from gpai_evals.catalogue import RiskArea

MAX_REFERENCES = profiles.MAX_SERIES - 1  # the version itself is the first series
CHOICES_LISTED = 200  # runs and versions offered in the pickers (any id can still be typed)
_ID_MAX = 2**63 - 1


def _private(response: HttpResponse, content: bytes) -> HttpResponse:
    response["X-Content-SHA256"] = hashlib.sha256(content).hexdigest()
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _run(request: HttpRequest, run_id: int) -> EvaluationRun:
    run: EvaluationRun = get_object_or_404(runs_visible_to(request), pk=run_id)
    return run


# --- the report ---------------------------------------------------------------------------


@require(is_office_staff)
@require_GET
def run_report(request: HttpRequest, run_id: int) -> HttpResponse:
    """The run's evaluation report as one self-contained printable HTML document."""
    report = reports.build_report(_run(request, run_id))
    content = reports.render_report_html(report, base_url=request.build_absolute_uri("/")).encode(
        "utf-8"
    )
    response = HttpResponse(content, content_type="text/html; charset=utf-8")
    response["X-Report-SHA256"] = report.content_sha256
    response["Content-Disposition"] = (
        f'inline; filename="{reports.report_filename(report, "html")}"'
    )
    return _private(response, content)


@require(is_office_staff)
@require_GET
def run_report_pdf(request: HttpRequest, run_id: int) -> HttpResponse:
    """The same report as PDF (WeasyPrint)."""
    report = reports.build_report(_run(request, run_id))
    content = reports.render_report_pdf(report, base_url=request.build_absolute_uri("/"))
    response = HttpResponse(content, content_type="application/pdf")
    response["X-Report-SHA256"] = report.content_sha256
    response["Content-Disposition"] = (
        f'attachment; filename="{reports.report_filename(report, "pdf")}"'
    )
    return _private(response, content)


# --- comparison ---------------------------------------------------------------------------


def _run_label(run: EvaluationRun) -> str:
    return gettext("#%(id)s — %(model)s %(label)s — %(date)s — %(status)s") % {
        "id": run.pk,
        "model": run.version.model.name,
        "label": run.version.label,
        "date": f"{run.created_at:%Y-%m-%d}",
        "status": run.get_status_display(),
    }


class CompareForm(EclFormMixin, forms.Form):
    a = forms.IntegerField(label=_("Run A"), min_value=1, max_value=_ID_MAX)
    b = forms.IntegerField(label=_("Run B"), min_value=1, max_value=_ID_MAX)

    def __init__(self, *args: Any, runs: QuerySet[EvaluationRun], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.runs = runs
        self.found: dict[int, EvaluationRun] = {}
        with_results = Exists(TaskResult.objects.filter(run_id=OuterRef("pk")))
        offered = list(runs.filter(with_results)[:CHOICES_LISTED])
        choices = [("", gettext("Choose a run"))] + [(run.pk, _run_label(run)) for run in offered]
        for name in ("a", "b"):
            self.fields[name].widget = forms.Select(choices=choices, attrs={"class": "ecl-select"})

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        ids = [cleaned[name] for name in ("a", "b") if cleaned.get(name) is not None]
        if not ids:
            return cleaned
        self.found = self.runs.in_bulk(ids)
        for name in ("a", "b"):
            value = cleaned.get(name)
            if value is not None and value not in self.found:
                self.add_error(name, gettext("There is no run #%(id)s.") % {"id": value})
        if cleaned.get("a") is not None and cleaned.get("a") == cleaned.get("b"):
            self.add_error("b", gettext("Choose a run other than run A."))
        return cleaned


@require(is_office_staff)
@require_GET
def compare(request: HttpRequest) -> HttpResponse:
    """Two runs side by side, task by task, on the items both scored (`?a=<run>&b=<run>`)."""
    runs = runs_visible_to(request)
    asked = "a" in request.GET or "b" in request.GET
    form = CompareForm(request.GET if asked else None, runs=runs)
    result: comparison.RunComparison | None = None
    status = 200
    if asked:
        if form.is_valid():
            try:
                result = comparison.compare_runs(
                    form.found[form.cleaned_data["a"]], form.found[form.cleaned_data["b"]]
                )
            except ValidationError as exc:
                for field, messages in exc.message_dict.items():
                    target = {"run_a": "a", "run_b": "b"}.get(field)
                    for message in messages:
                        form.add_error(target, message)
        if result is None:
            status = 400
    return render(
        request, "evaluations/compare.html", {"form": form, "comparison": result}, status=status
    )


# --- capability profile -------------------------------------------------------------------


def _version_label(version: ModelVersion) -> str:
    return f"{version.model.name} {version.label} ({version.model.provider.organisation.name})"


class VersionIdsField(forms.Field):
    """Version numbers picked from a list; any existing version may be given by number."""

    widget = forms.SelectMultiple

    def to_python(self, value: Any) -> list[int]:
        ids: list[int] = []
        for item in value or ():
            try:
                number = int(item)
            except (TypeError, ValueError):
                raise ValidationError(
                    gettext("%(value)s is not a version number.") % {"value": str(item)[:40]}
                ) from None
            if not 1 <= number <= _ID_MAX:
                raise ValidationError(gettext("There is no version #%(id)s.") % {"id": number})
            if number not in ids:
                ids.append(number)
        return ids


class ReferenceForm(EclFormMixin, forms.Form):
    reference = VersionIdsField(
        label=_("Reference models"),
        required=False,
        help_text=_("Versions whose profiles are drawn beside this one."),
    )

    def __init__(self, *args: Any, version: ModelVersion, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.version = version
        offered = (
            ModelVersion.objects.filter(
                Exists(TaskResult.objects.filter(run__version_id=OuterRef("pk")))
            )
            .exclude(pk=version.pk)
            .select_related("model__provider__organisation")
            .order_by("model__name", "label", "id")[:CHOICES_LISTED]
        )
        widget = self.fields["reference"].widget
        assert isinstance(widget, forms.SelectMultiple)
        widget.choices = [(item.pk, _version_label(item)) for item in offered]
        widget.attrs["size"] = "6"

    def clean_reference(self) -> list[int]:
        ids = [pk for pk in self.cleaned_data["reference"] if pk != self.version.pk]
        if len(ids) > MAX_REFERENCES:
            raise ValidationError(
                gettext("Choose at most %(count)s reference models.") % {"count": MAX_REFERENCES}
            )
        if ids:
            known = set(ModelVersion.objects.filter(pk__in=ids).values_list("pk", flat=True))
            unknown = [pk for pk in ids if pk not in known]
            if unknown:
                raise ValidationError(gettext("There is no version #%(id)s.") % {"id": unknown[0]})
        return ids


@require(is_office_staff)
@require_GET
def version_profile(request: HttpRequest, version_id: int) -> HttpResponse:
    """A version's capability profile per risk area, against chosen reference versions
    (`?reference=<version id>`, repeatable), as a chart and a table."""
    version = get_object_or_404(versions_visible_to(request), pk=version_id)
    form = ReferenceForm(request.GET, version=version)
    status = 200
    references: list[int] = []
    if form.is_valid():
        references = form.cleaned_data["reference"]
    else:
        status = 400
    series = profiles.profiles_for([version.pk, *references])
    main = series[0]
    chart = profiles.profile_svg(
        series,
        title=gettext("Capability profile of %(version)s") % {"version": main.label},
    )
    context = {
        "version": version,
        "form": form,
        "profiles": series,
        "profile": main,
        "chart": chart,
        "rows": _area_rows(series),
    }
    return render(request, "evaluations/profile.html", context, status=status)


def _area_rows(series: list[profiles.Profile]) -> list[dict[str, Any]]:
    """One row per risk area, one cell per profile."""
    return [
        {
            "area": area,
            "label": profiles.AREA_LABELS[area],
            "cells": [profile.area(area) for profile in series],
        }
        for area in RiskArea
    ]


@require(is_office_staff)
@require_GET
def version_profile_panel(request: HttpRequest, version_id: int) -> HttpResponse:
    """The profile as a panel for the registry's version page (loaded by htmx; a fragment)."""
    version = get_object_or_404(versions_visible_to(request), pk=version_id)
    profile = profiles.version_profile(version)
    chart = (
        profiles.profile_svg(
            [profile],
            title=gettext("Capability profile of %(version)s") % {"version": profile.label},
            id_prefix=f"panel-{version.pk}",
        )
        if profile.evaluated
        else ""
    )
    response = render(
        request,
        "evaluations/_profile_panel.html",
        {"version": version, "profile": profile, "chart": chart, "rows": _area_rows([profile])},
    )
    response["Vary"] = "HX-Request"
    return response


urlpatterns: list[URLPattern] = [
    path("office/evaluations/runs/<record_id:run_id>/report/", run_report, name="run_report"),
    path(
        "office/evaluations/runs/<record_id:run_id>/report.pdf",
        run_report_pdf,
        name="run_report_pdf",
    ),
    path("office/evaluations/compare/", compare, name="compare"),
    path(
        "office/evaluations/versions/<record_id:version_id>/profile/",
        version_profile,
        name="version_profile",
    ),
    path(
        "office/evaluations/versions/<record_id:version_id>/profile/panel/",
        version_profile_panel,
        name="version_profile_panel",
    ),
]
