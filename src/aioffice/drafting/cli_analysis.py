"""`aioffice drafting analyse <consultation id> --as <username>`: analyse a consultation's
feedback in the foreground (the same work the worker does for a run queued from a page),
with a progress bar.

The run is recorded as requested by the person named with `--as` (a member of the Office
or a chair of the project: they must be allowed to use the AI tools on it). Imported
before Django is set up; Django and the app's modules are imported inside the command.
Bad input: one line on stderr, exit status 2; a failed run: its error, exit status 1.
"""

from __future__ import annotations

import os
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn

console = Console()
err_console = Console(stderr=True)


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aioffice.settings")
    import django

    django.setup()


def _fail(message: str, code: int = 2) -> typer.Exit:
    err_console.print(message, highlight=False, markup=False)
    return typer.Exit(code)


def analyse(
    consultation_id: Annotated[int, typer.Argument(help="The consultation's id.")],
    username: Annotated[
        str, typer.Option("--as", help="Who asks (recorded on the run; must use the AI tools).")
    ],
    campaign_threshold: Annotated[
        float | None, typer.Option(help="Similarity at which two texts are copies.")
    ] = None,
    theme_threshold: Annotated[
        float | None, typer.Option(help="Similarity that joins a text to a theme.")
    ] = None,
) -> None:
    """Analyse a consultation's feedback now: campaigns, themes, sections of general
    comments. Prints the run's id, model and what it found."""
    _django()
    from django.contrib.auth import get_user_model
    from django.core.exceptions import PermissionDenied, ValidationError

    from aioffice.drafting import services_analysis as services
    from aioffice.drafting.models_analysis import GroupKind
    from aioffice.drafting.models_consultations import Consultation

    consultation = Consultation.objects.filter(pk=consultation_id).first()
    if consultation is None:
        raise _fail(f"consultation: no consultation has the id {consultation_id}")
    actor = get_user_model().objects.filter(username=username, is_active=True).first()
    if actor is None:
        raise _fail(f"--as: no active user is called {username!r}")
    params = {"campaign_threshold": campaign_threshold, "theme_threshold": theme_threshold}
    try:
        run = services.run_request(
            actor=actor, consultation=consultation, params=params, enqueue=False
        )
    except PermissionDenied as exc:
        raise _fail(f"--as: {exc}") from exc
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise _fail(f"{field}: {' '.join(messages)}") from exc
    columns = (TextColumn("{task.description}"), BarColumn(), TaskProgressColumn())
    with Progress(*columns, console=err_console, transient=True) as bar:
        task = bar.add_task("reading", total=100)

        def progress(step: str, percent: int) -> None:
            bar.update(task, description=step, completed=percent)

        try:
            run = services.run_execute(run.pk, progress=progress)
        except Exception as exc:  # recorded on the run; shown in one line
            raise _fail(f"run {run.pk} failed: {type(exc).__name__}: {exc}", 1) from exc
    campaigns = run.groups.filter(kind=GroupKind.CAMPAIGN).count()
    themes = run.groups.filter(kind=GroupKind.THEME).count()
    console.print(
        f"run {run.pk}: {run.feedback_count} feedback item(s) read with {run.model}; "
        f"{campaigns} campaign(s), {themes} theme(s)",
        highlight=False,
        markup=False,
    )
