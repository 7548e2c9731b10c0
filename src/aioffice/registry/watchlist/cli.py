"""`aioffice watchlist …`: import a CSV of public training-compute estimates, export the list.

Imported by `aioffice.cli` before Django is set up, so Django and the app's modules are
imported inside the commands. Bad arguments and refused files raise Click's usage errors,
which the `aioffice` entry point prints as one line with exit status 2.
"""

from __future__ import annotations

import os
import sys
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

app = typer.Typer(help="The compute watch-list.", no_args_is_help=True)
console = Console()
err_console = Console(stderr=True)


class OnChoice(StrEnum):
    TODAY = "today"
    IMPORT = "import"


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aioffice.settings")
    import django

    django.setup()


def _parse_date(value: str | None, hint: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)", param_hint=hint) from None


def _parse_map(pairs: list[str]) -> dict[str, str]:
    mapping: dict[str, str] = {}
    for pair in pairs:
        field, sep, column = pair.partition("=")
        if not sep or not field.strip() or not column.strip():
            raise typer.BadParameter(f"{pair!r} is not field=column", param_hint="'--map'")
        mapping[field.strip()] = column.strip()
    return mapping


def _first_error(exc: Any) -> tuple[str, str]:
    if hasattr(exc, "error_dict"):
        field, messages = next(iter(exc.message_dict.items()))
        return field, " ".join(messages)
    return "file", " ".join(exc.messages)


@app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(help="The CSV file.", dir_okay=False)],
    source: Annotated[str, typer.Option(help="Where the figures come from, e.g. a dataset name.")],
    source_url: Annotated[str, typer.Option(help="Address of the source.")] = "",
    retrieved_on: Annotated[
        str | None, typer.Option(help="Day the file was retrieved (YYYY-MM-DD).")
    ] = None,
    map_: Annotated[
        list[str] | None,
        typer.Option(
            "--map",
            help="Our field = the file's column, e.g. training_compute_flop='Training compute "
            "(FLOP)'; repeat it. Fields not given are found from the header.",
        ),
    ] = None,
) -> None:
    """Import the rows of FILE, parse every cell, suggest matches and flag the rows."""
    retrieved = _parse_date(retrieved_on, "'--retrieved-on'")
    mapping = _parse_map(map_ or [])
    if not file.is_file():
        raise typer.BadParameter(f"{str(file)!r} is not a readable file", param_hint="'FILE'")
    _django()
    from django.core.exceptions import ValidationError
    from django.core.files import File

    from aioffice.registry.watchlist import services

    with (
        file.open("rb") as handle,
        Progress(
            TextColumn("importing rows"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=err_console,
            transient=True,
            disable=not err_console.is_terminal,
        ) as progress,
    ):
        bar = progress.add_task("import", total=None)

        def tick(done: int, total: int) -> None:
            progress.update(bar, completed=done, total=total)

        try:
            made = services.watchlist_import(
                actor=None,
                file=File(handle, name=file.name),
                mapping=mapping,
                source=source,
                source_url=source_url,
                retrieved_on=retrieved,
                progress=tick,
            )
        except ValidationError as exc:
            field, message = _first_error(exc)
            raise typer.BadParameter(message, param_hint=f"'{field}'") from None
    console.print(
        f"import #{made.pk}: {made.row_count} rows, {made.error_row_count} with errors, "
        f"{made.suggested_count} suggested matches; sha256 {made.sha256}",
        highlight=False,
        soft_wrap=True,
    )


@app.command("export")
def export(
    import_id: Annotated[
        int | None, typer.Option("--import", min=1, help="An import (default: the latest).")
    ] = None,
    on: Annotated[OnChoice, typer.Option(help="Threshold of which day.")] = OnChoice.TODAY,
) -> None:
    """Write the watch-list as CSV to standard output."""
    _django()
    from aioffice.core.exports import csv_rows
    from aioffice.registry.watchlist.selectors import (
        WATCHLIST_COLUMNS,
        import_or_latest,
        watchlist_csv_rows,
        watchlist_entries,
    )

    imported = import_or_latest(import_id)
    if imported is None:
        raise typer.BadParameter("no such import", param_hint="'--import'")
    entries = watchlist_entries(imported, on=on.value)
    for line in csv_rows(WATCHLIST_COLUMNS, watchlist_csv_rows(entries)):
        sys.stdout.write(line)
