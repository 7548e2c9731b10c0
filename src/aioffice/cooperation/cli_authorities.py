"""`aioffice cooperation authorities …`: the authorities directory from the command line.

Imported before Django is set up; Django and the app's modules are imported inside the
commands. Errors: one line on stderr, exit status 2.
"""

from __future__ import annotations

import os

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

app = typer.Typer(
    help="The directory of national competent authorities (Art. 70).", no_args_is_help=True
)
console = Console()
err_console = Console(stderr=True)


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aioffice.settings")
    import django

    django.setup()


@app.command("sync-deadlines")
def sync_deadlines() -> None:
    """Open (or move) each Member State's deadline for its report on its authorities'
    resources (Art. 70(6)): the earliest report not received. Safe to run again: a second
    run changes nothing."""
    _django()
    from django.core.exceptions import ValidationError

    from aioffice.cooperation import services_authorities as services
    from aioffice.registry.choices import EU_MEMBER_STATES

    with Progress(
        TextColumn("{task.description:<24}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
        disable=not err_console.is_terminal,
    ) as progress:
        bar = progress.add_task("Member States", total=len(EU_MEMBER_STATES))
        try:
            done = services.sync_deadlines(
                progress=lambda code, n: progress.update(bar, completed=n, description=code)
            )
        except ValidationError as exc:
            err_console.print(f"error: {' '.join(exc.messages)}", highlight=False)
            raise typer.Exit(2) from None
    console.print(
        f"{done} Member States followed; each has one open resource-report deadline",
        highlight=False,
    )
