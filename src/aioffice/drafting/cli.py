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
from aioffice.drafting import cli_analysis  # noqa: E402  (after the app they join)

app.command("analyse")(cli_analysis.analyse)
