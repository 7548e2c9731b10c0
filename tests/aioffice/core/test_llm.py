"""core.llm against the OpenAI-compatible stub (gpai_evals.stub_server) on 127.0.0.1."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from typing import Any

import pytest

from aioffice.core import llm
from gpai_evals.stub_server import StubServer, serve


@pytest.fixture
def stub(settings: Any) -> Iterator[StubServer]:
    with serve(answer="Three points stand out.", api_key="k-test", model="stub-7b") as server:
        settings.LLM_BASE_URL = server.base_url
        settings.LLM_MODEL = "asked-model"
        settings.LLM_API_KEY = "k-test"
        settings.LLM_TIMEOUT_SECONDS = 5
        yield server


def test_off_while_no_endpoint_is_configured(settings: Any) -> None:
    settings.LLM_BASE_URL = ""
    settings.LLM_MODEL = "m"
    assert llm.configured() is False
    with pytest.raises(llm.LlmError, match="No summary service is configured"):
        llm.complete("Summarise.")
    settings.LLM_BASE_URL = "http://127.0.0.1:9/v1"
    settings.LLM_MODEL = ""
    assert llm.configured() is False


def test_a_completion_records_endpoint_model_prompt_and_times(stub: StubServer) -> None:
    assert llm.configured() is True
    done = llm.complete("Summarise these three comments.")
    assert done.text == "Three points stand out."
    assert done.endpoint == stub.base_url
    assert done.model == "asked-model"  # the stub echoes the model asked; we keep what it says
    assert done.prompt == "Summarise these three comments."
    assert done.requested_at <= done.received_at
    assert stub.requests["Summarise these three comments."] == 1


def test_a_refused_key_is_a_clear_error_without_the_key(stub: StubServer, settings: Any) -> None:
    settings.LLM_API_KEY = "wrong-secret"
    with pytest.raises(llm.LlmError) as caught:
        llm.complete("Summarise.")
    assert "refused the configured key" in str(caught.value)
    assert "wrong-secret" not in str(caught.value)
    assert stub.unauthorised == 1


def test_an_error_status_is_named(stub: StubServer, settings: Any) -> None:
    settings.LLM_BASE_URL = stub.base_url + "/nowhere"
    with pytest.raises(llm.LlmError, match=r"error \(404\)"):
        llm.complete("Summarise.")


def test_an_unreachable_endpoint_is_a_clear_error(settings: Any) -> None:
    with socket.socket() as sock:  # a port that was free a moment ago: nothing listens there
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings.LLM_BASE_URL = f"http://127.0.0.1:{port}/v1"
    settings.LLM_MODEL = "m"
    with pytest.raises(llm.LlmError, match="could not be reached"):
        llm.complete("Summarise.")


def test_a_slow_endpoint_times_out(settings: Any) -> None:
    with serve(answer="late", latency_ms=2500) as server:
        settings.LLM_BASE_URL = server.base_url
        settings.LLM_MODEL = "m"
        settings.LLM_TIMEOUT_SECONDS = 1
        with pytest.raises(llm.LlmError, match="did not answer within 1 seconds"):
            llm.complete("Summarise.")


def test_an_empty_answer_is_an_error(settings: Any) -> None:
    with serve(answer="   ") as server:
        settings.LLM_BASE_URL = server.base_url
        settings.LLM_MODEL = "m"
        with pytest.raises(llm.LlmError, match="empty answer"):
            llm.complete("Summarise.")
