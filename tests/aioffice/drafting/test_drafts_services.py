"""The drafts' services: a first version from a structured document (checked, the place of
each mistake named), the next as a copy with the same keys, edits while working (add, edit,
move, remove sections; explanations), publication (frozen), the final draft for adoption;
rights; every change audited without text."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from aioffice.accounts.choices import Role
from aioffice.accounts.models import User
from aioffice.core.models import AuditEvent
from aioffice.core.testing import make_user
from aioffice.drafting import services_drafts as services
from aioffice.drafting.choices import ProjectStatus, Visibility
from aioffice.drafting.models_drafts import Draft, DraftStatus, Section
from aioffice.drafting.models_projects import Project

from .drafts_world import DOCUMENT, keys_in_order, published_pair

pytestmark = pytest.mark.django_db


def errors(exc: pytest.ExceptionInfo[ValidationError]) -> set[str]:
    return set(exc.value.message_dict)


def test_import_builds_the_tree_in_document_order(
    drafting_runner: User, drafting_project: Project
) -> None:
    draft = services.draft_import(
        actor=drafting_runner, project=drafting_project, document=DOCUMENT
    )
    assert draft.number == 1
    assert draft.status == DraftStatus.WORKING
    assert draft.title == DOCUMENT["title"]
    assert keys_in_order(draft) == [
        "transparency", "t-commit-1", "t-measure-1", "t-kpi-1", "t-measure-2",
        "copyright", "c-commit-1", "c-measure-1",
    ]  # fmt: skip
    kpi = draft.sections.get(key="t-kpi-1")
    assert kpi.parent is not None
    assert kpi.parent.key == "t-measure-1"
    assert draft.sections.get(key="transparency").registry_chapter == "transparency"
    assert [s.position for s in draft.sections.order_by("position")] == list(range(8))
    event = AuditEvent.objects.filter(action="drafting.draft.imported").get()
    assert json.loads(event.after_json) == {
        "project": drafting_project.pk,
        "number": 1,
        "sections": 8,
    }
    # what the export gives back is what the import took
    again = services.document_of(draft)
    assert again["sections"] == DOCUMENT["sections"]


def _at(document: dict[str, Any], path: str) -> dict[str, Any]:
    """The section at "0.children.1" (indices and "children" from the sections list)."""
    node: Any = document["sections"]
    for part in path.split("."):
        node = node[int(part)] if part.isdigit() else node[part]
    result: dict[str, Any] = node
    return result


def _set(path: str, **fields: Any) -> Any:
    return lambda d: _at(d, path).update(fields)


def _too_deep(d: dict[str, Any]) -> None:
    node = _at(d, "0.children.0")
    for i in range(6):
        child = {"key": f"deeper-{i}", "kind": "section", "title": "x"}
        node["children"] = [child]
        node = child


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (_set("0", key="Bad Key"), "sections.0.key"),
        (_set("1", key="transparency"), "sections.1.key"),
        (_set("0.children.0", kind="article"), "sections.0.children.0.kind"),
        (_set("0", title=""), "sections.0.title"),
        (_set("0", registry_chapter="ethics"), "sections.0.registry_chapter"),
        (_set("0.children.0", registry_chapter="copyright"), "sections.0.children.0.registry"),
        (_set("1.children.0", kind="kpi"), "sections.1.children.0.kind"),
        (_set("0", colour="red"), "sections.0"),
        (_set("0", text="a\x00b"), "sections.0.text"),
        (lambda d: d.update(sections=[]), "sections"),
        (lambda d: d.update(sections="all of them"), "sections"),
        (_too_deep, "sections.0.children.0.children.0.children.0.children.0"),
    ],
)
def test_import_refuses_a_bad_document_naming_the_place(
    drafting_runner: User, drafting_project: Project, change: Any, field: str
) -> None:
    document = json.loads(json.dumps(DOCUMENT))
    change(document)
    with pytest.raises(ValidationError) as exc:
        services.draft_import(actor=drafting_runner, project=drafting_project, document=document)
    assert any(name.startswith(field) for name in errors(exc)), errors(exc)
    assert not Draft.objects.exists()


def test_registry_chapters_only_in_the_gpai_code(
    drafting_runner: User, drafting_project: Project
) -> None:
    drafting_project.gpai_code = False
    drafting_project.save()
    with pytest.raises(ValidationError) as exc:
        services.draft_import(actor=drafting_runner, project=drafting_project, document=DOCUMENT)
    assert errors(exc) == {"sections.0.registry_chapter"}


def test_who_may_write_drafts(
    drafting_project: Project, drafting_chair: User, drafting_member: User
) -> None:
    draft = services.draft_import(actor=drafting_chair, project=drafting_project, document=DOCUMENT)
    assert draft.created_by == drafting_chair
    for actor in (
        drafting_member,
        make_user(Role.TECHNICAL_OFFICER),
        make_user(Role.ORGANISATION_MEMBER),
        make_user(None),
    ):
        with pytest.raises(PermissionDenied):
            services.draft_update(actor=actor, draft=draft, title="x", explanation="")
        with pytest.raises(PermissionDenied):
            services.draft_next(actor=actor, project=drafting_project)
    # only project runners make a draft final (adoption)
    services.draft_publish(actor=drafting_chair, draft=draft, visibility=Visibility.PUBLIC)
    with pytest.raises(PermissionDenied):
        services.mark_final(actor=drafting_chair, draft=draft)


def test_one_working_version_at_a_time_and_the_copy_keeps_keys(
    drafting_runner: User, drafting_project: Project
) -> None:
    first = services.draft_import(
        actor=drafting_runner, project=drafting_project, document=DOCUMENT
    )
    services.section_update(
        actor=drafting_runner,
        section=first.sections.get(key="copyright"),
        title="Copyright",
        number="2",
        explanation="Shorter title.",
        registry_chapter="copyright",
    )
    with pytest.raises(ValidationError) as exc:
        services.draft_next(actor=drafting_runner, project=drafting_project)
    assert errors(exc) == {"project"}
    with pytest.raises(ValidationError):
        services.draft_import(actor=drafting_runner, project=drafting_project, document=DOCUMENT)
    services.draft_publish(actor=drafting_runner, draft=first, visibility=Visibility.OFFICE)
    second = services.draft_next(actor=drafting_runner, project=drafting_project)
    assert second.number == 2
    assert second.title == first.title
    assert keys_in_order(second) == keys_in_order(first)
    copied = second.sections.get(key="t-kpi-1")
    assert copied.parent is not None
    assert copied.parent.key == "t-measure-1"
    assert copied.parent.draft_id == second.pk
    assert second.sections.get(key="copyright").explanation == ""  # says what changes now
    assert second.sections.get(key="copyright").title == "Copyright"


def test_copy_needs_a_first_version_and_an_open_project(
    drafting_runner: User, drafting_project: Project
) -> None:
    with pytest.raises(ValidationError) as exc:
        services.draft_next(actor=drafting_runner, project=drafting_project)
    assert errors(exc) == {"project"}
    drafting_project.status = ProjectStatus.CLOSED
    drafting_project.save()
    with pytest.raises(ValidationError) as exc:
        services.draft_import(actor=drafting_runner, project=drafting_project, document=DOCUMENT)
    assert errors(exc) == {"project"}


def test_add_move_and_remove_sections_keep_document_order(
    drafting_runner: User, drafting_project: Project
) -> None:
    draft = services.draft_import(
        actor=drafting_runner, project=drafting_project, document=DOCUMENT
    )
    services.section_add(
        actor=drafting_runner,
        draft=draft,
        key="t-kpi-2",
        kind="kpi",
        title="Share of documentation updated",
        parent="t-measure-1",
        index=1,
    )
    assert keys_in_order(draft)[:5] == [
        "transparency", "t-commit-1", "t-measure-1", "t-kpi-2", "t-kpi-1"
    ]  # fmt: skip
    # a measure moves to the copyright chapter's commitment, its KPIs with it
    services.section_move(
        actor=drafting_runner,
        section=draft.sections.get(key="t-measure-1"),
        parent="c-commit-1",
        index=None,
    )
    assert keys_in_order(draft) == [
        "transparency", "t-commit-1", "t-measure-2",
        "copyright", "c-commit-1", "c-measure-1", "t-measure-1", "t-kpi-2", "t-kpi-1",
    ]  # fmt: skip
    services.section_move(
        actor=drafting_runner, section=draft.sections.get(key="copyright"), parent=None, index=1
    )
    assert keys_in_order(draft)[0] == "copyright"
    assert keys_in_order(draft)[-3:] == ["transparency", "t-commit-1", "t-measure-2"]
    removed = services.section_remove(
        actor=drafting_runner, section=draft.sections.get(key="c-commit-1")
    )
    assert removed == 5
    assert keys_in_order(draft) == ["copyright", "transparency", "t-commit-1", "t-measure-2"]
    assert [s.position for s in draft.sections.order_by("position")] == [0, 1, 2, 3]
    actions = list(
        AuditEvent.objects.filter(action__startswith="drafting.section.").values_list(
            "action", flat=True
        )
    )
    assert actions == [
        "drafting.section.added",
        "drafting.section.moved",
        "drafting.section.moved",
        "drafting.section.removed",
    ]


def test_section_mistakes_are_named(drafting_runner: User, drafting_project: Project) -> None:
    draft = services.draft_import(
        actor=drafting_runner, project=drafting_project, document=DOCUMENT
    )
    measure = draft.sections.get(key="t-measure-1")
    cases: list[tuple[dict[str, Any], str]] = [
        ({"key": "t-kpi-1", "kind": "kpi", "title": "x", "parent": "t-measure-1"}, "key"),
        ({"key": "new", "kind": "kpi", "title": "x", "parent": "t-commit-1"}, "kind"),
        ({"key": "new", "kind": "measure", "title": "x", "parent": "nowhere"}, "parent"),
        ({"key": "new", "kind": "measure", "title": "", "parent": None}, "title"),
        ({"key": "new", "kind": "measure", "title": "x", "index": 9}, "index"),
        ({"key": "new", "kind": "measure", "title": "x", "index": "first"}, "index"),
        ({"key": "new", "kind": "section", "title": "x", "registry_chapter": "copyright"},
         "registry_chapter"),
    ]  # fmt: skip
    for fields, field in cases:
        with pytest.raises(ValidationError) as exc:
            services.section_add(actor=drafting_runner, draft=draft, **fields)
        assert errors(exc) == {field}, fields
    with pytest.raises(ValidationError) as exc:
        services.section_move(actor=drafting_runner, section=measure, parent="t-kpi-1", index=None)
    assert errors(exc) == {"parent"}
    with pytest.raises(ValidationError) as exc:
        services.section_move(
            actor=drafting_runner,
            section=draft.sections.get(key="t-kpi-1"),
            parent="t-commit-1",
            index=None,
        )
    assert errors(exc) == {"parent"}
    with pytest.raises(ValidationError) as exc:
        services.section_update(actor=drafting_runner, section=measure, title="x", kind="section")
    assert errors(exc) == {"kind"}
    assert draft.sections.count() == 8


def test_publish_freezes_and_mark_final_adopts_once(
    drafting_runner: User, drafting_project: Project
) -> None:
    draft = services.draft_import(
        actor=drafting_runner, project=drafting_project, document=DOCUMENT
    )
    tomorrow = timezone.now().date() + timedelta(days=1)
    with pytest.raises(ValidationError) as exc:
        services.draft_publish(
            actor=drafting_runner, draft=draft, visibility="friends", published_on=None
        )
    assert errors(exc) == {"visibility"}
    with pytest.raises(ValidationError) as exc:
        services.draft_publish(
            actor=drafting_runner, draft=draft, visibility="public", published_on=tomorrow
        )
    assert errors(exc) == {"published_on"}
    with pytest.raises(ValidationError) as exc:
        services.mark_final(actor=drafting_runner, draft=draft)
    assert errors(exc) == {"draft"}
    services.draft_publish(
        actor=drafting_runner,
        draft=draft,
        visibility="working_groups",
        published_on=date(2026, 10, 1),
    )
    draft.refresh_from_db()
    assert (draft.status, draft.visibility, draft.published_on) == (
        DraftStatus.PUBLISHED,
        Visibility.WORKING_GROUPS,
        date(2026, 10, 1),
    )
    with pytest.raises(ValidationError) as exc:
        services.section_update(
            actor=drafting_runner, section=draft.sections.first(), title="Changed"
        )
    assert errors(exc) == {"status"}
    with pytest.raises(ValidationError):
        services.draft_update(actor=drafting_runner, draft=draft, title="x", explanation="")
    services.draft_set_visibility(actor=drafting_runner, draft=draft, visibility="public")
    services.mark_final(actor=drafting_runner, draft=draft)
    draft.refresh_from_db()
    assert draft.status == DraftStatus.FINAL
    with pytest.raises(ValidationError) as exc:
        services.mark_final(actor=drafting_runner, draft=draft)
    assert errors(exc) == {"draft"}
    event = AuditEvent.objects.get(action="drafting.draft.final")
    assert json.loads(event.after_json) == {
        "draft": draft.pk,
        "project": drafting_project.pk,
        "status": "final",
    }


def test_one_final_draft_per_project(drafting_runner: User, drafting_project: Project) -> None:
    first, second = published_pair(drafting_runner, drafting_project)
    services.mark_final(actor=drafting_runner, draft=second)
    with pytest.raises(ValidationError) as exc:
        services.mark_final(actor=drafting_runner, draft=first)
    assert errors(exc) == {"draft"}


def test_public_visibility_needs_a_public_project(
    drafting_runner: User, drafting_project: Project
) -> None:
    drafting_project.public = False
    drafting_project.save()
    draft = services.draft_import(
        actor=drafting_runner, project=drafting_project, document=DOCUMENT
    )
    with pytest.raises(ValidationError) as exc:
        services.draft_publish(actor=drafting_runner, draft=draft, visibility="public")
    assert errors(exc) == {"visibility"}


def test_audit_never_carries_text(drafting_runner: User, drafting_project: Project) -> None:
    _first, second = published_pair(drafting_runner, drafting_project)
    for event in AuditEvent.objects.filter(action__startswith="drafting."):
        after = event.after_json or ""
        assert "Transparency" not in after
        assert "drafters" not in after
        assert "what" not in after.lower()
    assert Section.objects.filter(draft=second).exists()
