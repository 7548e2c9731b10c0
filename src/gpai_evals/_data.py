"""Datasets written by others: loaded at run time from the user's files or a pinned hub revision.

Nothing here is committed to the repository. A local file is checked against the SHA-256 the
caller gives; a hub dataset is fetched at the revision the wrapped package pins, and the hash
of its records (serialised as canonical JSON lines) is checked the same way. Either hash ends
up in the task's metadata, hence in the Inspect log, as evidence of what was evaluated.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from inspect_ai.dataset import MemoryDataset, Sample

Record = dict[str, Any]


class DatasetUnavailable(RuntimeError):
    """The data cannot be had: missing file, unreachable hub, or a hash that does not match."""


@dataclass(frozen=True)
class HubDataset:
    """A dataset on the Hugging Face Hub at a pinned revision."""

    path: str
    split: str
    revision: str
    name: str | None = None


@dataclass(frozen=True)
class LoadedRecords:
    """Records as read, with where they came from and their SHA-256."""

    records: list[Record]
    source: str  # "local" or "hub"
    location: str
    sha256: str
    revision: str | None

    def provenance(self) -> dict[str, str | None]:
        """What the log records about the data."""
        return {
            "source": self.source,
            "location": self.location,
            "sha256": self.sha256,
            "revision": self.revision,
        }


def sha256_file(path: Path) -> str:
    """The SHA-256 of a file's bytes, as lowercase hex."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def records_sha256(records: Iterable[Record]) -> str:
    """The SHA-256 of records serialised one per line as JSON with sorted keys."""
    digest = hashlib.sha256()
    for record in records:
        line = json.dumps(record, sort_keys=True, ensure_ascii=False, default=str)
        digest.update(line.encode() + b"\n")
    return digest.hexdigest()


def read_records(path: Path) -> list[Record]:
    """Records from a ``.jsonl`` (one JSON object per line) or ``.csv`` file (with a header)."""
    if path.suffix == ".jsonl":
        with path.open(encoding="utf-8") as handle:
            return [json.loads(line) for line in handle if line.strip()]
    if path.suffix == ".csv":
        with path.open(encoding="utf-8", newline="") as handle:
            return list(csv.DictReader(handle))
    raise DatasetUnavailable(f"{path}: only .jsonl and .csv files are read")


def _check(actual: str, expected: str | None, where: str) -> None:
    if expected is not None and actual != expected.strip().lower():
        raise DatasetUnavailable(
            f"{where}: SHA-256 is {actual}, expected {expected}; refusing to evaluate on "
            "data other than the data named"
        )


def load_records(
    *, hub: HubDataset, local_file: str, data_dir: str | None, sha256: str | None
) -> LoadedRecords:
    """Read ``data_dir/local_file`` when a directory is given, otherwise the pinned hub dataset.

    ``sha256``, when given, must match (the file's bytes locally; the records from the hub).
    """
    if data_dir is not None:
        path = Path(data_dir).expanduser().resolve() / local_file
        if not path.is_file():
            raise DatasetUnavailable(f"{path} does not exist; put the {local_file} file there")
        digest = sha256_file(path)
        _check(digest, sha256, str(path))
        return LoadedRecords(read_records(path), "local", str(path), digest, None)
    records = _hub_records(hub)
    digest = records_sha256(records)
    location = f"hf://datasets/{hub.path}" + (f"/{hub.name}" if hub.name else "")
    _check(digest, sha256, location)
    return LoadedRecords(records, "hub", location, digest, hub.revision)


def _hub_offline() -> str | None:
    """The variable that switches hub access off, if one does (checked at call time: the hub
    libraries read it once, at import, which may have happened before it was set)."""
    for variable in ("HF_HUB_OFFLINE", "HF_DATASETS_OFFLINE"):
        if os.environ.get(variable, "").strip().lower() in ("1", "true", "yes", "on"):
            return variable
    return None


def _hub_records(hub: HubDataset) -> list[Record]:
    offline = _hub_offline()
    if offline is not None:
        raise DatasetUnavailable(
            f"{offline} is set, so {hub.path} cannot be loaded from the hub; "
            "give a local data directory instead"
        )
    try:
        # heavy, and only needed for hub runs; the package ships no type information
        from datasets import load_dataset  # type: ignore[import-untyped]
    except ImportError as error:  # pragma: no cover - datasets comes with inspect-evals
        raise DatasetUnavailable("the datasets package is needed to read from the hub") from error
    try:
        data = load_dataset(hub.path, hub.name, split=hub.split, revision=hub.revision)
    except Exception as error:  # the hub raises many kinds; all mean "not available"
        raise DatasetUnavailable(
            f"cannot load {hub.path} at revision {hub.revision} from the hub ({error}); "
            "give a local data directory instead"
        ) from error
    return [dict(row) for row in data]


def to_dataset(
    loaded: LoadedRecords, record_to_sample: Callable[[Record], Sample], name: str
) -> MemoryDataset:
    """An Inspect dataset made of the loaded records."""
    samples = [record_to_sample(record) for record in loaded.records]
    return MemoryDataset(samples, name=name, location=loaded.location)
