"""`aioffice portal ...` commands of the updates part (being built)."""

from __future__ import annotations

import os

import typer

app = typer.Typer(help="The portal's updates.", no_args_is_help=True)


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aioffice.settings")
    import django

    django.setup()
