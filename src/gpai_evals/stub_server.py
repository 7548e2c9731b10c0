"""A small OpenAI-compatible chat-completions server on 127.0.0.1, for tests, benches and demos.

It answers every ``POST /v1/chat/completions`` deterministically (a fixed text, or a function of
the prompt), after an optional simulated latency, with token counts in ``usage``; it lists one
model at ``GET /v1/models``; it can require an API key (``Authorization: Bearer KEY``, 401
otherwise); and it counts the requests it was sent per prompt (the text of the last message),
so a test can check that each sample was asked once.

Standard library only (one thread per connection, HTTP/1.1 keep-alive), so it serves dozens of
concurrent requests and starts in milliseconds::

    with serve(answer="ANSWER: A", latency_ms=50, api_key="k") as stub:
        ...  # OPENAI base URL: stub.base_url; stub.requests["the prompt"] == 1

From a shell: ``python -m gpai_evals.stub_server --port 8765 --latency-ms 20``.
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

__all__ = ["StubServer", "main", "prompt_text", "serve"]

Answer = str | Callable[[str], str]
MAX_BODY_BYTES = 16 * 1024 * 1024


def prompt_text(body: dict[str, Any]) -> str:
    """The text of the last message of a chat-completions request (content parts joined)."""
    messages = body.get("messages") or []
    if not isinstance(messages, list) or not messages or not isinstance(messages[-1], dict):
        return ""
    content = messages[-1].get("content", "")
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(str(part.get("text", "")) for part in content if isinstance(part, dict))
    return ""


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256  # a burst of 32+ connections must not be refused
    stub: StubServer

    def handle_error(self, request: Any, client_address: Any) -> None:
        if isinstance(sys.exc_info()[1], ConnectionError):
            return  # a client that went away (a killed evaluation) is not the stub's fault
        super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: clients reuse their connections
    # headers and body go out in two writes: without TCP_NODELAY the body waits for the
    # client's delayed acknowledgement (~40 ms a request on Linux loopback)
    disable_nagle_algorithm = True
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        if self.server.stub.verbose:
            super().log_message(format, *args)

    def _send(self, status: int, payload: dict[str, Any]) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _error(self, status: int, message: str, kind: str) -> None:
        self._send(status, {"error": {"message": message, "type": kind, "code": status}})

    def _authorised(self) -> bool:
        key = self.server.stub.api_key
        if key is None or self.headers.get("Authorization", "") == f"Bearer {key}":
            return True
        self.server.stub._count_unauthorised()
        self._error(401, "Incorrect API key provided.", "invalid_request_error")
        return False

    def do_GET(self) -> None:
        if self.path.rstrip("/") not in ("/v1/models", "/models"):
            self._error(404, f"No route {self.path}.", "not_found")
            return
        if not self._authorised():
            return
        stub = self.server.stub
        self._send(
            200,
            {
                "object": "list",
                "data": [{"id": stub.model, "object": "model", "created": 0, "owned_by": "stub"}],
            },
        )

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if 0 < length <= MAX_BODY_BYTES else b""
        if self.path.rstrip("/") not in ("/v1/chat/completions", "/chat/completions"):
            self._error(404, f"No route {self.path}.", "not_found")
            return
        if not self._authorised():
            return
        try:
            body = json.loads(raw or b"null")
        except ValueError:
            body = None
        if not isinstance(body, dict) or not isinstance(body.get("messages"), list):
            self._error(400, "Send a JSON object with a messages list.", "invalid_request_error")
            return
        stub = self.server.stub
        prompt = prompt_text(body)
        stub._count(prompt)
        if stub.latency_ms:
            time.sleep(stub.latency_ms / 1000)
        text = stub.answer if isinstance(stub.answer, str) else stub.answer(prompt)
        prompt_tokens = sum(
            len(str(m.get("content", "")).split()) for m in body["messages"] if isinstance(m, dict)
        )
        completion_tokens = len(text.split())
        self._send(
            200,
            {
                "id": f"chatcmpl-stub-{stub.total}",
                "object": "chat.completion",
                "created": int(time.time()),
                "model": str(body.get("model") or stub.model),
                "choices": [
                    {
                        "index": 0,
                        "message": {"role": "assistant", "content": text},
                        "finish_reason": "stop",
                        "logprobs": None,
                    }
                ],
                "usage": {
                    "prompt_tokens": prompt_tokens,
                    "completion_tokens": completion_tokens,
                    "total_tokens": prompt_tokens + completion_tokens,
                },
            },
        )


class StubServer:
    """A running stub: its address, and what it was asked."""

    def __init__(
        self,
        *,
        answer: Answer = "ANSWER: A",
        latency_ms: float = 0,
        api_key: str | None = None,
        model: str = "stub-model",
        host: str = "127.0.0.1",
        port: int = 0,
        verbose: bool = False,
    ) -> None:
        self.answer = answer
        self.latency_ms = latency_ms
        self.api_key = api_key
        self.model = model
        self.verbose = verbose
        self.requests: Counter[str] = Counter()  # completions asked, per prompt
        self.unauthorised = 0  # requests refused for a missing or wrong key
        self._lock = threading.Lock()
        self._server = _Server((host, port), _Handler)
        self._server.stub = self
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    @property
    def base_url(self) -> str:
        """The OpenAI base URL (ends in /v1)."""
        return f"http://127.0.0.1:{self.port}/v1"

    @property
    def total(self) -> int:
        """Completions asked in all."""
        with self._lock:
            return sum(self.requests.values())

    def reset(self) -> None:
        with self._lock:
            self.requests.clear()
            self.unauthorised = 0

    def _count(self, prompt: str) -> None:
        with self._lock:
            self.requests[prompt] += 1

    def _count_unauthorised(self) -> None:
        with self._lock:
            self.unauthorised += 1

    def start(self) -> StubServer:
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        self._server.serve_forever(poll_interval=0.2)

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)


@contextmanager
def serve(
    answer: Answer = "ANSWER: A",
    latency_ms: float = 0,
    api_key: str | None = None,
    *,
    model: str = "stub-model",
    port: int = 0,
) -> Iterator[StubServer]:
    """A stub serving on 127.0.0.1 (a free port unless one is given) for the block's duration."""
    stub = StubServer(answer=answer, latency_ms=latency_ms, api_key=api_key, model=model, port=port)
    stub.start()
    try:
        yield stub
    finally:
        stub.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m gpai_evals.stub_server",
        description="An OpenAI-compatible chat-completions stub on 127.0.0.1.",
    )
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--latency-ms", type=float, default=0.0)
    parser.add_argument("--answer", default="ANSWER: A", help="the text of every completion")
    parser.add_argument("--api-key", default=None, help="require this bearer key")
    parser.add_argument("--model", default="stub-model")
    parser.add_argument("--verbose", action="store_true", help="log each request")
    args = parser.parse_args(argv)
    if args.latency_ms < 0:
        parser.error("--latency-ms cannot be negative")
    stub = StubServer(
        answer=args.answer,
        latency_ms=args.latency_ms,
        api_key=args.api_key,
        model=args.model,
        port=args.port,
        verbose=args.verbose,
    )
    sys.stdout.write(f"serving {stub.base_url} (model {stub.model}); Ctrl-C stops\n")
    sys.stdout.flush()
    try:
        stub.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        stub._server.server_close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
