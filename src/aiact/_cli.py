"""``aioffice rules``: the command line of the JSON interface (also ``python -m aiact``).

Output is JSON on standard output. Bad input: exit status 2 and one line on standard error
(``error: FIELD: message``). Two exceptions that both apply: exit status 3 (``conflict: ...``).

Commands other than ``model`` and ``system`` that need a date and are given none use today's
date in UTC: the command line reads the clock (:func:`today`), the rules never do.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Annotated, NoReturn

import typer

# Typer vendors Click; its usage errors are only importable from the vendored module.
from typer._click.exceptions import NoArgsIsHelpError, UsageError

from aiact._answer import ConflictError, InputError
from aiact._dates import parse_date
from aiact._dispatch import evaluate, systems_module
from aiact._params import load_law
from aiact._schema import model_input_schema

__all__ = ["app", "main", "today"]

app = typer.Typer(
    name="rules",
    help="The AI Act as code: answers with reasons and citations, as JSON.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)

LawOpt = Annotated[str, typer.Option("--law", help="as-amended (default) or as-published")]
AsOfOpt = Annotated[str | None, typer.Option("--as-of", help="YYYY-MM-DD; overrides as_of")]


def _fail(message: str, code: int = 2) -> NoReturn:
    typer.echo(message, err=True)
    raise typer.Exit(code)


def today() -> date:
    """Today's date in UTC: the default date of ``compute``, ``fine``, ``timeline`` and
    ``clock`` (the only place where ``aiact`` reads the clock)."""
    return datetime.now(UTC).date()


def _run(kind: str, data: Mapping[str, object], law: str, as_of: str | None) -> None:
    try:
        selected = load_law(law)
        on = None if as_of is None else parse_date(as_of, "as_of")
        result = evaluate(kind, data, law=selected, as_of=on, default_date=today())
    except InputError as exc:
        _fail(f"error: {exc}")
    except ConflictError as exc:
        _fail(f"conflict: {exc}", 3)
    typer.echo(json.dumps(result, indent=2, ensure_ascii=False))


def _read(path: str) -> Mapping[str, object]:
    try:
        text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        _fail(f"error: FILE: cannot read {path}: {getattr(exc, 'strerror', None) or exc}")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        _fail(f"error: input: invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}")
    if not isinstance(data, dict):
        _fail("error: input: must be a JSON object")
    return data


@app.command()
def model(
    file: Annotated[str, typer.Argument(help="JSON file, or - for standard input")],
    law: LawOpt = "as-amended",
    as_of: AsOfOpt = None,
) -> None:
    """Assess a GPAI model: GPAI status, systemic risk, notification, obligations."""
    _run("model", _read(file), law, as_of)


@app.command()
def notification(
    file: Annotated[str, typer.Argument(help="JSON file, or - for standard input")],
    law: LawOpt = "as-amended",
    as_of: AsOfOpt = None,
) -> None:
    """Check an Art. 52 notification: complete, arguments receivable, due date, late."""
    _run("notification", _read(file), law, as_of)


@app.command()
def system(
    file: Annotated[str, typer.Argument(help="JSON file, or - for standard input")],
    law: LawOpt = "as-amended",
    as_of: AsOfOpt = None,
) -> None:
    """Assess an AI system: risk tier, prohibited practices, high risk, transparency."""
    _run("system", _read(file), law, as_of)


@app.command()
def schema(which: Annotated[str, typer.Argument(help="model or system")]) -> None:
    """Print the JSON Schema of the model or system input."""
    if which == "model":
        out = model_input_schema()
    elif which == "system":
        try:
            out = systems_module().system_input_schema()
        except InputError as exc:  # pragma: no cover  # only while _systems is missing
            _fail(f"error: {exc}")
    else:
        _fail("error: schema: must be model or system")
    typer.echo(json.dumps(out, indent=2, ensure_ascii=False))


@app.command()
def compute(
    params: Annotated[str | None, typer.Option("--params", help="parameters P")] = None,
    tokens: Annotated[str | None, typer.Option("--tokens", help="training tokens D")] = None,
    gpus: Annotated[str | None, typer.Option("--gpus", help="accelerators N")] = None,
    hours: Annotated[str | None, typer.Option("--hours", help="wall-clock hours")] = None,
    gpu_hours: Annotated[str | None, typer.Option("--gpu-hours", help="GPU-hours")] = None,
    peak_flops: Annotated[str | None, typer.Option("--peak-flops", help="FLOP/s per GPU")] = None,
    utilisation: Annotated[str | None, typer.Option("--utilisation", help="0-1")] = None,
    law: LawOpt = "as-amended",
    as_of: AsOfOpt = None,
) -> None:
    """Estimate training compute: 6·P·D, or N·L·H·U from hardware."""
    data = {
        "params": params,
        "tokens": tokens,
        "gpus": gpus,
        "hours": hours,
        "gpu_hours": gpu_hours,
        "peak_flops": peak_flops,
        "utilisation": utilisation,
    }
    _run("compute", data, law, as_of)


@app.command()
def fine(
    regime: Annotated[str, typer.Option("--regime", help="gpai | operator | union-body")],
    turnover: Annotated[str | None, typer.Option("--turnover", help="EUR")] = None,
    tier: Annotated[
        str | None, typer.Option("--tier", help="art5|obligations|information|other")
    ] = None,
    size: Annotated[str | None, typer.Option("--size", help="large | sme | smc")] = None,
    on: Annotated[str | None, typer.Option("--on", help="YYYY-MM-DD")] = None,
    law: LawOpt = "as-amended",
    as_of: AsOfOpt = None,
) -> None:
    """The ceiling of a fine (Art. 101 GPAI, Art. 99 operators, Art. 100 Union bodies)."""
    data = {"regime": regime, "turnover": turnover, "tier": tier, "size": size, "on": on}
    _run("fine", data, law, as_of)


@app.command()
def incident(
    regime: Annotated[str, typer.Option("--regime", help="gpai-code | art73")],
    type_: Annotated[list[str], typer.Option("--type", help="incident type; repeatable")],
    aware_on: Annotated[str, typer.Option("--aware-on", help="YYYY-MM-DD")],
    law: LawOpt = "as-amended",
    as_of: AsOfOpt = None,
) -> None:
    """When the initial report of a serious incident is due (the earliest of its types)."""
    _run("incident", {"regime": regime, "types": type_, "aware_on": aware_on}, law, as_of)


@app.command()
def timeline(law: LawOpt = "as-amended", as_of: AsOfOpt = None) -> None:
    """Every application date with its provision and status."""
    _run("timeline", {}, law, as_of)


@app.command()
def clock(
    name: Annotated[str, typer.Argument(help="which clock; see docs/aiact/interface.md")],
    from_: Annotated[str | None, typer.Option("--from", help="YYYY-MM-DD")] = None,
    days: Annotated[int | None, typer.Option("--days", help="time limit (rfi)")] = None,
    placing: Annotated[str | None, typer.Option("--placing")] = None,
    last_report: Annotated[str | None, typer.Option("--last-report")] = None,
    most_capable: Annotated[bool, typer.Option("--most-capable")] = False,
    resolved: Annotated[str | None, typer.Option("--resolved")] = None,
    incident_on: Annotated[str | None, typer.Option("--incident")] = None,
    route: Annotated[str | None, typer.Option("--route")] = None,
    significant_change: Annotated[bool, typer.Option("--significant-change")] = False,
    public_authority: Annotated[bool, typer.Option("--public-authority")] = False,
    domains: Annotated[int | None, typer.Option("--domains")] = None,
    sme: Annotated[bool, typer.Option("--sme")] = False,
    on: Annotated[str | None, typer.Option("--on", help="YYYY-MM-DD (sandbox-report)")] = None,
    tacit_allowed: Annotated[bool, typer.Option("--tacit-allowed")] = False,
    extended: Annotated[bool, typer.Option("--extended")] = False,
    body: Annotated[
        str | None, typer.Option("--body", help="board | forum | forum_cochair (term-end)")
    ] = None,
    renewals: Annotated[int | None, typer.Option("--renewals", help="(term-end)")] = None,
    every_months: Annotated[
        int | None, typer.Option("--every-months", help="report rhythm (code-report)")
    ] = None,
    period: Annotated[
        int | None, typer.Option("--period", help="report number, 0 first (code-report)")
    ] = None,
    law: LawOpt = "as-amended",
    as_of: AsOfOpt = None,
) -> None:
    """Procedural clocks and transition dates (notification, reassessment, hearing, ...)."""
    data = {
        "clock": name,
        "from": from_,
        "days": days,
        "placing": placing,
        "last_report": last_report,
        "most_capable": most_capable,
        "resolved": resolved,
        "incident": incident_on,
        "route": route,
        "significant_change": significant_change,
        "public_authority": public_authority,
        "domains": domains,
        "sme": sme,
        "on": on,
        "tacit_allowed": tacit_allowed,
        "extended": extended,
        "body": body,
        "renewals": renewals,
        "every_months": every_months,
        "period": period,
    }
    _run("clock", data, law, as_of)


@app.command()
def cooperation(
    file: Annotated[str, typer.Argument(help="JSON file, or - for standard input")],
    law: LawOpt = "as-amended",
    as_of: AsOfOpt = None,
) -> None:
    """Cooperation checks: database-visibility, rwt-conditions, consent, msa-request, ..."""
    _run("cooperation", _read(file), law, as_of)


@app.command()
def drafting(
    file: Annotated[str, typer.Argument(help="JSON file, or - for standard input")],
    law: LawOpt = "as-amended",
    as_of: AsOfOpt = None,
) -> None:
    """Codes of practice: adequacy (who assesses, Art. 56(6)/50(7)), readiness (Art. 56(9))."""
    _run("drafting", _read(file), law, as_of)


def main(argv: list[str] | None = None, runner: Callable[..., object] | None = None) -> int:
    """Run the CLI; usage errors (unknown option, missing value) also give one line and exit 2."""
    command = typer.main.get_command(app)
    try:
        result = command.main(args=argv, prog_name="aioffice rules", standalone_mode=False)
    except NoArgsIsHelpError as exc:
        typer.echo(exc.format_message(), err=True)
        return 2
    except UsageError as exc:
        typer.echo(f"error: {exc.format_message()}".replace("\n", " "), err=True)
        return 2
    return result if isinstance(result, int) else 0
