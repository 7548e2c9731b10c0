"""`aioffice drafting consultation …`: consultations from the command line.

* `list`: every consultation, open or closed, with its responses and feedback counted.
* `import <id> FILE.csv --as <user>`: letters and e-mails entered in bulk (the columns of
  `services_consultations.IMPORT_COLUMNS`, as on the import page), with a progress bar.
* `export <id> [--format csv|json] [-o FILE]`: all the feedback, streamed, confidential
  responses and e-mail addresses included (for operators with shell access).
* `close-elapsed`: close the clock deadlines of the consultations whose period ran out
  (the worker does it every round; this does it now).

Imported before Django is set up; Django and the app's modules are imported inside the
commands. Bad input: one line on stderr naming the field, exit status 2.
"""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from aioffice.drafting.cli_common import django_setup, err_console, fail, refused

app = typer.Typer(
    help="Consultations: list them, import and export feedback, end the periods that ran out.",
    no_args_is_help=True,
)
console = Console()

REQUIRED_COLUMNS = ("name", "category", "confidentiality", "position")
FORMATS = ("csv", "json")


def _consultation(pk: int) -> Any:
    from aioffice.drafting.models_consultations import Consultation

    found = Consultation.objects.select_related("draft__project").filter(pk=pk).first()
    if found is None:
        raise fail(f"consultation: no consultation has the id {pk}")
    return found


def _user(username: str) -> Any:
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise fail(f"--as: no active user is called {username!r}")
    return user


def _state(consultation: Any, now: Any) -> str:
    from aioffice.drafting import services_consultations as services

    if now < consultation.opens_at:
        return "upcoming"
    if services.is_open(consultation, now):
        return "open"
    if consultation.responses_published_at is not None:
        return "published"  # closed, its responses published
    return "closed"


@app.command("list")
def list_() -> None:
    """Every consultation (newest first): its project and version, audience, period, state
    (upcoming, open, closed, published: closed with its responses published) and how many
    responses and pieces of feedback it holds."""
    django_setup()
    from django.db.models import Count
    from django.utils import timezone

    from aioffice.drafting import services_consultations as services
    from aioffice.drafting.models_consultations import Consultation

    rows = (
        Consultation.objects.select_related("draft__project")
        .annotate(
            response_count=Count("responses", distinct=True),
            feedback_count=Count("responses__items", distinct=True),
        )
        .order_by("-opens_at", "-id")
    )
    now = timezone.now()
    table = Table(title="Consultations")
    for column in ("Id", "Project", "Version", "Audience", "Opens", "Closes"):
        table.add_column(column)
    table.add_column("State", no_wrap=True)
    table.add_column("Responses", justify="right")
    table.add_column("Feedback", justify="right")
    counts = {"open": 0, "closed": 0, "upcoming": 0}
    for row in rows:
        state = _state(row, now)
        counts["closed" if state == "published" else state] += 1
        table.add_row(
            str(row.pk),
            row.draft.project.slug,
            str(row.draft.number),
            row.audience,
            timezone.localtime(row.opens_at).strftime("%Y-%m-%d %H:%M"),
            timezone.localtime(services.closes_at(row)).strftime("%Y-%m-%d %H:%M"),
            state,
            str(row.response_count),
            str(row.feedback_count),
        )
    console.print(table)
    console.print(
        f"{counts['open']} open, {counts['closed']} closed, {counts['upcoming']} upcoming",
        highlight=False,
    )


def _read_csv(path: Path, bar: Progress) -> list[dict[str, Any]]:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise fail(f"file: cannot read {str(path)!r}: {exc.strerror or exc}") from exc
    except UnicodeDecodeError:
        raise fail("file: the file is not UTF-8 text") from None
    lines = max(text.count("\n"), 1)
    task = bar.add_task("reading", total=lines)
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        header = reader.fieldnames or []
        missing = [c for c in REQUIRED_COLUMNS if c not in header]
        if missing:
            raise fail(f"file: the CSV has no column {', '.join(missing)} (first line)")
        rows = []
        for row in reader:
            rows.append(row)
            if len(rows) % 500 == 0:
                bar.update(task, completed=reader.line_num)
    except csv.Error as exc:
        raise fail(f"file: line {reader.line_num}: {exc}") from exc
    bar.update(task, completed=lines)
    return rows


def _counted(rows: list[dict[str, Any]], bar: Progress) -> Iterator[dict[str, Any]]:
    """The rows as the service validates them, the bar following."""
    task = bar.add_task("checking", total=len(rows))
    for index, row in enumerate(rows, start=1):
        yield row
        if index % 500 == 0 or index == len(rows):
            bar.update(task, completed=index)


@app.command("import")
def import_(
    consultation_id: Annotated[int, typer.Argument(help="The consultation's id.")],
    file: Annotated[Path, typer.Argument(help="A UTF-8 CSV file with a header line.")],
    username: Annotated[
        str, typer.Option("--as", help="Who enters it (the Office or a chair of the project).")
    ],
) -> None:
    """Enter feedback received by letter or e-mail from a CSV file (columns: respondent, name,
    organisation, category, email, confidentiality, section, position, comment,
    proposed_wording). Rows with the same `respondent` are one response. All or nothing;
    only while the consultation is open."""
    django_setup()
    from django.core.exceptions import PermissionDenied, ValidationError

    from aioffice.drafting import services_consultations as services

    consultation = _consultation(consultation_id)
    actor = _user(username)
    columns = (TextColumn("{task.description:<10}"), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, console=err_console, transient=True) as bar:
        rows = _read_csv(file, bar)
        try:
            responses = services.import_feedback(
                actor=actor, consultation=consultation, rows=_counted(rows, bar)
            )
        except PermissionDenied as exc:
            raise fail(f"--as: {exc}") from exc
        except ValidationError as exc:
            raise refused(exc) from exc
    console.print(
        f"consultation {consultation.pk}: {len(responses)} response(s) entered "
        f"from {len(rows)} row(s)",
        highlight=False,
    )


def _json_lines(consultation: Any) -> Iterator[str]:
    from django.core.serializers.json import DjangoJSONEncoder

    from aioffice.drafting import selectors_consultations as selectors

    encoder = DjangoJSONEncoder()
    yield f'{{"consultation": {consultation.pk}, "feedback": [\n'
    first = True
    for row in selectors.export_rows(consultation):
        text = encoder.encode(dict(zip(selectors.EXPORT_HEADER, row, strict=True)))
        yield text if first else ",\n" + text
        first = False
    yield "\n]}\n"


@app.command("export")
def export(
    consultation_id: Annotated[int, typer.Argument(help="The consultation's id.")],
    format_: Annotated[str, typer.Option("--format", help="csv or json.")] = "csv",
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Write to this file (default: stdout).")
    ] = None,
) -> None:
    """All the consultation's feedback, one line a piece, streamed: the response's columns
    (reference, channel, identity check, confidentiality, name, organisation, e-mail) and
    the feedback's. CONFIDENTIAL RESPONSES AND E-MAIL ADDRESSES ARE INCLUDED: this is for
    operators with shell access; keep the file as personal data."""
    if format_ not in FORMATS:
        raise fail("--format: choose csv or json")
    django_setup()
    from aioffice.core.exports import csv_rows
    from aioffice.drafting import selectors_consultations as selectors

    consultation = _consultation(consultation_id)
    if format_ == "csv":
        chunks = csv_rows(selectors.EXPORT_HEADER, selectors.export_rows(consultation))
    else:
        chunks = _json_lines(consultation)
    if output is None:
        for chunk in chunks:
            sys.stdout.write(chunk)
        sys.stdout.flush()
        return
    try:
        with output.open("w", encoding="utf-8", newline="") as target:
            for chunk in chunks:
                target.write(chunk)
    except OSError as exc:
        raise fail(f"--output: cannot write {str(output)!r}: {exc.strerror or exc}") from exc
    err_console.print(f"written to {output}", highlight=False, markup=False)


@app.command("close-elapsed")
def close_elapsed() -> None:
    """Close now the clock deadlines of the consultations whose period ran out (the worker
    does it every round). The consultations and their responses are not changed."""
    django_setup()
    from aioffice.drafting import services_consultations as services

    done = services.close_elapsed()
    console.print(f"{done} consultation period(s) ended on the clock", highlight=False)
