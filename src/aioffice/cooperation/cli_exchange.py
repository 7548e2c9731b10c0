"""`aioffice cooperation exchange …`: the requests between the Office, the authorities,
ECAT and the JRC from the command line (read-only).

Imported before Django is set up; Django and the app's modules are imported inside the
commands. Errors: one line on stderr, exit status 2.
"""

from __future__ import annotations

import os
from typing import Annotated

import typer
from rich.console import Console

app = typer.Typer(
    help="Information exchange: requests between the Office and its counterparts.",
    no_args_is_help=True,
)
console = Console()
err_console = Console(stderr=True)


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aioffice.settings")
    import django

    django.setup()


@app.command("requests")
def requests(
    kind: Annotated[
        str,
        typer.Option(
            help="msa_information, msa_assessment, msa_chapter_v, office_assistance or support."
        ),
    ] = "",
    all_: Annotated[
        bool, typer.Option("--all", help="Answered, declined and withdrawn ones too.")
    ] = False,
    limit: Annotated[int, typer.Option(min=1, max=10000, help="At most this many rows.")] = 100,
) -> None:
    """The requests, open ones by default, soonest due first, one per line separated by
    tabs: reference, kind, counterpart, received, due, status (late or overdue)."""
    _django()
    from django.utils import timezone

    from aioffice.cooperation.models_exchange import (
        OPEN_REQUEST_STATUSES,
        ExchangeRequest,
        RequestKind,
    )

    if kind and kind not in RequestKind.values:
        err_console.print(f"kind: must be one of {', '.join(RequestKind.values)}", highlight=False)
        raise typer.Exit(2)
    rows = ExchangeRequest.objects.select_related("authority").order_by("due_on", "id")
    if not all_:
        rows = rows.filter(status__in=OPEN_REQUEST_STATUSES)
    if kind:
        rows = rows.filter(kind=kind)
    today = timezone.now().date()
    console.print("reference\tkind\tcounterpart\treceived\tdue\tstatus", highlight=False)
    count = 0
    for row in rows[:limit]:
        status = row.status
        if row.late:
            status += " (late)"
        elif row.is_open and row.due_on is not None and row.due_on < today:
            status += " (overdue)"
        counterpart = row.authority.name if row.authority is not None else row.institution
        due = row.due_on.isoformat() if row.due_on else "no legal period"
        line = [row.reference, row.kind, counterpart, row.received_on.isoformat(), due, status]
        console.print("\t".join(line), highlight=False, soft_wrap=True, markup=False)
        count += 1
    console.print(f"{count} request(s)", highlight=False)
