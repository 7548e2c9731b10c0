"""What the drafting command lines share: Django's setup and the one error line (exit 2).

Imported before Django is set up: nothing here imports Django at module level.
"""

from __future__ import annotations

import os
from typing import Any

import typer
from rich.console import Console

err_console = Console(stderr=True)


def django_setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aioffice.settings")
    import django

    django.setup()


def fail(message: str) -> typer.Exit:
    """`message` as one line on stderr; the exit (status 2) for the caller to raise."""
    err_console.print(message, highlight=False, markup=False, soft_wrap=True)
    return typer.Exit(2)


def refused(exc: Any) -> typer.Exit:
    """A service's ValidationError as one line naming its (first) field."""
    if hasattr(exc, "message_dict"):
        field, messages = next(iter(exc.message_dict.items()))
        return fail(f"{field}: {' '.join(str(m) for m in messages)}")
    return fail(f"error: {' '.join(str(m) for m in exc.messages)}")
