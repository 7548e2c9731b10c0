"""`aioffice registry …`: the registry's command-line tools.

Imported by `aioffice.cli` before Django is set up, so Django and the app's modules are
imported inside the commands. Bad arguments raise Click's usage errors, which the
`aioffice` entry point prints as one line with exit status 2.
"""

from __future__ import annotations

import os
from datetime import date
from enum import StrEnum
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

app = typer.Typer(help="The GPAI registry.", no_args_is_help=True)
console = Console()
err_console = Console(stderr=True)

# Rows of the changed-outcome table printed in full; the rest are counted.
TABLE_ROWS = 200


class LawChoice(StrEnum):
    AS_AMENDED = "as-amended"
    AS_PUBLISHED = "as-published"


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aioffice.settings")
    import django

    django.setup()


def _parse_date(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(
            f"{value!r} is not a date (YYYY-MM-DD)", param_hint="'--as-of'"
        ) from None


@app.command()
def reassess(
    law: Annotated[LawChoice, typer.Option(help="Law selection.")] = LawChoice.AS_AMENDED,
    as_of: Annotated[
        str | None, typer.Option(help="Date to apply the law on (YYYY-MM-DD); default today (UTC).")
    ] = None,
    batch_size: Annotated[int, typer.Option(min=1, max=10000, help="Versions per batch.")] = 1000,
) -> None:
    """Re-assess every model version under the current rules and list the changed outcomes.

    A snapshot is stored only where the rules version, the law selection, the facts or
    the outcome changed; one audit event is written per batch that stored anything.
    """
    day = _parse_date(as_of)
    _django()
    from aioffice.registry.models import ModelVersion
    from aioffice.registry.services import versions_reassess

    total = ModelVersion.objects.count()
    with Progress(
        TextColumn("re-assessing model versions"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
        disable=not err_console.is_terminal,
    ) as progress:
        bar = progress.add_task("reassess", total=total)
        report = versions_reassess(
            actor=None,
            law=law.value,
            as_of=day,
            batch_size=batch_size,
            progress=lambda n: progress.update(bar, completed=n),
        )
    if report.changes:
        table = Table(title="Outcomes that changed", show_lines=False)
        table.add_column("version", justify="right")
        table.add_column("model")
        table.add_column("systemic risk")
        table.add_column("obligations")
        for change in report.changes[:TABLE_ROWS]:
            table.add_row(
                str(change.version_id),
                change.name,
                f"{change.old_status} → {change.new_status}",
                "\n".join(f"{oid}: {old} → {new}" for oid, old, new in change.obligations),
            )
        console.print(table)
        if len(report.changes) > TABLE_ROWS:
            console.print(f"… and {len(report.changes) - TABLE_ROWS} more", highlight=False)
    for version_id, message in report.failures:
        err_console.print(f"version {version_id}: not assessed: {message}", highlight=False)
    console.print(
        f"{report.checked} versions checked under {report.law} rules {report.rules_version} "
        f"on {report.as_of}: {report.stored} snapshots stored ({report.first} first "
        f"assessments), {len(report.changes)} outcomes changed",
        highlight=False,
        soft_wrap=True,
    )
    if report.failures:
        raise typer.Exit(1)
