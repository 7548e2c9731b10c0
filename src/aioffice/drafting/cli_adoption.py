"""`aioffice drafting adoption …`: adopted codes from the command line (read-only).

* `signatories <slug>`: the code's current signatories per chapter as a table (`--all`
  adds the withdrawn signatures).
* `reports-due`: the open implementation-report deadlines of the adopted codes, soonest
  first (`--project <slug>`, `--before YYYY-MM-DD`).

Imported before Django is set up; Django and the app's modules are imported inside the
commands. Bad input: one line on stderr, exit status 2.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from aioffice.drafting.cli_common import django_setup, fail

app = typer.Typer(
    help="Adopted codes: their signatories and the implementation reports due.",
    no_args_is_help=True,
)
console = Console()


def _adopted(slug: str, option: str) -> Any:
    from aioffice.drafting.models_adoption import Adoption

    found = Adoption.objects.select_related("project", "draft").filter(project__slug=slug).first()
    if found is None:
        raise fail(f"{option}: no adopted code is called {slug!r}")
    return found


@app.command("signatories")
def signatories(
    slug: Annotated[str, typer.Argument(help="The code's project slug.")],
    all_: Annotated[bool, typer.Option("--all", help="Withdrawn signatures too.")] = False,
) -> None:
    """The code's signatories per chapter: chapter, provider, signed on (withdrawn on)."""
    django_setup()
    from aioffice.drafting.models_adoption import CodeSignature

    adoption = _adopted(slug, "slug")
    rows = (
        CodeSignature.objects.filter(opening__adoption=adoption)
        .select_related("provider__organisation", "chapter")
        .order_by("chapter__position", "provider__organisation__name", "signed_on", "id")
    )
    if not all_:
        rows = rows.filter(withdrawn_on__isnull=True)
    table = Table(title=f"{adoption.project.title}: version {adoption.draft.number}")
    for column in ("Chapter", "Provider", "Signed on", "Withdrawn on", "Registry"):
        table.add_column(column)
    count = 0
    for row in rows:
        count += 1
        chapter = f"{row.chapter.number} {row.chapter.title}".strip()
        table.add_row(
            chapter,
            row.provider.organisation.name,
            row.signed_on.isoformat(),
            row.withdrawn_on.isoformat() if row.withdrawn_on else "",
            "yes" if row.registry_signature_id else "",
        )
    console.print(table)
    console.print(f"{count} signature(s)", highlight=False)


@app.command("reports-due")
def reports_due(
    project: Annotated[str, typer.Option(help="Only this code (its project slug).")] = "",
    before: Annotated[
        str, typer.Option(help="Only deadlines due on or before this day (YYYY-MM-DD).")
    ] = "",
) -> None:
    """The open implementation-report deadlines, soonest first, one per line separated by
    tabs after a header line: due on, code, provider, days left (negative: overdue)."""
    django_setup()
    from django.utils import timezone

    from aioffice.drafting import selectors_adoption as selectors

    until: date | None = None
    if before:
        try:
            until = date.fromisoformat(before)
        except ValueError:
            raise fail(f"--before: not a date as YYYY-MM-DD: {before!r}") from None
    adoption = _adopted(project, "--project") if project else None
    today = timezone.now().date()
    typer.echo("due_on\tcode\tprovider\tdays_left")
    count = 0
    for deadline, anchor in selectors.reports_due(None if adoption is None else adoption.project):
        if until is not None and deadline.due_on > until:
            continue
        count += 1
        fields = (
            deadline.due_on.isoformat(),
            anchor.opening.adoption.project.slug,
            anchor.provider.organisation.name,
            str((deadline.due_on - today).days),
        )
        typer.echo("\t".join(fields))
    console.print(f"{count} report(s) due", highlight=False)
