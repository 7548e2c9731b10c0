"""`aioffice portal …`: the public portal's background work from the command line.

Imported by `aioffice.cli` before Django is set up: each part's commands live in its own
module (`cli_updates`, `cli_calls`) and import Django inside the commands.
"""

from __future__ import annotations

import typer

app = typer.Typer(
    help="The public portal: messages to subscribers, applications.", no_args_is_help=True
)


def _register_parts() -> None:
    from aioffice.portal import cli_calls, cli_updates

    app.add_typer(cli_updates.app, name="bulletins")
    app.add_typer(cli_calls.app, name="applications")


_register_parts()
