"""Drafts: every change to a draft and its sections, one function each.

Keyword-only, `actor` first; one transaction per state change with the changed row locked
(a section's change locks its draft: positions are the draft's); one audit event each with
ids, keys, kinds, statuses and dates only (never a title or a text). Bad input raises
`ValidationError` naming the field; an actor without the right raises `PermissionDenied`.

A project's versions are numbered 1, 2, ...; at most one is `working` at a time. The first
comes from a structured document (`draft_import`: YAML, JSON or an API body; the same
structure `document_of` exports); a later one is either imported or a copy of the latest
version (`draft_next`), keeping the section keys so that versions compare section by
section. A working draft is edited (`draft_update`, `section_add`, `section_update`,
`section_move`, `section_remove`), then published (frozen) to the Office, the working
groups or everyone; the adoption part makes a published draft final (`mark_final`).

`position` is the document order of the whole draft (pre-order of the tree); every change of
structure renumbers it, so that a draft is read in one query in order.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from aioffice.core import audit
from aioffice.drafting import permissions, validation
from aioffice.drafting.choices import ProjectStatus, Visibility
from aioffice.drafting.models_drafts import Draft, DraftStatus, Section, SectionKind
from aioffice.drafting.models_projects import Project

__all__ = [
    "MAX_DEPTH",
    "MAX_SECTIONS",
    "REGISTRY_CHAPTERS",
    "document_of",
    "draft_import",
    "draft_next",
    "draft_publish",
    "draft_set_visibility",
    "draft_update",
    "mark_final",
    "section_add",
    "section_move",
    "section_remove",
    "section_update",
]

# the chapters of the registry's Code of Practice signatures (registry.codeofpractice)
REGISTRY_CHAPTERS = ("transparency", "copyright", "safety_and_security")
MAX_DEPTH = 6
MAX_SECTIONS = 2000
MAX_TITLE = 300
MAX_NUMBER = 20
MAX_KEY = 80
MAX_TEXT = 50000
KEY_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
CLOSED_PROJECT = (ProjectStatus.ADOPTED, ProjectStatus.CLOSED)


def _today() -> date:
    return timezone.now().date()


def _text(
    value: Any, field: str, what: str, *, required: bool = False, limit: int = MAX_TEXT
) -> str:
    return validation.text(value, field, what, required=required, limit=limit)


def _key(value: Any, field: str) -> str:
    key = _text(value, field, "The key", required=True, limit=MAX_KEY)
    if not KEY_PATTERN.match(key):
        raise ValidationError(
            {field: "The key takes lower-case letters, digits, '-' and '_' only."}
        )
    return key


def _kind(value: Any, field: str) -> str:
    if value not in SectionKind.values:
        raise ValidationError({field: f"The kind must be one of {', '.join(SectionKind.values)}."})
    return str(value)


def _registry_chapter(value: Any, field: str, *, kind: str, project: Project) -> str:
    chapter = _text(value, field, "The registry chapter", limit=30)
    if not chapter:
        return ""
    if not project.gpai_code:
        raise ValidationError({field: "Only the GPAI Code's chapters name a registry chapter."})
    if kind != SectionKind.CHAPTER:
        raise ValidationError({field: "Only a chapter names a registry chapter."})
    if chapter not in REGISTRY_CHAPTERS:
        raise ValidationError(
            {field: f"The registry chapter is one of {', '.join(REGISTRY_CHAPTERS)}."}
        )
    return chapter


def _may_edit(actor: Any, project: Project) -> None:
    if not permissions.may_edit_drafts(actor, project):
        raise PermissionDenied("Only the Office's project runners and the drafters do this.")


def _may_run(actor: Any) -> None:
    if not permissions.may_run_projects(actor):
        raise PermissionDenied("Only the Office's project runners do this.")


def _locked_draft(draft: Draft) -> Draft:
    return Draft.objects.select_for_update().select_related("project").get(pk=draft.pk)


def _working(draft: Draft) -> None:
    if draft.status != DraftStatus.WORKING:
        raise ValidationError({"status": "A published draft is frozen; make a new version."})


def _open_project(project: Project) -> None:
    if project.status in CLOSED_PROJECT:
        raise ValidationError({"project": "The project is adopted or closed: no new version."})


def _visibility(value: Any, project: Project) -> str:
    if value not in Visibility.values:
        raise ValidationError({"visibility": f"Choose one of {', '.join(Visibility.values)}."})
    if value == Visibility.PUBLIC and not project.public:
        raise ValidationError(
            {"visibility": "The project is not public: its drafts cannot be shown to everyone."}
        )
    return str(value)


# --- the structured document ------------------------------------------------------------------


class _Node:
    """One section of a document being read or a draft being rearranged."""

    __slots__ = ("children", "fields", "key", "row")

    def __init__(self, key: str, fields: dict[str, Any], row: Section | None = None) -> None:
        self.key = key
        self.fields = fields
        self.row = row
        self.children: list[_Node] = []


def _read_sections(
    items: Any, field: str, *, project: Project, depth: int, keys: set[str], parent_kind: str
) -> list[_Node]:
    if items is None:
        return []
    if not isinstance(items, list):
        raise ValidationError({field: "The sections must be a list."})
    if depth > MAX_DEPTH:
        raise ValidationError({field: f"Sections nest at most {MAX_DEPTH} levels deep."})
    nodes = []
    for index, item in enumerate(items):
        at = f"{field}.{index}"
        if not isinstance(item, Mapping):
            raise ValidationError({at: "A section must be a mapping of its fields."})
        unknown = set(item) - {
            "key",
            "kind",
            "number",
            "title",
            "text",
            "explanation",
            "registry_chapter",
            "children",
        }
        if unknown:
            raise ValidationError(
                {at: f"Unknown field(s): {', '.join(sorted(map(str, unknown)))}."}
            )
        key = _key(item.get("key"), f"{at}.key")
        if key in keys:
            raise ValidationError({f"{at}.key": f"The key '{key}' is used twice."})
        keys.add(key)
        if len(keys) > MAX_SECTIONS:
            raise ValidationError({field: f"A draft has at most {MAX_SECTIONS} sections."})
        kind = _kind(item.get("kind"), f"{at}.kind")
        _kpi_placement(kind, parent_kind, f"{at}.kind")
        fields = {
            "kind": kind,
            "number": _text(item.get("number"), f"{at}.number", "The number", limit=MAX_NUMBER),
            "title": _text(
                item.get("title"), f"{at}.title", "The title", required=True, limit=MAX_TITLE
            ),
            "text": _text(item.get("text"), f"{at}.text", "The text"),
            "explanation": _text(item.get("explanation"), f"{at}.explanation", "The explanation"),
            "registry_chapter": _registry_chapter(
                item.get("registry_chapter"), f"{at}.registry_chapter", kind=kind, project=project
            ),
        }
        node = _Node(key, fields)
        node.children = _read_sections(
            item.get("children"),
            f"{at}.children",
            project=project,
            depth=depth + 1,
            keys=keys,
            parent_kind=kind,
        )
        nodes.append(node)
    return nodes


def _kpi_placement(kind: str, parent_kind: str, field: str) -> None:
    """A key performance indicator sits under a measure and has nothing under it."""
    if kind == SectionKind.KPI and parent_kind != SectionKind.MEASURE:
        raise ValidationError({field: "A key performance indicator sits under a measure."})
    if parent_kind == SectionKind.KPI:
        raise ValidationError({field: "Nothing sits under a key performance indicator."})


def read_document(document: Any, *, project: Project) -> tuple[str, str, list[_Node]]:
    """(title, explanation, sections) of a structured document, checked; ValidationError
    naming the place (`sections.0.children.2.key`) otherwise."""
    if not isinstance(document, Mapping):
        raise ValidationError({"document": "The document must be a mapping with 'sections'."})
    unknown = set(document) - {"title", "explanation", "sections", "project", "number", "status"}
    if unknown:
        raise ValidationError(
            {"document": f"Unknown field(s): {', '.join(sorted(map(str, unknown)))}."}
        )
    title = _text(document.get("title"), "title", "The title", limit=MAX_TITLE)
    explanation = _text(document.get("explanation"), "explanation", "The explanation")
    sections = _read_sections(
        document.get("sections"), "sections", project=project, depth=1, keys=set(), parent_kind=""
    )
    if not sections:
        raise ValidationError({"sections": "The document has no sections."})
    return title, explanation, sections


def _section_out(row: Section, children: list[dict[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {"key": row.key, "kind": row.kind}
    if row.number:
        out["number"] = row.number
    out["title"] = row.title
    if row.text:
        out["text"] = row.text
    if row.explanation:
        out["explanation"] = row.explanation
    if row.registry_chapter:
        out["registry_chapter"] = row.registry_chapter
    if children:
        out["children"] = children
    return out


def document_of(draft: Draft, sections: Sequence[Section] | None = None) -> dict[str, Any]:
    """The draft as the structured document `draft_import` takes (one query for sections)."""
    rows = list(sections if sections is not None else draft.sections.order_by("position"))
    by_parent: dict[int | None, list[Section]] = {}
    for row in rows:
        by_parent.setdefault(row.parent_id, []).append(row)

    def build(parent: int | None) -> list[dict[str, Any]]:
        return [_section_out(row, build(row.pk)) for row in by_parent.get(parent, [])]

    out: dict[str, Any] = {"project": draft.project.slug, "number": draft.number}
    out["status"] = draft.status
    out["title"] = draft.title
    if draft.explanation:
        out["explanation"] = draft.explanation
    out["sections"] = build(None)
    return out


def _create_tree(draft: Draft, nodes: list[_Node]) -> int:
    """Insert the sections in document order, level by level (one insert per level)."""
    position = 0
    order: dict[int, int] = {}

    def number(items: list[_Node]) -> None:
        nonlocal position
        for node in items:
            order[id(node)] = position
            position += 1
            number(node.children)

    number(nodes)
    level: list[tuple[_Node, Section | None]] = [(node, None) for node in nodes]
    while level:
        rows = [
            Section(
                draft=draft,
                key=node.key,
                parent=parent,
                position=order[id(node)],
                **node.fields,
            )
            for node, parent in level
        ]
        Section.objects.bulk_create(rows)
        if rows and rows[0].pk is None:  # pragma: no cover - backends without RETURNING
            saved = {s.key: s for s in draft.sections.filter(key__in=[r.key for r in rows])}
            rows = [saved[r.key] for r in rows]
        level = [
            (child, row)
            for (node, _), row in zip(level, rows, strict=True)
            for child in node.children
        ]
    return position


def _next_number(project: Project) -> int:
    drafts = Draft.objects.filter(project=project)
    if drafts.filter(status=DraftStatus.WORKING).exists():
        raise ValidationError(
            {"project": "A version is being written: edit it or publish it first."}
        )
    last = drafts.order_by("-number").values_list("number", flat=True).first()
    return (last or 0) + 1


def _locked_project(project: Project) -> Project:
    return Project.objects.select_for_update().get(pk=project.pk)


def draft_import(*, actor: Any, project: Project, document: Any, title: str = "") -> Draft:
    """A new version (the first, or the next) from a structured document."""
    _may_edit(actor, project)
    with transaction.atomic():
        project = _locked_project(project)
        _open_project(project)
        doc_title, explanation, nodes = read_document(document, project=project)
        title = _text(title, "title", "The title", limit=MAX_TITLE) or doc_title or project.title
        number = _next_number(project)
        draft = Draft.objects.create(
            project=project,
            number=number,
            title=title,
            explanation=explanation,
            created_by=actor,
        )
        count = _create_tree(draft, nodes)
        audit.record(
            actor=actor,
            action="drafting.draft.imported",
            obj=draft,
            after={"project": project.pk, "number": number, "sections": count},
        )
    return draft


def draft_next(*, actor: Any, project: Project, title: str = "") -> Draft:
    """The next version as a copy of the latest (same keys, tree and texts; explanations
    start empty: they say what changes in this version)."""
    _may_edit(actor, project)
    with transaction.atomic():
        project = _locked_project(project)
        _open_project(project)
        number = _next_number(project)
        previous = Draft.objects.filter(project=project).order_by("-number").first()
        if previous is None:
            raise ValidationError({"project": "There is no version to copy: import the first."})
        title = _text(title, "title", "The title", limit=MAX_TITLE) or previous.title
        draft = Draft.objects.create(project=project, number=number, title=title, created_by=actor)
        rows = list(previous.sections.order_by("position"))
        nodes = _tree(rows)
        for node in _walk(nodes):
            node.fields["explanation"] = ""
        _create_tree(draft, nodes)
        audit.record(
            actor=actor,
            action="drafting.draft.copied",
            obj=draft,
            after={
                "project": project.pk,
                "number": number,
                "from_draft": previous.pk,
                "sections": len(rows),
            },
        )
    return draft


def _fields_of(row: Section) -> dict[str, Any]:
    return {
        "kind": row.kind,
        "number": row.number,
        "title": row.title,
        "text": row.text,
        "explanation": row.explanation,
        "registry_chapter": row.registry_chapter,
    }


def _tree(rows: Sequence[Section]) -> list[_Node]:
    """The sections as a tree of nodes (rows in position order)."""
    nodes = {row.pk: _Node(row.key, _fields_of(row), row) for row in rows}
    roots: list[_Node] = []
    for row in rows:
        node = nodes[row.pk]
        parent = nodes.get(row.parent_id) if row.parent_id else None
        (parent.children if parent is not None else roots).append(node)
    return roots


def _walk(nodes: list[_Node]) -> list[_Node]:
    out: list[_Node] = []
    for node in nodes:
        out.append(node)
        out.extend(_walk(node.children))
    return out


def _depth_of(node: _Node) -> int:
    return 1 + max((_depth_of(child) for child in node.children), default=0)


def draft_update(*, actor: Any, draft: Draft, title: Any, explanation: Any) -> Draft:
    """The working draft's title and overall explanation of what changed and why."""
    _may_edit(actor, draft.project)
    with transaction.atomic():
        draft = _locked_draft(draft)
        _working(draft)
        draft.title = _text(title, "title", "The title", required=True, limit=MAX_TITLE)
        draft.explanation = _text(explanation, "explanation", "The explanation")
        draft.save(update_fields=["title", "explanation"])
        audit.record(
            actor=actor, action="drafting.draft.updated", obj=draft, after={"draft": draft.pk}
        )
    return draft


# --- sections ---------------------------------------------------------------------------------


def _parent_in(draft: Draft, parent: Any) -> Section | None:
    """The parent named by key (or a Section of the same draft); None for the top level."""
    if parent in (None, ""):
        return None
    key = parent.key if isinstance(parent, Section) else parent
    if not isinstance(key, str):
        raise ValidationError({"parent": "Name the parent section by its key."})
    row = Section.objects.filter(draft=draft, key=key).first()
    if row is None:
        raise ValidationError({"parent": f"No section '{key[:80]}' in this draft."})
    return row


def _rearrange(roots: list[_Node]) -> None:
    """Give every row its parent and position from the tree `roots` (changed rows only)."""
    changed = []
    position = 0

    def place(items: list[_Node], parent: Section | None) -> None:
        nonlocal position
        for node in items:
            row = node.row
            assert row is not None
            parent_id = parent.pk if parent is not None else None
            if row.position != position or row.parent_id != parent_id:
                row.position = position
                row.parent_id = parent_id
                changed.append(row)
            position += 1
            place(node.children, row)

    place(roots, None)
    if changed:
        Section.objects.bulk_update(changed, ["position", "parent"])


def _index(value: Any, siblings: int) -> int:
    """A 1-based place among siblings (None: last)."""
    if value in (None, ""):
        return siblings
    try:
        index = int(value)
    except (TypeError, ValueError):
        raise ValidationError({"index": "The place is a number."}) from None
    if not 1 <= index <= siblings + 1:
        raise ValidationError({"index": f"The place is between 1 and {siblings + 1}."})
    return index - 1


def _find(nodes: list[_Node], key: str) -> tuple[list[_Node], _Node] | None:
    for node in nodes:
        if node.key == key:
            return nodes, node
        found = _find(node.children, key)
        if found is not None:
            return found
    return None


def _level_of(roots: list[_Node], key: str | None) -> tuple[list[_Node], int, str]:
    """The children list under `key` (None: the top), its depth and its kind."""
    if key is None:
        return roots, 0, ""

    def search(nodes: list[_Node], depth: int) -> tuple[list[_Node], int, str] | None:
        for node in nodes:
            if node.key == key:
                return node.children, depth + 1, node.fields["kind"]
            found = search(node.children, depth + 1)
            if found is not None:
                return found
        return None

    found = search(roots, 0)
    assert found is not None
    return found


def section_add(
    *,
    actor: Any,
    draft: Draft,
    key: Any,
    kind: Any,
    title: Any,
    number: Any = "",
    text: Any = "",
    explanation: Any = "",
    registry_chapter: Any = "",
    parent: Any = None,
    index: Any = None,
) -> Section:
    """A new section under `parent` (a key; None for the top level) at `index` (1-based
    among its siblings; None: last)."""
    _may_edit(actor, draft.project)
    with transaction.atomic():
        draft = _locked_draft(draft)
        _working(draft)
        key = _key(key, "key")
        kind = _kind(kind, "kind")
        fields = {
            "kind": kind,
            "number": _text(number, "number", "The number", limit=MAX_NUMBER),
            "title": _text(title, "title", "The title", required=True, limit=MAX_TITLE),
            "text": _text(text, "text", "The text"),
            "explanation": _text(explanation, "explanation", "The explanation"),
            "registry_chapter": _registry_chapter(
                registry_chapter, "registry_chapter", kind=kind, project=draft.project
            ),
        }
        parent_row = _parent_in(draft, parent)
        rows = list(draft.sections.order_by("position"))
        if any(row.key == key for row in rows):
            raise ValidationError({"key": f"The key '{key}' is already used in this draft."})
        if len(rows) >= MAX_SECTIONS:
            raise ValidationError({"key": f"A draft has at most {MAX_SECTIONS} sections."})
        roots = _tree(rows)
        siblings, depth, parent_kind = _level_of(roots, parent_row.key if parent_row else None)
        if depth + 1 > MAX_DEPTH:
            raise ValidationError({"parent": f"Sections nest at most {MAX_DEPTH} levels deep."})
        _kpi_placement(kind, parent_kind, "kind")
        place = _index(index, len(siblings))
        try:
            with transaction.atomic():
                row = Section.objects.create(
                    draft=draft, key=key, parent=parent_row, position=len(rows), **fields
                )
        except IntegrityError:
            raise ValidationError(
                {"key": f"The key '{key}' is already used in this draft."}
            ) from None
        siblings.insert(place, _Node(key, fields, row))
        _rearrange(roots)
        audit.record(
            actor=actor,
            action="drafting.section.added",
            obj=row,
            after={"draft": draft.pk, "key": key, "kind": kind, "position": row.position},
        )
    return row


def _locked_section(section: Section) -> tuple[Draft, Section]:
    draft = _locked_draft(section.draft)
    _working(draft)
    row = Section.objects.select_for_update().get(pk=section.pk)
    return draft, row


def section_update(
    *,
    actor: Any,
    section: Section,
    title: Any,
    number: Any = "",
    text: Any = "",
    explanation: Any = "",
    kind: Any = None,
    registry_chapter: Any = "",
) -> Section:
    """A working section's number, title, text, kind, registry chapter and the drafters'
    explanation of what changed and why. The key stays (it matches versions)."""
    _may_edit(actor, section.draft.project)
    with transaction.atomic():
        draft, row = _locked_section(section)
        kind = _kind(kind if kind is not None else row.kind, "kind")
        if kind != row.kind:
            parent_kind = ""
            if row.parent_id is not None:
                parents = Section.objects.filter(pk=row.parent_id)
                parent_kind = parents.values_list("kind", flat=True).first() or ""
            _kpi_placement(kind, parent_kind, "kind")
            if kind == SectionKind.KPI and row.children.exists():
                raise ValidationError({"kind": "Nothing sits under a key performance indicator."})
            if kind != SectionKind.MEASURE and row.children.filter(kind=SectionKind.KPI).exists():
                raise ValidationError({"kind": "Its key performance indicators need a measure."})
        row.kind = kind
        row.number = _text(number, "number", "The number", limit=MAX_NUMBER)
        row.title = _text(title, "title", "The title", required=True, limit=MAX_TITLE)
        row.text = _text(text, "text", "The text")
        row.explanation = _text(explanation, "explanation", "The explanation")
        row.registry_chapter = _registry_chapter(
            registry_chapter, "registry_chapter", kind=kind, project=draft.project
        )
        row.save(
            update_fields=["kind", "number", "title", "text", "explanation", "registry_chapter"]
        )
        audit.record(
            actor=actor,
            action="drafting.section.updated",
            obj=row,
            after={"draft": draft.pk, "key": row.key, "kind": row.kind},
        )
    return row


def section_move(*, actor: Any, section: Section, parent: Any, index: Any = None) -> Section:
    """Move a working section (with what sits under it) under `parent` (a key; None for the
    top level) at `index` (1-based among its new siblings; None: last)."""
    _may_edit(actor, section.draft.project)
    with transaction.atomic():
        draft, row = _locked_section(section)
        parent_row = _parent_in(draft, parent)
        rows = list(draft.sections.order_by("position"))
        roots = _tree(rows)
        found = _find(roots, row.key)
        assert found is not None
        old_siblings, node = found
        if parent_row is not None and _find([node], parent_row.key) is not None:
            raise ValidationError({"parent": "A section cannot move under itself."})
        old_siblings.remove(node)
        siblings, depth, parent_kind = _level_of(roots, parent_row.key if parent_row else None)
        if depth + _depth_of(node) > MAX_DEPTH:
            raise ValidationError({"parent": f"Sections nest at most {MAX_DEPTH} levels deep."})
        _kpi_placement(row.kind, parent_kind, "parent")
        siblings.insert(_index(index, len(siblings)), node)
        _rearrange(roots)
        row.refresh_from_db()
        audit.record(
            actor=actor,
            action="drafting.section.moved",
            obj=row,
            after={
                "draft": draft.pk,
                "key": row.key,
                "parent": parent_row.key if parent_row else None,
                "position": row.position,
            },
        )
    return row


def section_remove(*, actor: Any, section: Section) -> int:
    """Remove a working section and what sits under it; the number of sections removed."""
    _may_edit(actor, section.draft.project)
    with transaction.atomic():
        draft, row = _locked_section(section)
        rows = list(draft.sections.order_by("position"))
        roots = _tree(rows)
        found = _find(roots, row.key)
        assert found is not None
        siblings, node = found
        gone = _walk([node])
        siblings.remove(node)
        key, pk = row.key, row.pk
        row.delete()
        _rearrange(roots)
        audit.record(
            actor=actor,
            action="drafting.section.removed",
            object_type="drafting.section",
            object_id=str(pk),
            object_repr=key,
            after={"draft": draft.pk, "key": key, "removed": len(gone)},
        )
    return len(gone)


# --- publication and adoption -----------------------------------------------------------------


def draft_publish(
    *, actor: Any, draft: Draft, visibility: Any, published_on: date | None = None
) -> Draft:
    """Freeze a working draft and show it to the Office, the working groups or everyone."""
    _may_edit(actor, draft.project)
    with transaction.atomic():
        draft = _locked_draft(draft)
        _working(draft)
        visibility = _visibility(visibility, draft.project)
        if published_on is not None and not isinstance(published_on, date):
            raise ValidationError({"published_on": "The date of publication is a date."})
        published_on = published_on or _today()
        if published_on > _today():
            raise ValidationError({"published_on": "The date of publication is not in the future."})
        if not draft.sections.exists():
            raise ValidationError({"status": "A draft without sections is not published."})
        draft.status = DraftStatus.PUBLISHED
        draft.visibility = visibility
        draft.published_on = published_on
        draft.save(update_fields=["status", "visibility", "published_on"])
        audit.record(
            actor=actor,
            action="drafting.draft.published",
            obj=draft,
            after={
                "draft": draft.pk,
                "status": draft.status,
                "visibility": visibility,
                "published_on": published_on.isoformat(),
            },
        )
    return draft


def draft_set_visibility(*, actor: Any, draft: Draft, visibility: Any) -> Draft:
    """Who reads a published (or final) draft besides the Office and the chairs."""
    _may_edit(actor, draft.project)
    with transaction.atomic():
        draft = _locked_draft(draft)
        if draft.status == DraftStatus.WORKING:
            raise ValidationError({"visibility": "Publish the draft to choose who reads it."})
        before = draft.visibility
        draft.visibility = _visibility(visibility, draft.project)
        draft.save(update_fields=["visibility"])
        audit.record(
            actor=actor,
            action="drafting.draft.visibility_changed",
            obj=draft,
            before={"visibility": before},
            after={"draft": draft.pk, "visibility": draft.visibility},
        )
    return draft


def mark_final(*, actor: Any, draft: Draft) -> Draft:
    """The adopted text: a published draft becomes final (the adoption part calls this in
    its own transaction). One final draft per project."""
    _may_run(actor)
    with transaction.atomic():
        draft = _locked_draft(draft)
        if draft.status == DraftStatus.WORKING:
            raise ValidationError({"draft": "Only a published draft is adopted."})
        if draft.status == DraftStatus.FINAL:
            raise ValidationError({"draft": "This draft is already the final one."})
        other = Draft.objects.filter(project=draft.project, status=DraftStatus.FINAL)
        if other.exclude(pk=draft.pk).exists():
            raise ValidationError({"draft": "The project already has a final draft."})
        draft.status = DraftStatus.FINAL
        draft.save(update_fields=["status"])
        audit.record(
            actor=actor,
            action="drafting.draft.final",
            obj=draft,
            after={"draft": draft.pk, "project": draft.project_id, "status": draft.status},
        )
    return draft
