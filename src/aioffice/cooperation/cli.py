"""`aioffice cooperation …`: cooperation from the command line.

Imported by `aioffice.cli` before Django is set up: each part's commands live in its own
module (`cli_<part>`) and import Django inside the commands.
"""

from __future__ import annotations

import typer

from aioffice.cooperation import cli_authorities, cli_exchange, cli_rwt

app = typer.Typer(
    help="Cooperation: authorities, the EU database, sandboxes and real-world testing.",
    no_args_is_help=True,
)


@app.callback()
def _main() -> None:
    """Cooperation with the Member States and international partners."""


app.add_typer(cli_authorities.app, name="authorities")
app.add_typer(cli_exchange.app, name="exchange")
app.add_typer(cli_rwt.app, name="rwt")
