"""`aioffice supervision …`: the one clock's deadlines and reminder e-mails.

Imported by `aioffice.cli` before Django is set up, so Django and the app's modules are
imported inside the commands.
"""

from __future__ import annotations

import os
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

app = typer.Typer(help="Supervision and enforcement: the deadlines' clock.", no_args_is_help=True)
deadlines_app = typer.Typer(help="The one clock's deadline records.", no_args_is_help=True)
app.add_typer(deadlines_app, name="deadlines")
console = Console()
err_console = Console(stderr=True)


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aioffice.settings")
    import django

    django.setup()


@deadlines_app.command("sync")
def deadlines_sync() -> None:
    """Rebuild the deadlines of the registry's procedures (notifications, information
    requests, hearings, reassessment requests, Code of Practice) from the registry. Safe
    to run again: a second run changes nothing."""
    _django()
    from aioffice.supervision import clock

    total = clock.sync_total()
    with Progress(
        TextColumn("{task.description:<24}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
        disable=not err_console.is_terminal,
    ) as progress:
        bar = progress.add_task("deadlines", total=total)
        report = clock.sync_all(
            progress=lambda step, done: progress.update(bar, completed=done, description=step)
        )
    console.print(
        f"{report.rows} registry records followed; {report.open} open registry deadlines",
        highlight=False,
    )


@app.command("reminders")
def reminders(
    days: Annotated[
        int | None,
        typer.Option(help="Days before a due date (default: SUPERVISION_REMINDER_DAYS)."),
    ] = None,
) -> None:
    """Send the reminder e-mails due now, once: a deadline within the days, and one that
    became overdue. Running it again sends nothing new."""
    _django()
    from aioffice.supervision.tasks import send_reminders

    report = send_reminders(days=days)
    console.print(
        f"reminders: {report.soon} due soon, {report.overdue} overdue, "
        f"{report.messages} e-mails sent",
        highlight=False,
    )
    if report.failed:
        err_console.print(f"not sent (tried again next time): deadlines {report.failed}")
        raise typer.Exit(1)
