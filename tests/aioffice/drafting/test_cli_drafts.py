"""`aioffice drafting draft import|export|compare`: a version from a YAML or JSON document
through the service, a version exported as that document (and imported back unchanged), two
versions compared in a table with counts; bad input is one line on stderr, exit status 2."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from aioffice.accounts.models import User
from aioffice.core.models import AuditEvent
from aioffice.drafting import services_drafts as services
from aioffice.drafting.models_drafts import Draft, DraftStatus
from aioffice.drafting.models_projects import Project

from .drafts_world import document, keys_in_order, published_pair

pytestmark = pytest.mark.django_db


def invoke(*args: str) -> Any:
    from aioffice.cli import app

    return CliRunner().invoke(app, ["drafting", "draft", *args])


def test_import_a_yaml_document(
    drafting_project: Project, drafting_runner: User, tmp_path: Path
) -> None:
    file = tmp_path / "code.yaml"
    file.write_text(yaml.safe_dump(document(), sort_keys=False), encoding="utf-8")
    result = invoke("import", "test-code", str(file), "--as", "drafting-runner")
    assert result.exit_code == 0, result.output
    draft = Draft.objects.get(project=drafting_project)
    assert (draft.number, draft.status, draft.created_by) == (
        1,
        DraftStatus.WORKING,
        drafting_runner,
    )
    assert draft.title == "Test code, first draft"
    assert keys_in_order(draft)[:3] == ["transparency", "t-commit-1", "t-measure-1"]
    assert f"test-code: version 1 imported with {draft.sections.count()} section(s)" in (
        result.output
    )
    assert AuditEvent.objects.filter(action="drafting.draft.imported").count() == 1


def test_export_then_import_gives_the_same_sections(
    drafting_project: Project, drafting_runner: User, tmp_path: Path
) -> None:
    first, _ = published_pair(drafting_runner, drafting_project)
    out = tmp_path / "v1.json"
    result = invoke("export", "test-code", "1", "-o", str(out))
    assert result.exit_code == 0, result.output
    exported = json.loads(out.read_text(encoding="utf-8"))
    assert exported == services.document_of(first)
    result = invoke(
        "import", "test-code", str(out), "--as", "drafting-runner", "--title", "Back to one"
    )
    assert result.exit_code == 0, result.output
    third = Draft.objects.get(project=drafting_project, number=3)
    assert third.title == "Back to one"
    assert keys_in_order(third) == keys_in_order(first)
    result = invoke("compare", "test-code", "1", "3")
    assert result.exit_code == 0, result.output
    assert "0 added, 0 removed, 0 changed, 0 moved" in result.output


def test_export_as_yaml_on_stdout(drafting_project: Project, drafting_runner: User) -> None:
    _, second = published_pair(drafting_runner, drafting_project)
    result = invoke("export", "test-code", "2", "--format", "yaml")
    assert result.exit_code == 0, result.output
    assert yaml.safe_load(result.output) == services.document_of(second)


def test_compare_lists_what_changed_with_counts(
    drafting_project: Project, drafting_runner: User
) -> None:
    published_pair(drafting_runner, drafting_project)
    result = invoke("compare", "test-code", "2", "1")  # either order: the older first
    assert result.exit_code == 0, result.output
    assert "version 1 → version 2" in result.output
    lines = {line.split("│")[1].strip(): line for line in result.output.splitlines() if "│" in line}
    assert "added" in lines["c-measure-2"]
    assert "removed" in lines["t-measure-2"]
    assert "changed" in lines["t-measure-1"] and "text" in lines["t-measure-1"]
    assert "moved" in lines["copyright"] or "moved" in lines["transparency"]
    assert "t-kpi-1" not in lines  # unchanged and in place: only with --all
    assert "1 added, 1 removed, 1 changed, 1 moved" in result.output
    every = invoke("compare", "test-code", "1", "2", "--all")
    assert "t-kpi-1" in every.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["import", "no-code", "{yaml}", "--as", "drafting-runner"], "slug: no project is called"),
        (["import", "test-code", "{yaml}", "--as", "nobody"], "--as: no active user is called"),
        (["import", "test-code", "{yaml}", "--as", "drafting-member"], "--as: Only the Office"),
        (["import", "test-code", "{missing}", "--as", "drafting-runner"], "file: cannot read"),
        (["import", "test-code", "{broken}", "--as", "drafting-runner"], "document: The file is"),
        (["import", "test-code", "{twice}", "--as", "drafting-runner"], "sections.1.key: The key"),
        (["import", "test-code", "{empty}", "--as", "drafting-runner"], "sections: The document"),
        (["export", "test-code", "9"], "number: 'test-code' has no version 9"),
        (["export", "no-code", "1"], "slug: no project is called 'no-code'"),
        (["export", "test-code", "1", "--format", "xml"], "--format: choose json or yaml"),
        (["compare", "test-code", "1", "1"], "b: choose another version than a"),
        (["compare", "test-code", "1", "7"], "b: 'test-code' has no version 7"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    drafting_project: Project,
    drafting_runner: User,
    drafting_member: User,
    tmp_path: Path,
    args: list[str],
    message: str,
) -> None:
    services.draft_import(actor=drafting_runner, project=drafting_project, document=document())
    files = {
        "yaml": tmp_path / "code.yaml",
        "missing": tmp_path / "absent.yaml",
        "broken": tmp_path / "broken.yaml",
        "twice": tmp_path / "twice.json",
        "empty": tmp_path / "empty.yaml",
    }
    files["yaml"].write_text(yaml.safe_dump(document()), encoding="utf-8")
    files["broken"].write_text("title: [unclosed\n  - : :", encoding="utf-8")
    section = {"key": "same", "kind": "chapter", "number": "1", "title": "Same", "text": "x"}
    files["twice"].write_text(json.dumps({"sections": [section, section]}), encoding="utf-8")
    files["empty"].write_text("title: Nothing here\nsections: []\n", encoding="utf-8")
    if args[0] == "import":
        services.draft_publish(
            actor=drafting_runner, draft=Draft.objects.get(number=1), visibility="public"
        )
    result = invoke(*[a.format(**{k: str(v) for k, v in files.items()}) for a in args])
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert "Traceback" not in result.output
    assert Draft.objects.filter(project=drafting_project).count() == 1
