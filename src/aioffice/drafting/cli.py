"""`aioffice drafting …`: drafting from the command line.

Imported by `aioffice.cli` before Django is set up: each part's commands live in its own
module (`cli_<part>`) and import Django inside the commands.
"""

from __future__ import annotations

import typer

app = typer.Typer(
    help="Drafting: codes of practice, guidelines and acts; consultations and their analysis.",
    no_args_is_help=True,
)


@app.callback()
def _main() -> None:
    """Codes of practice and guidance drawn up with stakeholders."""


# Each part's commands (their modules import Django inside the commands).
from aioffice.drafting import (  # noqa: E402  (after the app they join)
    cli_adoption,
    cli_analysis,
    cli_consultations,
    cli_drafts,
)

app.command("analyse")(cli_analysis.analyse)
app.add_typer(cli_adoption.app, name="adoption")
app.add_typer(cli_drafts.app, name="draft")
app.add_typer(cli_consultations.app, name="consultation")
