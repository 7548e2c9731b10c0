"""`aioffice drafting draft …`: a project's versions from the command line.

* `import <slug> FILE --as <user>`: a new version from a structured document (YAML or JSON,
  the structure the page and the API take and `export` gives), through
  `services_drafts.draft_import`.
* `export <slug> <number> [--format json|yaml] [-o FILE]`: a version as that document.
* `compare <slug> <a> <b>`: the sections added, removed, changed and moved between two
  versions (the older against the newer, whatever the order given), with their counts.

Imported before Django is set up; Django and the app's modules are imported inside the
commands. Bad input: one line on stderr naming the field, exit status 2. Export and compare
read every version, working ones included (operators with shell access).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from aioffice.drafting.cli_common import django_setup, err_console, fail, refused

app = typer.Typer(
    help="Versions of a draft: import and export the structured document, compare two.",
    no_args_is_help=True,
)
console = Console()

FORMATS = ("json", "yaml")


def _project(slug: str) -> Any:
    from aioffice.drafting.models_projects import Project

    found = Project.objects.filter(slug=slug).first()
    if found is None:
        raise fail(f"slug: no project is called {slug!r}")
    return found


def _draft(project: Any, number: int, field: str) -> Any:
    from aioffice.drafting.models_drafts import Draft

    found = Draft.objects.filter(project=project, number=number).first()
    if found is None:
        raise fail(f"{field}: {project.slug!r} has no version {number}")
    found.project = project
    return found


@app.command("import")
def import_(
    slug: Annotated[str, typer.Argument(help="The project's slug.")],
    file: Annotated[Path, typer.Argument(help="The structured document (.yaml, .yml or .json).")],
    username: Annotated[
        str, typer.Option("--as", help="Who imports it (a runner, chair or drafter).")
    ],
    title: Annotated[str, typer.Option(help="The version's title (default: the document's).")] = "",
) -> None:
    """A new version of the project from a structured document: the first, or the next one
    (no other version may be in writing)."""
    django_setup()
    from django.core.exceptions import PermissionDenied, ValidationError

    from aioffice.drafting import services_drafts as services
    from aioffice.drafting.forms_drafts import MAX_DOCUMENT_BYTES, parse_document

    project = _project(slug)
    actor = _user(username)
    try:
        if file.stat().st_size > MAX_DOCUMENT_BYTES:
            raise fail(f"file: larger than {MAX_DOCUMENT_BYTES // (1024 * 1024)} MB")
        raw = file.read_bytes()
    except OSError as exc:
        raise fail(f"file: cannot read {str(file)!r}: {exc.strerror or exc}") from exc
    try:
        document = parse_document(raw, file.name)
        draft = services.draft_import(actor=actor, project=project, document=document, title=title)
    except PermissionDenied as exc:
        raise fail(f"--as: {exc}") from exc
    except ValidationError as exc:
        raise refused(exc) from exc
    console.print(
        f"{project.slug}: version {draft.number} imported with "
        f"{draft.sections.count()} section(s) (working)",
        highlight=False,
        markup=False,
    )


def _user(username: str) -> Any:
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise fail(f"--as: no active user is called {username!r}")
    return user


@app.command("export")
def export(
    slug: Annotated[str, typer.Argument(help="The project's slug.")],
    number: Annotated[int, typer.Argument(help="The version's number.")],
    format_: Annotated[
        str | None, typer.Option("--format", help="json or yaml (default: the file's suffix).")
    ] = None,
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Write to this file (default: stdout).")
    ] = None,
) -> None:
    """A version as its structured document (what `import` takes back)."""
    if format_ is None:
        suffix = output.suffix.lower() if output is not None else ""
        format_ = "yaml" if suffix in (".yaml", ".yml") else "json"
    if format_ not in FORMATS:
        raise fail("--format: choose json or yaml")
    django_setup()
    import yaml

    from aioffice.drafting import selectors_drafts as selectors
    from aioffice.drafting import services_drafts as services

    draft = _draft(_project(slug), number, "number")
    document = services.document_of(draft, selectors.sections_of(draft))
    if format_ == "json":
        body = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    else:
        body = yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=100)
    if output is None:
        sys.stdout.write(body)
        sys.stdout.flush()
        return
    try:
        output.write_text(body, encoding="utf-8")
    except OSError as exc:
        raise fail(f"--output: cannot write {str(output)!r}: {exc.strerror or exc}") from exc
    err_console.print(f"written to {output}", highlight=False, markup=False)


def _label(row: Any) -> str:
    section = row.section
    return escape(f"{section.number} {section.title}".strip())


@app.command("compare")
def compare(
    slug: Annotated[str, typer.Argument(help="The project's slug.")],
    a: Annotated[int, typer.Argument(help="One version's number.")],
    b: Annotated[int, typer.Argument(help="The other version's number.")],
    all_: Annotated[bool, typer.Option("--all", help="The unchanged sections too.")] = False,
) -> None:
    """The sections added, removed, changed (which fields) and moved from the older version
    to the newer one, in the newer one's order; their counts below."""
    django_setup()
    from aioffice.drafting import compare as comparison
    from aioffice.drafting import selectors_drafts as selectors

    project = _project(slug)
    one, two = _draft(project, a, "a"), _draft(project, b, "b")
    if one.pk == two.pk:
        raise fail("b: choose another version than a")
    old, new = (one, two) if one.number < two.number else (two, one)
    result = comparison.compare(selectors.sections_of(old), selectors.sections_of(new))
    table = Table(title=f"{project.slug}: version {old.number} → version {new.number}")
    for column in ("Key", "Section", "Status", "Moved", "Changed fields", "Parent"):
        table.add_column(column)
    for row in result.rows if all_ else result.changed_only():
        parent = row.new_parent if row.new is not None else row.old_parent
        if row.moved and row.old_parent != row.new_parent:
            parent = f"{row.old_parent or '(top)'} → {row.new_parent or '(top)'}"
        table.add_row(
            escape(row.key),
            _label(row),
            row.status,
            "moved" if row.moved else "",
            ", ".join(row.changed_fields),
            escape(parent or ""),
        )
    console.print(table)
    counts = result.counts
    console.print(
        f"{counts['added']} added, {counts['removed']} removed, {counts['changed']} changed, "
        f"{counts['moved']} moved, {counts['unchanged']} unchanged",
        highlight=False,
    )
