"""The drafts' pages (selectors_drafts decides who reads, services_drafts who writes).

* `drafts`: a project's versions the viewer reads; `draft`: one version, its sections in
  document order (a fixed number of queries, whatever its length), and for its drafters
  while it is being written the links to edit, add, move and remove sections and publish.
* `draft_new`: the next version, a copy of the latest or from a YAML/JSON document.
* `draft_edit`, `section_new`, `section_edit`, `section_remove`, `draft_publish`.
* `draft_compare`: two versions side by side, section by section, with word-level
  differences, the drafters' explanations and counts (`?changed=1`: the changes only).
* `draft_export`: `?format=json|yaml` (the structure the import takes) or `html` (a page
  to print).
"""

from __future__ import annotations

import json
from typing import Any

import yaml
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from aioffice.core.forms import form_saved
from aioffice.core.permissions import login_required
from aioffice.drafting import selectors_drafts as selectors
from aioffice.drafting import services_drafts as services
from aioffice.drafting.forms_drafts import DraftForm, NewDraftForm, PublishForm, SectionForm
from aioffice.drafting.models_drafts import Draft, DraftStatus, Section
from aioffice.drafting.models_projects import Project

PER_PAGE = 25
EXPORT_FORMATS = ("html", "json", "yaml")


def _to_draft(draft: Draft) -> HttpResponse:
    return redirect("drafting:draft", draft.project.slug, draft.number)


def _editor(request: HttpRequest, project: Project) -> Any:
    user = selectors.viewer(request)
    if not selectors.may_edit(user, project):
        raise PermissionDenied
    return user


@require_GET
def drafts(request: HttpRequest, slug: str) -> HttpResponse:
    project = selectors.project_for(request, slug)
    user = selectors.viewer(request)
    rows = selectors.drafts_visible(user, project)
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "drafting/drafts/list.html",
        {"project": project, "page": page, "may_edit": selectors.may_edit(user, project)},
    )


@require_GET
def draft(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    project = selectors.project_for(request, slug)
    user = selectors.viewer(request)
    row = selectors.draft_of(user, project, number)
    versions = [v for v in selectors.drafts_visible(user, project).only("number", "status")[:100]]
    editing = row.status == DraftStatus.WORKING and selectors.may_edit(user, project)
    return render(
        request,
        "drafting/drafts/draft.html",
        {
            "project": project,
            "draft": row,
            "outline": selectors.outline(selectors.sections_of(row)),
            "others": [v for v in versions if v.number != row.number],
            "editing": editing,
            "may_edit": selectors.may_edit(user, project),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def draft_new(request: HttpRequest, slug: str) -> HttpResponse:
    project = selectors.project_for(request, slug)
    user = _editor(request, project)
    form = NewDraftForm(request.POST or None, request.FILES or None)

    def save(data: dict[str, Any]) -> Draft:
        if data["how"] == "import":
            return services.draft_import(
                actor=user, project=project, document=data["parsed"], title=data["title"]
            )
        return services.draft_next(actor=user, project=project, title=data["title"])

    done = form_saved(
        request,
        form,
        save,
        message=str(_("The new version is ready to edit.")),
        then=_to_draft,
        add_errors=_errors_on_document,
    )
    return done or render(
        request,
        "drafting/drafts/form.html",
        {"project": project, "form": form, "heading": _("New version"), "multipart": True},
    )


def _errors_on_document(form: Any, exc: Any) -> None:
    """A document's mistakes name their place (`sections.0.key`): shown on the file."""
    for name, found in exc.message_dict.items():
        field = name if name in form.fields else "document"
        for message in found:
            form.add_error(field, f"{name}: {message}" if field != name else message)


@login_required
@require_http_methods(["GET", "POST"])
def draft_edit(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    row = selectors.draft_for(request, slug, number)
    user = _editor(request, row.project)
    initial = {"title": row.title, "explanation": row.explanation}
    form = DraftForm(request.POST or None, initial=initial)
    done = form_saved(
        request,
        form,
        lambda d: services.draft_update(
            actor=user, draft=row, title=d["title"], explanation=d["explanation"]
        ),
        message=str(_("The draft is saved.")),
        then=_to_draft,
    )
    return done or render(
        request,
        "drafting/drafts/form.html",
        {"project": row.project, "draft": row, "form": form, "heading": _("Edit the draft")},
    )


def _parents(sections: list[Section], exclude: Section | None = None) -> list[tuple[str, str]]:
    """Where a section can go: every section but itself and what sits under it."""
    below: set[int] = set()
    if exclude is not None:
        below.add(exclude.pk)
        for row in sections:  # in position order: a parent comes first
            if row.parent_id in below:
                below.add(row.pk)
    return [(s.key, f"{s.number} {s.title}".strip()) for s in sections if s.pk not in below]


@login_required
@require_http_methods(["GET", "POST"])
def section_new(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    row = selectors.draft_for(request, slug, number)
    user = _editor(request, row.project)
    sections = selectors.sections_of(row)
    form = SectionForm(
        request.POST or None,
        parents=_parents(sections),
        editing=False,
        initial={"parent": request.GET.get("parent", "")},
    )
    done = form_saved(
        request,
        form,
        lambda d: services.section_add(
            actor=user,
            draft=row,
            key=d["key"],
            kind=d["kind"],
            number=d["number"],
            title=d["title"],
            text=d["text"],
            explanation=d["explanation"],
            registry_chapter=d["registry_chapter"],
            parent=d["parent"] or None,
            index=d["index"],
        ),
        message=str(_("The section is added.")),
        then=lambda s: redirect("drafting:section_edit", slug, row.number, s.key),
    )
    return done or render(
        request,
        "drafting/drafts/form.html",
        {"project": row.project, "draft": row, "form": form, "heading": _("New section")},
    )


@login_required
@require_http_methods(["GET", "POST"])
def section_edit(request: HttpRequest, slug: str, number: int, key: str) -> HttpResponse:
    row = selectors.draft_for(request, slug, number)
    user = _editor(request, row.project)
    sections = selectors.sections_of(row)
    section = next((s for s in sections if s.key == key), None)
    if section is None:
        raise Http404
    parent_key = next((s.key for s in sections if s.pk == section.parent_id), "")
    siblings = [s for s in sections if s.parent_id == section.parent_id]
    initial = {
        "key": section.key,
        "kind": section.kind,
        "number": section.number,
        "title": section.title,
        "text": section.text,
        "explanation": section.explanation,
        "registry_chapter": section.registry_chapter,
        "parent": parent_key,
        "index": siblings.index(section) + 1,
    }
    form = SectionForm(
        request.POST or None, parents=_parents(sections, section), editing=True, initial=initial
    )

    def save(data: dict[str, Any]) -> Section:
        saved = services.section_update(
            actor=user,
            section=section,
            kind=data["kind"],
            number=data["number"],
            title=data["title"],
            text=data["text"],
            explanation=data["explanation"],
            registry_chapter=data["registry_chapter"],
        )
        if (data["parent"] or "") != parent_key or data["index"] != initial["index"]:
            index = data["index"]
            if (data["parent"] or "") == parent_key and index is not None:
                index = min(index, len(siblings))
            saved = services.section_move(
                actor=user, section=saved, parent=data["parent"] or None, index=index
            )
        return saved

    done = form_saved(
        request,
        form,
        save,
        message=str(_("The section is saved.")),
        then=lambda s: redirect(f"{_draft_url(row)}#section-{s.key}"),
    )
    return done or render(
        request,
        "drafting/drafts/section.html",
        {"project": row.project, "draft": row, "form": form, "section": section},
    )


def _draft_url(row: Draft) -> str:
    return reverse("drafting:draft", args=[row.project.slug, row.number])


@login_required
@require_POST
def section_remove(request: HttpRequest, slug: str, number: int, key: str) -> HttpResponse:
    row = selectors.draft_for(request, slug, number)
    user = _editor(request, row.project)
    section = selectors.section_for(row, key)
    try:
        count = services.section_remove(actor=user, section=section)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return _to_draft(row)
    messages.success(request, _("%(count)d section(s) removed.") % {"count": count})
    return _to_draft(row)


@login_required
@require_http_methods(["GET", "POST"])
def draft_publish(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    row = selectors.draft_for(request, slug, number)
    user = _editor(request, row.project)
    published = row.status != DraftStatus.WORKING
    form = PublishForm(
        request.POST or None, published=published, initial={"visibility": row.visibility}
    )

    def save(data: dict[str, Any]) -> Draft:
        if published:
            return services.draft_set_visibility(
                actor=user, draft=row, visibility=data["visibility"]
            )
        return services.draft_publish(
            actor=user,
            draft=row,
            visibility=data["visibility"],
            published_on=data.get("published_on"),
        )

    done = form_saved(
        request,
        form,
        save,
        message=str(_("Saved: the draft is published to those chosen.")),
        then=_to_draft,
    )
    heading = _("Who reads this version") if published else _("Publish this version")
    return done or render(
        request,
        "drafting/drafts/form.html",
        {"project": row.project, "draft": row, "form": form, "heading": heading,
         "publish": not published},
    )  # fmt: skip


@require_GET
def draft_compare(request: HttpRequest, slug: str, number: int, other: int) -> HttpResponse:
    found = selectors.compared(request, slug, number, other)
    result = found.result
    changed_only = request.GET.get("changed") == "1"
    return render(
        request,
        "drafting/drafts/compare.html",
        {
            "project": found.draft.project,
            "draft": found.draft,
            "old": found.old,
            "new": found.new,
            "counts": result.counts,
            "rows": result.changed_only() if changed_only else result.rows,
            "changed_only": changed_only,
        },
    )


@require_GET
def draft_export(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    row = selectors.draft_for(request, slug, number)
    kind = request.GET.get("format", "html")
    if kind not in EXPORT_FORMATS:
        kind = "html"
    sections = selectors.sections_of(row)
    if kind == "html":
        return render(
            request,
            "drafting/drafts/print.html",
            {"project": row.project, "draft": row, "outline": selectors.outline(sections)},
        )
    document = services.document_of(row, sections)
    name = f"{row.project.slug}-v{row.number}.{kind}"
    if kind == "json":
        body = json.dumps(document, ensure_ascii=False, indent=2)
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
    else:
        body = yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=100)
        response = HttpResponse(body, content_type="application/yaml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
