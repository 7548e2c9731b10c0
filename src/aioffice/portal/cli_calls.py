"""`aioffice portal applications ...`: applications to calls for expression of interest.

Imported by `aioffice.cli` before Django is set up: Django is imported inside the
commands. Bad input gives one line starting with "error:" and exit status 2. Nothing
printed here is personal data: tracking numbers, statuses, dates and counts only.
"""

from __future__ import annotations

import os
from typing import Annotated

import typer
from rich.console import Console

app = typer.Typer(help="Applications to calls for expression of interest.", no_args_is_help=True)
console = Console()
err_console = Console(stderr=True)


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aioffice.settings")
    import django

    django.setup()


def _fail(message: str) -> typer.Exit:
    err_console.print(f"error: {message}", highlight=False, soft_wrap=True)
    return typer.Exit(2)


@app.command("purge")
def purge(
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Only count the applications that would be purged.")
    ] = False,
) -> None:
    """Delete the personal data (CV, name, e-mail address, motivation, notes) of the
    applications whose retention period (PORTAL_APPLICATION_RETENTION_DAYS after their
    call's deadline) has ended. The worker does this on its own; running it again deletes
    nothing more."""
    _django()
    from aioffice.portal import services_calls

    if dry_run:
        due = services_calls.applications_due_for_purge()
        console.print(f"{due} applications would be purged", highlight=False)
        return
    purged = services_calls.applications_purge()
    console.print(f"{purged} applications purged", highlight=False)


@app.command("list")
def list_applications(
    call: Annotated[
        str, typer.Option("--call", help="The call's reference, e.g. AIO-CEI-2026-001.")
    ],
    status: Annotated[str, typer.Option(help="Only the applications with this status.")] = "",
) -> None:
    """A call's applications: tracking number, status, date received, and the last day
    their personal data are kept (or the day they were deleted)."""
    _django()
    from aioffice.portal.choices import ApplicationStatus
    from aioffice.portal.models_calls import Call
    from aioffice.portal.selectors_calls import applications_of

    found = Call.objects.filter(reference=call.strip().upper()).first()
    if found is None:
        raise _fail(f"--call: no call has the reference {call!r}")
    if status and status not in ApplicationStatus.values:
        raise _fail(f"--status: must be one of {', '.join(ApplicationStatus.values)}")
    rows = applications_of(found, status)
    for application in rows.iterator(chunk_size=500):
        kept = (
            f"purged {application.purged_at:%Y-%m-%d}"
            if application.purged_at
            else f"kept until {application.retain_until:%Y-%m-%d}"
        )
        console.print(
            f"{application.tracking_number}\t{application.status}\t"
            f"{application.submitted_at:%Y-%m-%d %H:%M}Z\t{kept}",
            highlight=False,
            soft_wrap=True,
        )
    console.print(f"{rows.count()} applications to {found.reference}", highlight=False)
