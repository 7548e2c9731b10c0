"""The drafts API of drafting, at /api/v1/drafting/drafts/.

Public (`auth=None`, rate limited, in `aioffice.api.PUBLIC_ROUTES`); what they show follows
the viewer like the pages (`permissions.may_read_draft`: anyone reads the published public
drafts of public projects):

* `GET /{slug}`: the project's versions the viewer reads, newest first (paginated);
* `GET /{slug}/{number}`: one version with its sections in document order;
* `GET /{slug}/{number}/document`: the version as the structured document the import takes;
* `GET /{slug}/{number}/compare/{other}`: the two versions section by section (older
  first), with counts, word-level differences as escaped HTML and the explanations.

For the Office's project runners and the project's drafters (`may_edit_drafts`):
`POST /{slug}` (a new version from a structured document), `POST /{slug}/next` (a copy of
the latest), `PATCH /{slug}/{number}` (title, explanation), `POST /{slug}/{number}/sections`,
`PATCH` and `DELETE /{slug}/{number}/sections/{key}` (edit, move, remove), `POST
/{slug}/{number}/publish` (publish a working version, or change who reads a published one).

Access: 401 without a session or token on the writing routes; 403 without the right; 404
for a project or version the person may not read. Bad input is a 422 naming the field.
"""

from datetime import date
from typing import Annotated, Any, Literal

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status
from ninja.throttling import AnonRateThrottle, BaseThrottle

from aioffice.core.paging import MappedRows, Pagination
from aioffice.drafting import selectors_drafts as selectors
from aioffice.drafting import services_drafts as services
from aioffice.drafting.models_drafts import Draft, DraftStatus, Section
from aioffice.drafting.models_projects import Project

router = Router(tags=["drafting: drafts"])
_throttle: list[BaseThrottle] = [AnonRateThrottle(settings.PUBLIC_API_RATE)]

Text = Annotated[str, Field(max_length=50000)]
Line = Annotated[str, Field(max_length=300)]
Slug = Annotated[str, Field(max_length=80, pattern=r"^[-a-zA-Z0-9_]+$")]
Number = Annotated[int, Field(ge=1, le=32767)]
KindName = Literal["chapter", "section", "objective", "commitment", "measure", "kpi"]
ChapterName = Literal["", "transparency", "copyright", "safety_and_security"]
VisibilityName = Literal["office", "working_groups", "public"]


# --- schemas -----------------------------------------------------------------------------------


class DraftOut(Schema):
    id: int
    project: str
    number: int
    title: str
    status: str
    visibility: str
    published_on: date | None
    explanation: str
    url: str


class SectionOut(Schema):
    key: str
    parent: str | None
    depth: int
    position: int
    kind: str
    number: str
    title: str
    text: str
    explanation: str
    registry_chapter: str


class DraftDetailOut(DraftOut):
    sections: list[SectionOut]


class CompareRowOut(Schema):
    key: str
    status: str
    moved: bool
    changed_fields: list[str]
    explanation: str
    old: dict[str, Any] | None
    new: dict[str, Any] | None
    old_text_html: str
    new_text_html: str


class CompareOut(Schema):
    project: str
    old: int
    new: int
    counts: dict[str, int]
    rows: list[CompareRowOut]


class DocumentIn(Schema):
    title: Line = ""
    explanation: Text = ""
    sections: list[dict[str, Any]] = Field(..., max_length=services.MAX_SECTIONS)


class NextIn(Schema):
    title: Line = ""


class DraftPatch(Schema):
    title: Line | None = None
    explanation: Text | None = None


class SectionIn(Schema):
    key: Annotated[str, Field(max_length=80)]
    kind: KindName
    title: Line
    number: Annotated[str, Field(max_length=20)] = ""
    text: Text = ""
    explanation: Text = ""
    registry_chapter: ChapterName = ""
    parent: Annotated[str, Field(max_length=80)] | None = None
    index: Annotated[int, Field(ge=1, le=services.MAX_SECTIONS)] | None = None


class SectionPatch(Schema):
    kind: KindName | None = None
    title: Line | None = None
    number: Annotated[str, Field(max_length=20)] | None = None
    text: Text | None = None
    explanation: Text | None = None
    registry_chapter: ChapterName | None = None
    move: bool = False  # move to `parent` at `index` (parent null: the top level)
    parent: Annotated[str, Field(max_length=80)] | None = None
    index: Annotated[int, Field(ge=1, le=services.MAX_SECTIONS)] | None = None


class PublishIn(Schema):
    visibility: VisibilityName
    published_on: date | None = None


class RemovedOut(Schema):
    removed: int


# --- helpers -----------------------------------------------------------------------------------


def _draft_out(draft: Draft) -> dict[str, Any]:
    return {
        "id": draft.pk,
        "project": draft.project.slug,
        "number": draft.number,
        "title": draft.title,
        "status": draft.status,
        "visibility": draft.visibility,
        "published_on": draft.published_on,
        "explanation": draft.explanation,
        "url": f"/codes/{draft.project.slug}/drafts/{draft.number}/",
    }


def _detail(draft: Draft) -> dict[str, Any]:
    sections = selectors.sections_of(draft)
    keys = {s.pk: s.key for s in sections}
    out = _draft_out(draft)
    out["sections"] = [
        {
            "key": v.section.key,
            "parent": keys.get(v.section.parent_id) if v.section.parent_id else None,
            "depth": v.depth,
            "position": v.section.position,
            "kind": v.section.kind,
            "number": v.section.number,
            "title": v.section.title,
            "text": v.section.text,
            "explanation": v.section.explanation,
            "registry_chapter": v.section.registry_chapter,
        }
        for v in selectors.outline(sections)
    ]
    return out


def _readable(request: HttpRequest, slug: str, number: int) -> Draft:
    return selectors.draft_for(request, slug, number)


def _editor(request: HttpRequest, project: Project) -> Any:
    user = selectors.viewer(request)
    if not selectors.may_edit(user, project):
        raise PermissionDenied("Only the Office's project runners and the drafters do this.")
    return user


def _section(draft: Draft, key: str) -> Section:
    return selectors.section_for(draft, key)


# --- reading (public) --------------------------------------------------------------------------


@router.get(
    "/{slug}",
    response=list[DraftOut],
    auth=None,
    throttle=_throttle,
    summary="A project's versions I may read, newest first (anyone: the public ones)",
)
@paginate(Pagination)
def draft_list(request: HttpRequest, slug: Slug) -> Any:
    project = selectors.project_for(request, slug)
    rows = selectors.drafts_visible(selectors.viewer(request), project)

    def out(draft: Draft) -> dict[str, Any]:
        draft.project = project
        return _draft_out(draft)

    return MappedRows(rows, out)


@router.get(
    "/{slug}/{int:number}",
    response=DraftDetailOut,
    auth=None,
    throttle=_throttle,
    summary="One version with its sections in document order",
)
def draft_detail(request: HttpRequest, slug: Slug, number: Number) -> Any:
    return _detail(_readable(request, slug, number))


@router.get(
    "/{slug}/{int:number}/document",
    response=dict[str, Any],
    auth=None,
    throttle=_throttle,
    summary="One version as the structured document the import takes",
)
def draft_document(request: HttpRequest, slug: Slug, number: Number) -> Any:
    draft = _readable(request, slug, number)
    return services.document_of(draft, selectors.sections_of(draft))


@router.get(
    "/{slug}/{int:number}/compare/{int:other}",
    response=CompareOut,
    auth=None,
    throttle=_throttle,
    summary="Two versions compared section by section (the older on the left)",
)
def draft_compare(
    request: HttpRequest, slug: Slug, number: Number, other: Number, changed_only: bool = False
) -> Any:
    found = selectors.compared(request, slug, number, other)
    result = found.result
    rows = result.changed_only() if changed_only else result.rows
    return {
        "project": found.draft.project.slug,
        "old": found.old.number,
        "new": found.new.number,
        "counts": result.counts,
        "rows": [row.as_dict() for row in rows],
    }


# --- writing -----------------------------------------------------------------------------------


@router.post(
    "/{slug}",
    response={201: DraftDetailOut},
    summary="A new version from a structured document (drafters)",
)
def draft_import(request: HttpRequest, slug: Slug, payload: DocumentIn) -> Any:
    project = selectors.project_for(request, slug)
    user = _editor(request, project)
    draft = services.draft_import(
        actor=user,
        project=project,
        document={
            "title": payload.title,
            "explanation": payload.explanation,
            "sections": payload.sections,
        },
    )
    return Status(201, _detail(draft))


@router.post(
    "/{slug}/next",
    response={201: DraftDetailOut},
    summary="The next version as a copy of the latest (drafters)",
)
def draft_next(request: HttpRequest, slug: Slug, payload: NextIn) -> Any:
    project = selectors.project_for(request, slug)
    user = _editor(request, project)
    draft = services.draft_next(actor=user, project=project, title=payload.title)
    return Status(201, _detail(draft))


@router.patch(
    "/{slug}/{int:number}",
    response=DraftOut,
    summary="A working version's title and explanation (drafters)",
)
def draft_update(request: HttpRequest, slug: Slug, number: Number, payload: DraftPatch) -> Any:
    draft = _readable(request, slug, number)
    user = _editor(request, draft.project)
    draft = services.draft_update(
        actor=user,
        draft=draft,
        title=draft.title if payload.title is None else payload.title,
        explanation=draft.explanation if payload.explanation is None else payload.explanation,
    )
    return _draft_out(draft)


@router.post(
    "/{slug}/{int:number}/sections",
    response={201: SectionOut},
    summary="A new section in a working version (drafters)",
)
def section_add(request: HttpRequest, slug: Slug, number: Number, payload: SectionIn) -> Any:
    draft = _readable(request, slug, number)
    user = _editor(request, draft.project)
    section = services.section_add(actor=user, draft=draft, **payload.dict())
    return Status(201, _section_out(draft, section.key))


def _section_out(draft: Draft, key: str) -> dict[str, Any]:
    detail = _detail(draft)
    return next(s for s in detail["sections"] if s["key"] == key)


@router.patch(
    "/{slug}/{int:number}/sections/{key}",
    response=SectionOut,
    summary="Edit a section of a working version, its explanation, or move it (drafters)",
)
def section_update(
    request: HttpRequest, slug: Slug, number: Number, key: Slug, payload: SectionPatch
) -> Any:
    draft = _readable(request, slug, number)
    user = _editor(request, draft.project)
    section = _section(draft, key)
    fields = payload.dict(exclude={"move", "parent", "index"}, exclude_none=True)
    if fields:
        current = {
            "kind": section.kind,
            "title": section.title,
            "number": section.number,
            "text": section.text,
            "explanation": section.explanation,
            "registry_chapter": section.registry_chapter,
        }
        section = services.section_update(actor=user, section=section, **{**current, **fields})
    if payload.move:
        section = services.section_move(
            actor=user, section=section, parent=payload.parent, index=payload.index
        )
    return _section_out(draft, section.key)


@router.delete(
    "/{slug}/{int:number}/sections/{key}",
    response=RemovedOut,
    summary="Remove a section (and what sits under it) from a working version (drafters)",
)
def section_remove(request: HttpRequest, slug: Slug, number: Number, key: Slug) -> Any:
    draft = _readable(request, slug, number)
    user = _editor(request, draft.project)
    return {"removed": services.section_remove(actor=user, section=_section(draft, key))}


@router.post(
    "/{slug}/{int:number}/publish",
    response=DraftOut,
    summary="Publish a working version, or change who reads a published one (drafters)",
)
def draft_publish(request: HttpRequest, slug: Slug, number: Number, payload: PublishIn) -> Any:
    draft = _readable(request, slug, number)
    user = _editor(request, draft.project)
    if draft.status == DraftStatus.WORKING:
        draft = services.draft_publish(
            actor=user,
            draft=draft,
            visibility=payload.visibility,
            published_on=payload.published_on,
        )
    else:
        draft = services.draft_set_visibility(
            actor=user, draft=draft, visibility=payload.visibility
        )
    return _draft_out(draft)
