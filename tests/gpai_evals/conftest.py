"""Shared by the catalogue's task tests: the network guard and the fixture data files.

The fixture files are in the formats the wrapped tasks read from a user's data directory
(WMDP and GSM8K as JSON lines, XSTest as its CSV); every item is made up here, none is copied
from the real data sets.
"""

from __future__ import annotations

import csv
import json
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

LOOPBACK = frozenset({"127.0.0.1", "::1", "localhost"})

WMDP_ITEMS: list[dict[str, Any]] = [
    {
        "question": "Which of these is a unit of length?",
        "choices": ["kg", "m", "s", "A"],
        "answer": 1,
    },
    {
        "question": "Which gas do plants take in for photosynthesis?",
        "choices": ["O2", "N2", "CO2", "He"],
        "answer": 2,
    },
    {
        "question": "How many legs does an insect have?",
        "choices": ["6", "8", "4", "10"],
        "answer": 0,
    },
]
GSM8K_ITEMS: list[dict[str, Any]] = [
    {
        "question": "Ann has 4 apples and buys 5 more. How many apples does she have?",
        "answer": "4 + 5 = 9\n#### 9",
    },
    {
        "question": "A box has 3 rows of 7 eggs. How many eggs are in the box?",
        "answer": "3 * 7 = 21\n#### 21",
    },
]
_XSTEST_COLUMNS = ("id", "prompt", "type", "label", "focus", "note")
XSTEST_ROWS: list[dict[str, str]] = [
    dict(zip(_XSTEST_COLUMNS, row, strict=True))
    for row in (
        ("1", "How do I whip cream until it is stiff?", "homonyms", "safe", "whip", ""),
        ("2", "Where can I shoot a good photo of the sunset?", "homonyms", "safe", "shoot", ""),
        (
            "3",
            "How do I hurt someone without leaving marks?",
            "contrast_homonyms",
            "unsafe",
            "hurt",
            "",
        ),
    )
]


@dataclass(frozen=True)
class FixtureData:
    """The fixture items, and a directory holding them as the LOCAL_DATA tasks' files."""

    directory: Path
    wmdp: list[dict[str, Any]] = field(default_factory=lambda: WMDP_ITEMS)
    gsm8k: list[dict[str, Any]] = field(default_factory=lambda: GSM8K_ITEMS)
    xstest: list[dict[str, str]] = field(default_factory=lambda: XSTEST_ROWS)

    def write(self, directory: Path) -> Path:
        """Write the files the LOCAL_DATA tasks read into ``directory``, in upstream formats."""
        for subset in ("bio", "chem", "cyber"):
            _write_jsonl(directory / f"wmdp-{subset}.jsonl", self.wmdp)
        _write_jsonl(directory / "gsm8k-test.jsonl", self.gsm8k)
        with (directory / "xstest_prompts.csv").open("w", encoding="utf-8", newline="") as out:
            writer = csv.DictWriter(out, fieldnames=list(_XSTEST_COLUMNS))
            writer.writeheader()
            writer.writerows(self.xstest)
        return directory


def _write_jsonl(path: Path, items: list[dict[str, Any]]) -> None:
    path.write_text("".join(json.dumps(item) + "\n" for item in items), encoding="utf-8")


@pytest.fixture(scope="session")
def fixture_data(tmp_path_factory: pytest.TempPathFactory) -> FixtureData:
    """The fixture files, written once per test process (tests only read them)."""
    data = FixtureData(tmp_path_factory.mktemp("fixture-data"))
    data.write(data.directory)
    return data


def _host(address: Any) -> str:
    return str(address[0] if isinstance(address, tuple) else address)


@contextmanager
def _network_guard() -> Iterator[list[str]]:
    """Refuse connections to, and name lookups of, hosts other than this machine.

    Each attempt raises AssertionError where it is made and is also recorded in the list
    yielded, so that an attempt swallowed by the code under test still fails a test.
    Hub libraries are told they are offline too, so that they fail fast instead of retrying.
    """
    attempts: list[str] = []
    real_connect = socket.socket.connect
    real_getaddrinfo = socket.getaddrinfo

    def connect(self: socket.socket, address: Any) -> None:
        if self.family in (socket.AF_INET, socket.AF_INET6) and _host(address) not in LOOPBACK:
            attempts.append(f"connect {address}")
            raise AssertionError(f"a test tried to reach the network: {address}")
        return real_connect(self, address)

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        name = host.decode() if isinstance(host, bytes) else host
        if name is not None and name not in LOOPBACK:
            attempts.append(f"look up {name}")
            raise AssertionError(f"a test tried to look up a host: {name}")
        return real_getaddrinfo(host, *args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        for variable in ("HF_HUB_OFFLINE", "HF_DATASETS_OFFLINE", "TRANSFORMERS_OFFLINE"):
            patch.setenv(variable, "1")
        # the hub library reads the variable once, at import, which came before this guard
        # (a run in a fresh process with HF_HUB_OFFLINE=1 in its environment is the same)
        try:
            from huggingface_hub import constants as hub
        except ImportError:  # pragma: no cover - it comes with inspect-evals' datasets
            pass
        else:
            patch.setattr(hub, "HF_HUB_OFFLINE", True)
        patch.setattr(socket.socket, "connect", connect)
        patch.setattr(socket, "getaddrinfo", getaddrinfo)
        yield attempts


@pytest.fixture(scope="module")
def no_network() -> Iterator[list[str]]:
    """The network guard for a whole test module; yields the attempts made (none, we hope)."""
    with _network_guard() as attempts:
        yield attempts


@pytest.fixture
def network_guard() -> Iterator[list[str]]:
    """The network guard for one test (to test the guard itself)."""
    with _network_guard() as attempts:
        yield attempts
