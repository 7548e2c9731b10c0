"""Every change to evaluation targets and runs goes through these functions; each writes the
audit trail in the same transaction as the change.

Execution itself (the worker's side: the Inspect subprocess, progress, results) is in
`execution`; a queued run is handed to the worker by the `execute_run` task (`tasks`).
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from aioffice.core import audit
from aioffice.evaluations import secrets
from aioffice.evaluations.choices import FINISHED_STATUSES, RunStatus, TargetKind
from aioffice.evaluations.models import EvaluationRun, EvaluationTarget
from aioffice.registry.models import ModelVersion
from gpai_evals.catalogue import SUITES, by_name

# Bounds on a run's configuration: wide enough for any real evaluation, narrow enough that a
# typing slip (a time limit of 10^9 seconds, 10^6 epochs) is refused with its field named.
LIMITS: dict[str, tuple[float, float]] = {
    "epochs": (1, 100),
    "temperature": (0.0, 2.0),
    "max_tokens": (1, 1_000_000),
    "token_limit": (1, 100_000_000),
    "time_limit": (1, 7 * 24 * 3600),
    "max_connections": (1, 256),
    "sample_limit": (1, 10_000_000),
    "seed": (-(2**31), 2**31 - 1),
}
CHECK_TIMEOUT_SECONDS = 10.0
MAX_TASKS_PER_RUN = 50


def _clean_text(value: str, field: str, *, max_length: int, required: bool = False) -> str:
    value = (value or "").strip()
    if "\x00" in value:
        raise ValidationError({field: "Text cannot contain NUL characters."})
    if required and not value:
        raise ValidationError({field: "This field is required for this kind of target."})
    if len(value) > max_length:
        raise ValidationError({field: f"At most {max_length} characters."})
    return value


def _clean_base_url(value: str) -> str:
    url = _clean_text(value, "base_url", max_length=500, required=True).rstrip("/")
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port out of range
    except ValueError:  # "http://[::1/v1", "http://h:99999/v1"
        raise ValidationError({"base_url": "This is not a valid address."}) from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValidationError({"base_url": "Give an http:// or https:// address with a host."})
    if parts.username is not None or parts.password is not None:
        # the address is shown on every page, export and report, and written in errors
        raise ValidationError(
            {"base_url": "Give the address without a user or password; the key goes in API key."}
        )
    if parts.query or parts.fragment or "?" in url or "#" in url:
        raise ValidationError({"base_url": "Give the address without a query or fragment (…/v1)."})
    if any(ch.isspace() or ord(ch) < 32 for ch in url):
        raise ValidationError({"base_url": "The address cannot contain spaces."})
    return url


# Model arguments the platform sets itself from the target's fields (where the evaluation
# goes, with which key, what the report says was evaluated): a model argument may not
# replace them, or a run would reach another address than the one the target shows.
RESERVED_MODEL_ARGS = frozenset(
    {
        "api_key",
        "api_key_var",
        "base_url",
        "service",
        "service_base_url",
        "config",
        "memoize",
        "role",
        "required",
        "default",
        "model",
        "model_path",
    }
)
# Names of credentials: model arguments are stored and shown in plain text (pages, API,
# CSV, report, audit trail, Inspect's log), so a secret never goes there.
_SECRET_WORDS = frozenset(
    {"key", "apikey", "token", "secret", "password", "passwd", "credential", "credentials"}
)
_SECRET_WORDS |= {"auth", "authorization", "bearer", "cookie"}


def _secret_like(name: str) -> bool:
    """Whether an argument's name names a credential (its words: snake_case or camelCase)."""
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).lower().split("_")
    return name.lower().startswith("aws_") or any(word in _SECRET_WORDS for word in words)


def _clean_model_args(value: Mapping[str, Any] | None, *, model: bool = True) -> dict[str, Any]:
    """Scalar arguments with identifier names; ``model``: a target's model arguments,
    which may neither replace what the target's fields set nor hold a credential."""
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise ValidationError({"model_args": "Give the model arguments as an object."})
    cleaned: dict[str, Any] = {}
    for key, item in value.items():
        if not isinstance(key, str) or not key.isidentifier():
            raise ValidationError({"model_args": f"{key!r} is not a valid argument name."})
        if model and key in RESERVED_MODEL_ARGS:
            raise ValidationError(
                {"model_args": f"{key} is set from the target's own fields, not as an argument."}
            )
        if model and _secret_like(key):
            raise ValidationError(
                {
                    "model_args": f"{key} looks like a credential: model arguments are kept and "
                    "shown in plain text. Give an endpoint's key in its API key field."
                }
            )
        if not isinstance(item, str | int | float | bool) or item is None:
            raise ValidationError({"model_args": f"{key}: give a text, number or true/false."})
        if isinstance(item, float) and not math.isfinite(item):
            # JSON has no NaN or infinity: the database refuses them
            raise ValidationError({"model_args": f"{key}: give a finite number."})
        if isinstance(item, str) and "\x00" in item:
            raise ValidationError({"model_args": f"{key}: text cannot contain NUL characters."})
        cleaned[key] = item
    return cleaned


@transaction.atomic
def target_create(
    *,
    actor: Any,
    version: ModelVersion,
    name: str,
    kind: str,
    base_url: str = "",
    model_name: str = "",
    model_path: str = "",
    api_key: str = "",
    model_args: Mapping[str, Any] | None = None,
) -> EvaluationTarget:
    """A new way to reach ``version``; the fields a kind needs are checked, by field."""
    name = _clean_text(name, "name", max_length=60, required=True).lower()
    if not all(ch.isalnum() or ch in "-_" for ch in name) or not name.isascii():
        raise ValidationError({"name": "Use letters, digits, hyphens and underscores only."})
    if kind not in TargetKind.values:
        raise ValidationError({"kind": f"Choose one of {', '.join(TargetKind.values)}."})
    if EvaluationTarget.objects.filter(version=version, name=name).exists():
        raise ValidationError({"name": f"This version already has a target called {name}."})
    target = EvaluationTarget(
        version=version,
        name=name,
        kind=kind,
        model_args=_clean_model_args(model_args),
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    if kind in (TargetKind.OPENAI_COMPATIBLE, TargetKind.VLLM):
        target.base_url = _clean_base_url(base_url)
        target.model_name = _clean_text(model_name, "model_name", max_length=200, required=True)
    elif kind == TargetKind.TRANSFORMERS:
        path = _clean_text(model_path, "model_path", max_length=500, required=True)
        if not Path(path).is_absolute():
            raise ValidationError({"model_path": "Give the directory as an absolute path."})
        target.model_path = path
        target.model_name = _clean_text(model_name, "model_name", max_length=200) or Path(path).name
    else:
        target.model_name = _clean_text(model_name, "model_name", max_length=200) or "model"
    api_key = _clean_text(api_key, "api_key", max_length=4000)
    if api_key and kind not in (TargetKind.OPENAI_COMPATIBLE, TargetKind.VLLM):
        raise ValidationError({"api_key": "Only endpoint targets take an API key."})
    target.api_key_encrypted = secrets.encrypt(api_key)
    target.api_key_hint = secrets.hint(api_key)
    try:
        with transaction.atomic():
            target.save()
    except IntegrityError:  # the same name added meanwhile by someone else
        raise ValidationError(
            {"name": f"This version already has a target called {name}."}
        ) from None
    audit.record(
        actor=actor,
        action="evaluations.target.created",
        obj=target,
        after={
            "version": version.pk,
            "name": target.name,
            "kind": target.kind,
            "base_url": target.base_url,
            "model_name": target.model_name,
            "model_path": target.model_path,
            "api_key": bool(api_key),  # never the key itself
        },
    )
    return target


@transaction.atomic
def target_set_api_key(*, actor: Any, target: EvaluationTarget, api_key: str) -> None:
    """Replace (or, with "", remove) an endpoint target's API key."""
    if target.kind not in (TargetKind.OPENAI_COMPATIBLE, TargetKind.VLLM):
        raise ValidationError({"api_key": "Only endpoint targets take an API key."})
    api_key = _clean_text(api_key, "api_key", max_length=4000)
    target.api_key_encrypted = secrets.encrypt(api_key)
    target.api_key_hint = secrets.hint(api_key)
    target.save(update_fields=["api_key_encrypted", "api_key_hint"])
    audit.record(
        actor=actor, action="evaluations.target.key_set", obj=target, after={"set": bool(api_key)}
    )


def _probe(target: EvaluationTarget) -> tuple[bool, str]:
    """One request to the target (or a look at its directory): (answered, what we saw)."""
    if target.kind == TargetKind.MOCK:
        return True, "The mock model answers offline; nothing to reach."
    if target.kind == TargetKind.TRANSFORMERS:
        directory = Path(target.model_path)
        if not directory.is_dir():
            return False, f"{directory} is not a directory on this machine."
        missing = [
            name
            for name in ("config.json", "tokenizer_config.json")
            if not (directory / name).is_file()
        ]
        weights = list(directory.glob("*.safetensors")) + list(directory.glob("*.bin"))
        if missing or not weights:
            lacking = [*missing, *([] if weights else ["weights (*.safetensors or *.bin)"])]
            return False, f"{directory} lacks {', '.join(lacking)}."
        return True, f"{directory} holds a configuration, a tokenizer and weights."
    try:
        key = secrets.decrypt(target.api_key_encrypted)
    except secrets.SecretUnavailable as exc:
        return False, str(exc)
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    body = {
        "model": target.model_name,
        "messages": [{"role": "user", "content": "Reply with OK."}],
        "max_tokens": 1,
        "temperature": 0,
    }
    try:
        response = httpx.post(
            f"{target.base_url}/chat/completions",
            json=body,
            headers=headers,
            timeout=CHECK_TIMEOUT_SECONDS,
        )
    except httpx.HTTPError as exc:
        return False, f"No answer from {target.base_url}: {type(exc).__name__}: {exc}"[:500]
    if response.status_code != 200:
        return False, f"The endpoint answered HTTP {response.status_code}: {response.text[:300]}"
    try:
        choices = response.json()["choices"]
        choices[0]["message"]
    except (ValueError, KeyError, IndexError, TypeError):
        return False, "The endpoint answered, but not with an OpenAI chat completion."
    return True, f"{target.model_name} answered a one-token chat completion."


def target_check(*, actor: Any, target: EvaluationTarget) -> EvaluationTarget:
    """Send the target one request now and record whether and how fast it answered."""
    started = time.perf_counter()
    ok, message = _probe(target)
    elapsed = round((time.perf_counter() - started) * 1000)
    # an endpoint's answer may echo the key it was sent
    message = secrets.redact(message, secrets.decrypt_or_empty(target.api_key_encrypted))
    with transaction.atomic():
        target.checked_at = timezone.now()
        target.check_ok = ok
        target.check_message = message
        target.check_latency_ms = elapsed
        target.save(update_fields=["checked_at", "check_ok", "check_message", "check_latency_ms"])
        audit.record(
            actor=actor,
            action="evaluations.target.checked",
            obj=target,
            after={"ok": ok, "message": message, "latency_ms": elapsed},
        )
    return target


def _clean_number(name: str, value: Any, *, integer: bool = True) -> Any:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValidationError({name: "Give a number."})
    if isinstance(value, float) and not math.isfinite(value):
        raise ValidationError({name: "Give a finite number."})
    # an int is compared as it is: float() of a 400-digit int overflows
    if integer and isinstance(value, float) and not value.is_integer():
        raise ValidationError({name: "Give a whole number."})
    low, high = LIMITS[name]
    if not low <= value <= high:
        raise ValidationError({name: f"Give a value from {low:g} to {high:g}."})
    return int(value) if integer else float(value)


def resolve_tasks(tasks: Sequence[str] | None, suite: str | None) -> list[str]:
    """The catalogue tasks a run asks for: a suite, a list of names, or both (deduplicated)."""
    names: list[str] = []
    if suite:
        if suite not in SUITES:
            raise ValidationError(
                {"suite": f"Unknown suite {suite!r}; known: {', '.join(SUITES)}."}
            )
        names.extend(SUITES[suite])
    for name in tasks or ():
        try:
            by_name(name)
        except KeyError as exc:
            raise ValidationError({"tasks": str(exc.args[0])}) from exc
        names.append(name)
    unique = list(dict.fromkeys(names))
    if not unique:
        raise ValidationError({"tasks": "Name at least one task or a suite."})
    if len(unique) > MAX_TASKS_PER_RUN:
        raise ValidationError({"tasks": f"At most {MAX_TASKS_PER_RUN} tasks in one run."})
    for name in unique:
        entry = by_name(name)
        if entry.roles:
            raise ValidationError(
                {
                    "tasks": f"{name} needs a second model ({', '.join(entry.roles)}), which a "
                    "run through one target cannot give."
                }
            )
    return unique


def _clean_task_args(task_args: Mapping[str, Any] | None, tasks: Sequence[str]) -> dict[str, Any]:
    if not task_args:
        return {}
    if not isinstance(task_args, Mapping):
        raise ValidationError({"task_args": "Give the task arguments as {task: {name: value}}."})
    cleaned: dict[str, Any] = {}
    for task, args in task_args.items():
        if task not in tasks:
            raise ValidationError({"task_args": f"{task} is not one of the run's tasks."})
        try:
            cleaned[task] = _clean_model_args(args, model=False)
        except ValidationError as exc:
            raise ValidationError({"task_args": f"{task}: {exc.messages[0]}"}) from exc
    return cleaned


@transaction.atomic
def run_queue(
    *,
    actor: Any,
    version: ModelVersion,
    target: EvaluationTarget,
    tasks: Sequence[str] | None = None,
    suite: str | None = None,
    task_args: Mapping[str, Any] | None = None,
    epochs: int = 1,
    temperature: float | None = None,
    max_tokens: int | None = None,
    token_limit: int | None = None,
    time_limit: int | None = None,
    seed: int | None = None,
    max_connections: int = 8,
    sample_limit: int | None = None,
    notes: str = "",
    enqueue: bool = True,
) -> EvaluationRun:
    """Queue an evaluation of ``version`` through ``target``; the worker picks it up.

    ``enqueue=False`` creates the run without handing it to the worker (the CLI executes it
    itself, in the foreground).
    """
    if target.version_id != version.pk:
        raise ValidationError({"target": f"{target.name} is a target of another version."})
    names = resolve_tasks(tasks, suite)
    run = EvaluationRun(
        version=version,
        target=target,
        suite=suite or "",
        tasks=names,
        task_args=_clean_task_args(task_args, names),
        epochs=_clean_number("epochs", epochs if epochs is not None else 1),
        temperature=_clean_number("temperature", temperature, integer=False),
        max_tokens=_clean_number("max_tokens", max_tokens),
        token_limit=_clean_number("token_limit", token_limit),
        time_limit=_clean_number("time_limit", time_limit),
        seed=_clean_number("seed", seed),
        max_connections=_clean_number(
            "max_connections", max_connections if max_connections is not None else 8
        ),
        sample_limit=_clean_number("sample_limit", sample_limit),
        notes=_clean_text(notes, "notes", max_length=10_000),
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    run.save()
    audit.record(
        actor=actor,
        action="evaluations.run.queued",
        obj=run,
        after={"version": version.pk, "target": target.name, "tasks": names, "suite": run.suite},
    )
    if enqueue:
        _enqueue(run)
    return run


def _enqueue(run: EvaluationRun) -> None:
    from aioffice.evaluations.tasks import execute_run  # the task module imports execution

    def hand_over() -> None:
        result = execute_run.enqueue(run.pk)
        EvaluationRun.objects.filter(pk=run.pk).update(queue_task_id=str(result.id)[:64])

    transaction.on_commit(hand_over)


@transaction.atomic
def run_cancel(*, actor: Any, run: EvaluationRun) -> EvaluationRun:
    """Cancel a queued run at once; ask a running one to stop (the worker ends its
    subprocess within a second or two and marks it cancelled)."""
    run = EvaluationRun.objects.select_for_update().get(pk=run.pk)
    if run.status in FINISHED_STATUSES:
        raise ValidationError({"status": f"The run has already {run.status}."})
    if run.status == RunStatus.QUEUED:
        run.status = RunStatus.CANCELLED
        run.finished_at = timezone.now()
    run.cancel_requested = True
    run.save(update_fields=["status", "finished_at", "cancel_requested"])
    audit.record(actor=actor, action="evaluations.run.cancelled", obj=run)
    return run


@transaction.atomic
def run_retry(*, actor: Any, run: EvaluationRun) -> EvaluationRun:
    """Queue a failed or cancelled run again; it resumes from the logs it left (finished
    tasks are kept, finished samples are not run again)."""
    run = EvaluationRun.objects.select_for_update().get(pk=run.pk)
    if run.status not in (RunStatus.FAILED, RunStatus.CANCELLED):
        raise ValidationError({"status": "Only a failed or cancelled run can be retried."})
    run.status = RunStatus.QUEUED
    run.cancel_requested = False
    run.error = ""
    run.finished_at = None
    run.save(update_fields=["status", "cancel_requested", "error", "finished_at"])
    audit.record(actor=actor, action="evaluations.run.retried", obj=run)
    _enqueue(run)
    return run
