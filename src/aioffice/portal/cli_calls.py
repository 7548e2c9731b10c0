"""`aioffice portal ...` commands of the calls part (being built)."""

from __future__ import annotations

import os

import typer

app = typer.Typer(help="The portal's calls.", no_args_is_help=True)


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aioffice.settings")
    import django

    django.setup()
