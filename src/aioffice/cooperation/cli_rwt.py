"""`aioffice cooperation rwt …`: real-world testing from the command line.

Imported before Django is set up; Django and the app's modules are imported inside the
commands. Errors: one line on stderr, exit status 2.
"""

from __future__ import annotations

import os
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

app = typer.Typer(help="Real-world testing outside sandboxes (Art. 60).", no_args_is_help=True)
console = Console()
err_console = Console(stderr=True)


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aioffice.settings")
    import django

    django.setup()


def tacit_round() -> int:
    """Record the tacit approvals that have come due (for the worker's periodic round)."""
    from aioffice.cooperation import services_rwt

    return services_rwt.apply_tacit()


@app.command("apply-tacit")
def apply_tacit() -> None:
    """Record the real-world testing plans deemed approved because the authority did not
    answer within the period and national law allows it (Art. 60(4)(b)). Safe to run again:
    a second run changes nothing."""
    _django()
    from aioffice.cooperation import services_rwt

    total = services_rwt.tacit_due().count()
    with Progress(
        TextColumn("{task.description:<24}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
        disable=not err_console.is_terminal,
    ) as progress:
        bar = progress.add_task("tacit approvals", total=total)
        done = services_rwt.apply_tacit(progress=lambda: progress.advance(bar))
    console.print(f"{done} plan(s) deemed approved", highlight=False)


@app.command("tacit-rule")
def tacit_rule(
    member_state: Annotated[str, typer.Argument(help="Two-letter code of the Member State.")],
    allowed: Annotated[
        bool, typer.Option("--allowed/--explicit", help="Tacit approval allowed, or explicit.")
    ],
    source: Annotated[str, typer.Option(help="Where national law says so.")] = "",
) -> None:
    """Record whether a Member State's law allows tacit approval of testing plans."""
    _django()
    from django.core.exceptions import ValidationError

    from aioffice.cooperation import services_rwt

    try:
        services_rwt.national_rule_set(
            actor=None, member_state=member_state.upper(), tacit_allowed=allowed, source=source
        )
    except ValidationError as exc:
        err_console.print(f"error: {'; '.join(exc.messages)}", highlight=False)
        raise typer.Exit(2) from None
    console.print(
        f"{member_state.upper()}: tacit approval {'allowed' if allowed else 'not allowed'}"
    )
