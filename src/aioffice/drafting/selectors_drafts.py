"""Who reads which drafts (permissions.may_read_draft, as queries), a draft's sections in
document order in one query, and the tree the pages show.

A draft the viewer may not read is a 404, whether it exists or not. Office staff count
only after their second factor (`selectors_projects.viewer`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest

from aioffice.drafting import permissions
from aioffice.drafting.choices import Visibility
from aioffice.drafting.compare import Comparison, compare
from aioffice.drafting.models_drafts import Draft, DraftStatus, Section
from aioffice.drafting.models_projects import Project
from aioffice.drafting.selectors_projects import project_for, viewer

__all__ = [
    "Compared",
    "SectionView",
    "compared",
    "draft_for",
    "drafts_visible",
    "may_edit",
    "outline",
    "project_for",
    "section_for",
    "sections_of",
    "viewer",
]

MAX_VERSION = 32767


def may_edit(user: Any, project: Project) -> bool:
    return permissions.may_edit_drafts(user, project)


def drafts_visible(user: Any, project: Project) -> QuerySet[Draft]:
    """The project's versions the person reads, newest first (may_read_draft as a query)."""
    rows = Draft.objects.filter(project=project).order_by("-number")
    if permissions.may_read_everything(user, project):
        return rows
    shown: set[str] = set()
    if project.public:
        shown.add(Visibility.PUBLIC)
    if permissions.is_member(user, project):
        shown |= {Visibility.PUBLIC, Visibility.WORKING_GROUPS}
    return rows.exclude(status=DraftStatus.WORKING).filter(visibility__in=shown)


def draft_for(request: HttpRequest, slug: str, number: Any) -> Draft:
    """Version `number` of the project if the viewer reads it; 404 otherwise."""
    return draft_of(viewer(request), project_for(request, slug), number)


def draft_of(user: Any, project: Project, number: Any) -> Draft:
    try:
        value = int(number)
    except (TypeError, ValueError):
        raise Http404 from None
    if not 1 <= value <= MAX_VERSION:
        raise Http404
    draft = Draft.objects.filter(project=project, number=value).first()
    if draft is None:
        raise Http404
    draft.project = project
    if not permissions.may_read_draft(user, draft):
        raise Http404
    return draft


@dataclass(frozen=True)
class Compared:
    """Two versions the viewer reads, the older first, and what changed between them."""

    draft: Draft  # the version named first (the page's own)
    old: Draft
    new: Draft
    result: Comparison


def compared(request: HttpRequest, slug: str, number: Any, other: Any) -> Compared:
    """Versions `number` and `other` of the project, the older against the newer whatever
    the order given; 404 when the viewer does not read either."""
    project = project_for(request, slug)
    user = viewer(request)
    one = draft_of(user, project, number)
    two = draft_of(user, project, other)
    old, new = (one, two) if one.number < two.number else (two, one)
    return Compared(one, old, new, compare(sections_of(old), sections_of(new)))


def sections_of(draft: Draft) -> list[Section]:
    """The draft's sections in document order (one query)."""
    return list(Section.objects.filter(draft=draft).order_by("position"))


def section_for(draft: Draft, key: str) -> Section:
    section = Section.objects.filter(draft=draft, key=key).first()
    if section is None:
        raise Http404
    section.draft = draft
    return section


@dataclass
class SectionView:
    """A section with its depth (0 for the top level) and heading level (h2-h6)."""

    section: Section
    depth: int

    @property
    def heading(self) -> int:
        return min(self.depth + 2, 6)


def outline(sections: list[Section]) -> list[SectionView]:
    """Sections (in position order) with their depth, computed without further queries."""
    depth: dict[int, int] = {}
    out = []
    for row in sections:
        level = 0 if row.parent_id is None else depth.get(row.parent_id, 0) + 1
        depth[row.pk] = level
        out.append(SectionView(row, level))
    return out
