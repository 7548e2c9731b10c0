"""The `aioffice` command: run the platform, its worker, and the Office's command-line tools.

Bad arguments give one line starting with "error:" on standard error and exit status 2.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Callable, Sequence
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from aioffice.cooperation.cli import app as cooperation_app
from aioffice.drafting.cli import app as drafting_app
from aioffice.evaluations.cli import app as eval_app
from aioffice.portal.cli import app as portal_app
from aioffice.registry.cli import app as registry_app
from aioffice.registry.watchlist.cli import app as watchlist_app
from aioffice.supervision.cli import app as supervision_app

try:  # Typer 0.20+ carries its own copy of Click
    from typer._click import exceptions as click_exceptions
except ImportError:  # pragma: no cover - older Typer on plain Click
    from click import exceptions as click_exceptions  # type: ignore[no-redef]

app = typer.Typer(
    name="aioffice",
    help="The European AI Office platform.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
audit_app = typer.Typer(help="The tamper-evident audit trail.", no_args_is_help=True)
demo_app = typer.Typer(help="Demo data for a local, DEBUG-mode platform.", no_args_is_help=True)
app.add_typer(audit_app, name="audit")
app.add_typer(demo_app, name="demo")
app.add_typer(eval_app, name="eval")
app.add_typer(portal_app, name="portal")
app.add_typer(registry_app, name="registry")
app.add_typer(supervision_app, name="supervision")
app.add_typer(cooperation_app, name="cooperation")
app.add_typer(drafting_app, name="drafting")
app.add_typer(watchlist_app, name="watchlist")

console = Console()
err_console = Console(stderr=True)


class CliError(Exception):
    """A problem the user can fix; printed as one line, exit status 2."""


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aioffice.settings")
    import django

    django.setup()


def _mount_rules() -> None:
    """`aioffice rules …`: the AI Act engine's JSON interface (from the `aiact` package)."""
    try:
        from aiact._cli import app as rules_app
    except ImportError:  # pragma: no cover - aiact ships with aioffice
        return
    app.add_typer(rules_app, name="rules")


_mount_rules()


@app.command()
def run(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
    demo: Annotated[bool, typer.Option(help="Load demo data the first time (DEBUG only).")] = True,
    reload: Annotated[bool, typer.Option(help="Restart when the code changes.")] = True,
    worker: Annotated[
        bool,
        typer.Option(
            help="Also run a background worker (evaluation runs, scheduled checks) in a "
            "second process, as `aioffice worker` does."
        ),
    ] = True,
) -> None:
    """Migrate the database, load demo data the first time, and serve the site."""
    _django()
    from django.conf import settings
    from django.core.management import call_command

    background: subprocess.Popen[bytes] | None = None

    # The autoreloader runs this command again in a child process (RUN_MAIN=true): the
    # set-up and the printing happen once, in the parent.
    if os.environ.get("RUN_MAIN") != "true":
        settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
        call_command("migrate", interactive=False, verbosity=0)
        if demo and settings.DEBUG:
            from aioffice import demo as demo_data

            result = demo_data.load_once()
            _print_demo_logins(result.logins, first_time=result.created)
        if worker and _tasks_in_database(settings):
            # the worker takes queued evaluation runs (the demo queues one) and resumes runs
            # a stopped worker left; it stops with the site
            background = subprocess.Popen([sys.executable, "-m", "aioffice", "worker"])
            # stopped with SIGTERM (a service manager, a test), stop the worker too
            signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
            console.print(f"Background worker started (process {background.pid})")
        console.print(f"Serving {settings.SITE_NAME} at http://{host}:{port}/ (Ctrl+C to stop)")
    args = [f"{host}:{port}"]
    if not reload:
        args.append("--noreload")
    try:
        call_command("runserver", *args)
    finally:
        if background is not None:
            background.terminate()
            try:
                background.wait(timeout=10)
            except subprocess.TimeoutExpired:
                background.kill()


def _tasks_in_database(settings: Any) -> bool:
    """Whether queued tasks wait in the database for a worker (not run at once, as in tests)."""
    backend = str(settings.TASKS["default"]["BACKEND"])
    return backend.startswith("django_tasks_db")


def _reminder_round() -> None:
    """One round of the deadline reminders; a failure is printed, never fatal."""
    from django.db import close_old_connections

    from aioffice.supervision.tasks import send_reminders

    try:
        report = send_reminders()
        if report.messages or report.failed:
            err_console.print(
                f"deadline reminders: {report.messages} e-mails sent, "
                f"{len(report.failed)} not sent",
                highlight=False,
            )
    except Exception as exc:  # noqa: BLE001  (the next round tries again)
        err_console.print(f"deadline reminders failed: {exc}", highlight=False)
    finally:
        close_old_connections()


def _housekeeping_round() -> None:
    """One round of the portal's housekeeping (personal data past their retention period,
    expired sign-ups, old rate-limit counters); a failure is printed, never fatal."""
    from django.db import close_old_connections

    from aioffice.portal.tasks import HousekeepingError, run_housekeeping

    try:
        counts = run_housekeeping()
    except HousekeepingError as exc:
        counts = exc.counts
        err_console.print(f"portal housekeeping: {exc}", highlight=False)
    except Exception as exc:  # noqa: BLE001  (the next round tries again)
        counts = {}
        err_console.print(f"portal housekeeping failed: {exc}", highlight=False)
    finally:
        close_old_connections()
    done = {name: count for name, count in counts.items() if count}
    if done:
        err_console.print(f"portal housekeeping: deleted {done}", highlight=False)


def _cooperation_round() -> None:
    """One round of cooperation's own clock work: real-world testing plans deemed approved
    once their authority's period ran out where national law allows it (Art. 60(4)(b));
    a failure is printed, never fatal."""
    from django.db import close_old_connections

    from aioffice.cooperation.cli_rwt import tacit_round

    try:
        done = tacit_round()
        if done:
            err_console.print(f"real-world testing: {done} tacit approvals", highlight=False)
    except Exception as exc:  # noqa: BLE001  (the next round tries again)
        err_console.print(f"real-world testing: tacit approvals failed: {exc}", highlight=False)
    finally:
        close_old_connections()


def _drafting_round() -> None:
    """One round of drafting's clock work: the closing deadlines of consultations whose
    period ran out are closed (met); a failure is printed, never fatal."""
    from django.db import close_old_connections

    from aioffice.drafting.services_consultations import close_elapsed

    try:
        done = close_elapsed()
        if done:
            err_console.print(f"drafting: {done} consultation period(s) ended", highlight=False)
    except Exception as exc:  # noqa: BLE001  (the next round tries again)
        err_console.print(f"drafting: closing ended consultations failed: {exc}", highlight=False)
    finally:
        close_old_connections()


def _every(interval: int, work: Callable[[], None], name: str) -> Any:
    """A daemon thread doing `work` now and then every `interval` seconds (0: never), beside
    the task worker; it stops with the worker's process."""
    import threading

    if interval <= 0:
        return None
    stop = threading.Event()

    def loop() -> None:
        while not stop.is_set():
            work()
            stop.wait(interval)

    thread = threading.Thread(target=loop, name=name, daemon=True)
    thread.start()
    return stop


def _start_periodic_work() -> None:
    """The deadline reminders, cooperation's tacit approvals and the ends of drafting's
    consultation periods every SUPERVISION_REMINDER_INTERVAL seconds and the portal's
    housekeeping every PORTAL_HOUSEKEEPING_INTERVAL seconds."""
    from django.conf import settings

    _every(
        int(getattr(settings, "SUPERVISION_REMINDER_INTERVAL", 3600)),
        _reminder_round,
        "deadline-reminders",
    )
    _every(
        int(getattr(settings, "SUPERVISION_REMINDER_INTERVAL", 3600)),
        _cooperation_round,
        "cooperation-clock",
    )
    _every(
        int(getattr(settings, "SUPERVISION_REMINDER_INTERVAL", 3600)),
        _drafting_round,
        "drafting-clock",
    )
    _every(
        int(getattr(settings, "PORTAL_HOUSEKEEPING_INTERVAL", 3600)),
        _housekeeping_round,
        "portal-housekeeping",
    )


@app.command()
def worker(
    queue: Annotated[str, typer.Option(help="Queue to take tasks from.")] = "default",
    batch: Annotated[bool, typer.Option(help="Stop when the queue is empty.")] = False,
) -> None:
    """Run background tasks (Django's tasks framework, stored in the database).

    First, evaluation runs left running by a worker that died are queued again, so that this
    worker resumes them, and so are messages to subscribers left half-sent (a delivery the
    dead sender had claimed is marked unknown, never sent twice). Beside it, threads send the
    deadline reminders (and do cooperation's and drafting's clock work) every
    SUPERVISION_REMINDER_INTERVAL seconds and run the portal's
    housekeeping every PORTAL_HOUSEKEEPING_INTERVAL seconds (not with --batch)."""
    _django()
    from django.core.management import call_command

    from aioffice.evaluations.execution import recover_stale_runs
    from aioffice.portal.tasks_updates import resume_unfinished

    for run_id in recover_stale_runs():
        err_console.print(f"evaluation run #{run_id} queued again (its worker had stopped)")
    for bulletin_id in resume_unfinished():
        err_console.print(f"message to subscribers #{bulletin_id} queued again to finish sending")
    if not batch:
        _start_periodic_work()
    args = ["--queue-name", queue]
    if batch:
        args.append("--batch")
    call_command("db_worker", *args)


@audit_app.command("verify")
def audit_verify() -> None:
    """Walk the hash chain; name the first event that was altered, deleted or moved."""
    _django()
    from aioffice.core.audit import verify_chain
    from aioffice.core.models import AuditEvent

    total = AuditEvent.objects.count()
    with Progress(
        TextColumn("verifying audit trail"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
        disable=not err_console.is_terminal,
    ) as progress:
        bar = progress.add_task("verify", total=total)
        report = verify_chain(progress=lambda n: progress.update(bar, completed=n))
    if report.problem is not None:
        err_console.print(f"audit trail BROKEN: {report.problem.message}", highlight=False)
        raise typer.Exit(1)
    console.print(f"audit trail intact: {report.checked} events verified", highlight=False)
    if report.head_hash:
        console.print(f"head: #{report.checked} {report.head_hash}", highlight=False)


ROLE_HELP = "policy_officer, technical_officer, legal_officer, head_of_unit or administrator"


@app.command()
def createstaff(
    username: Annotated[str, typer.Option(help="Login name.")],
    email: Annotated[str, typer.Option(help="E-mail address.")],
    role: Annotated[str, typer.Option(help=ROLE_HELP)],
    first_name: Annotated[str, typer.Option()] = "",
    last_name: Annotated[str, typer.Option()] = "",
) -> None:
    """Create an AI Office staff member (password from AIOFFICE_NEW_PASSWORD or a prompt)."""
    _django()
    from django.core.exceptions import ValidationError

    from aioffice import demo as demo_data
    from aioffice.accounts.choices import OFFICE_ROLES

    if role not in OFFICE_ROLES:
        raise CliError(f"--role: must be one of {ROLE_HELP}")
    password = os.environ.get("AIOFFICE_NEW_PASSWORD") or typer.prompt(
        "Password", hide_input=True, confirmation_prompt=True
    )
    try:
        user = demo_data.create_staff(
            username=username,
            email=email,
            role=role,
            password=password,
            first_name=first_name,
            last_name=last_name,
        )
    except ValidationError as exc:
        field, messages = next(iter(_validation_messages(exc).items()))
        raise CliError(f"{field}: {' '.join(messages)}") from exc
    console.print(
        f"created {user.username} ({role}); they set up their second factor at first login"
    )


def _validation_messages(exc: Any) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        return dict(exc.message_dict)
    return {"password": list(exc.messages)}


@demo_app.command("load")
def demo_load() -> None:
    """Load organisations and users for every role (refused unless DEBUG is on)."""
    _django()
    from django.conf import settings
    from django.core.management import call_command

    from aioffice import demo as demo_data

    if not settings.DEBUG:
        raise CliError("demo data is only for DEBUG mode; set AIOFFICE_DEBUG=1")
    call_command("migrate", interactive=False, verbosity=0)
    result = demo_data.load_once()
    _print_demo_logins(result.logins, first_time=result.created)


@demo_app.command("totp")
def demo_totp(username: Annotated[str, typer.Argument(help="A demo user.")]) -> None:
    """Print the current second-factor code of a demo user (DEBUG only)."""
    _django()
    from django.conf import settings

    from aioffice import demo as demo_data

    if not settings.DEBUG:
        raise CliError("demo codes are only for DEBUG mode; set AIOFFICE_DEBUG=1")
    code = demo_data.current_totp(username)
    if code is None:
        raise CliError(f"username: {username!r} is not a demo user with a second factor")
    console.print(code)


def _print_demo_logins(logins: Sequence[Any], *, first_time: bool) -> None:
    """One line per login, never truncated: passwords and keys must be copyable."""
    console.print("Demo logins (new):" if first_time else "Demo logins:", highlight=False)
    width = max(len(login.username) for login in logins)
    for login in logins:
        line = f"  {login.username:<{width}}  {login.password}  {login.role} ({login.organisation})"
        if login.totp_key:
            line += f"  second-factor key {login.totp_key}"
        console.print(line, highlight=False, soft_wrap=True)
    console.print(
        "Staff sign in with a second factor: add their key to an authenticator app, "
        "or run `aioffice demo totp USERNAME` for the current code.",
        highlight=False,
        soft_wrap=True,
    )


@app.command(
    context_settings={"allow_extra_args": True, "ignore_unknown_options": True},
    add_help_option=False,
)
def manage(ctx: typer.Context) -> None:
    """Run a Django management command: `aioffice manage migrate`, `… manage shell`."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aioffice.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["aioffice manage", *ctx.args])


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point: run the command, turning usage problems into one line and exit 2."""
    command = typer.main.get_command(app)
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        result = command.main(args=args, prog_name="aioffice", standalone_mode=False)
    except click_exceptions.UsageError as exc:
        err_console.print(f"error: {exc.format_message()}", highlight=False, soft_wrap=True)
        return 2
    except CliError as exc:
        err_console.print(f"error: {exc}", highlight=False, soft_wrap=True)
        return 2
    except typer.Abort:
        err_console.print("aborted", highlight=False)
        return 1
    except click_exceptions.ClickException as exc:
        err_console.print(f"error: {exc.format_message()}", highlight=False, soft_wrap=True)
        return exc.exit_code
    return result if isinstance(result, int) else 0


if __name__ == "__main__":
    raise SystemExit(main())
