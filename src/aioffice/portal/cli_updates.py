"""`aioffice portal bulletins …`: messages to subscribers from the command line.

Imported by `aioffice.cli` before Django is set up: Django and the app's modules are
imported inside the commands. Bad input (an unknown id, a message in the wrong state) gives
one line starting with "error:" and exit status 2.
"""

from __future__ import annotations

import os
from typing import Annotated, Any, NoReturn

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

app = typer.Typer(help="Messages to subscribers: list, send, resume.", no_args_is_help=True)
console = Console()
err_console = Console(stderr=True)


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aioffice.settings")
    import django

    django.setup()


def _refuse(message: str, hint: str) -> NoReturn:
    raise typer.BadParameter(message, param_hint=f"'{hint}'")


@app.command("list")
def bulletins_list(
    limit: Annotated[int, typer.Option(min=1, max=500, help="How many, newest first.")] = 50,
) -> None:
    """The messages, newest first: id, status, deliveries per outcome, subject (one a line,
    tab-separated)."""
    _django()
    from aioffice.portal import selectors_updates as selectors

    rows = selectors.bulletins_with_progress()[:limit]
    if not rows:
        console.print("no message yet", highlight=False)
    for bulletin in rows:
        p = selectors.progress_of(bulletin)
        console.print(
            f"#{bulletin.pk}\t{bulletin.status}\t{p.sent}/{p.total} sent, {p.failed} refused, "
            f"{p.unknown} unknown, {p.skipped} skipped, {p.waiting} waiting\t{bulletin.subject}",
            highlight=False,
            soft_wrap=True,
        )


@app.command("send")
def bulletins_send(
    bulletin_id: Annotated[int, typer.Argument(metavar="ID", help="The message's id.")],
    site_url: Annotated[
        str,
        typer.Option(
            help="The site's address for the unsubscribe links (needed to send a draft; a "
            "queued message keeps the address it was queued from)."
        ),
    ] = "",
) -> None:
    """Send a message in this process, with a progress bar: a draft is queued first (its
    recipients fixed now); a queued or interrupted one resumes where it stopped. Each
    subscriber gets it at most once."""
    _django()
    from django.core.exceptions import ValidationError

    from aioffice.portal import services_updates as services
    from aioffice.portal import tasks_updates as tasks
    from aioffice.portal.choices import BulletinStatus
    from aioffice.portal.models_updates import Bulletin

    bulletin = Bulletin.objects.filter(pk=bulletin_id).first()
    if bulletin is None:
        _refuse(f"no message #{bulletin_id}", "ID")
    if bulletin.status == BulletinStatus.DRAFT:
        if not site_url:
            _refuse("a draft needs the site's address for its unsubscribe links", "--site-url")
        try:
            services.bulletin_queue(actor=None, bulletin=bulletin, site_url=site_url, enqueue=False)
        except ValidationError as exc:
            _refuse(" ".join(exc.messages), "ID")
    elif bulletin.status not in tasks.UNFINISHED:
        _refuse(f"message #{bulletin_id} is {bulletin.status}: there is nothing to send", "ID")
    with Progress(
        TextColumn(f"message #{bulletin_id}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
        disable=not err_console.is_terminal,
    ) as progress:
        bar = progress.add_task("send", total=None)

        def advance(done: int, total: int) -> None:
            progress.update(bar, completed=done, total=total)

        report = tasks.deliver(bulletin_id, progress=advance)
    _print_report(bulletin_id, report.as_dict())
    if report.failed:
        raise typer.Exit(1)


def _print_report(bulletin_id: int, report: dict[str, Any]) -> None:
    console.print(
        f"message #{bulletin_id}: {report['sent']} sent, {report['failed']} refused, "
        f"{report['skipped']} skipped; status {report['status']}",
        highlight=False,
    )


@app.command("resume")
def bulletins_resume() -> None:
    """What a worker does when it starts: deliveries left "being sent" by a sender that
    stopped become "unknown" (never sent again), and queued or interrupted messages are
    handed to the worker again."""
    _django()
    from aioffice.portal.tasks_updates import resume_unfinished

    resumed = resume_unfinished()
    if not resumed:
        console.print("no message to resume", highlight=False)
    for bulletin_id in resumed:
        console.print(f"message #{bulletin_id} handed to the worker again", highlight=False)
