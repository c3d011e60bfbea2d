"""A scripted OpenAI-compatible server on 127.0.0.1, so the real ChatOpenAI client meets real network faults.

Each POST /v1/chat/completions takes the next scripted behaviour (then `default`); every request body is
recorded in `requests`, so a test can assert how many attempts the product made.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import partial
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Literal

import pytest

Kind = Literal["ok", "status", "sleep", "slow_stream", "close"]


@dataclass(frozen=True)
class Behaviour:
    """What the server does with one request; build one with the functions below."""

    kind: Kind
    content: str = ""
    code: int = 200
    retry_after: float | None = None
    body: str = ""
    seconds: float = 0.0
    then: Behaviour | None = None


def ok(json_text: str | dict) -> Behaviour:
    """A normal chat.completion whose message content is `json_text` (a dict is dumped to JSON)."""
    return Behaviour("ok", content=json_text if isinstance(json_text, str) else json.dumps(json_text))


def status(code: int, retry_after: float | None = None, body: str | None = None) -> Behaviour:
    """An HTTP error in OpenAI's error shape, e.g. 429 with a Retry-After header, or 500."""
    message = body if body is not None else f"fake_openai: scripted HTTP {code}"
    payload = json.dumps({"error": {"message": message, "type": "server_error", "param": None, "code": str(code)}})
    return Behaviour("status", code=code, retry_after=retry_after, body=payload)


def sleep(seconds: float, then: Behaviour | None = None) -> Behaviour:
    """Say nothing for `seconds`, then reply with `then` (a valid grade by default): a model that times out."""
    return Behaviour("sleep", seconds=seconds, then=then or ok(VALID_GRADE))


def not_json() -> Behaviour:
    return ok("I would give this answer a four out of five: it covers the main idea but misses detection.")


def wrong_shape() -> Behaviour:
    return ok({"rating": "good", "comment": "Nice answer."})


def empty() -> Behaviour:
    return ok("")


def slow_stream(seconds: float = 4.0, then: Behaviour | None = None) -> Behaviour:
    """Headers at once, then the body of `then` a few bytes at a time over `seconds`.

    Bytes keep arriving, so a per-read (inter-byte) timeout never fires: only a wall-clock deadline stops it.
    """
    return Behaviour("slow_stream", seconds=seconds, then=then or ok(VALID_GRADE))


def close() -> Behaviour:
    """Read the request, then close the connection without any response."""
    return Behaviour("close")


# A usable grade for intermediate-01-overfitting (key point ids from the bank).
VALID_GRADE = {
    "score": 3.0,
    "covered": [
        {"id": "fits-noise", "evidence": "memorises noise in the training data"},
        {"id": "train-test-gap", "evidence": "fails on new data"},
    ],
    "missed": [],
    "misconceptions": [],
    "feedback": "Good answer. Add how you would detect it on a validation set.",
    "flags": [],
}
UNSCRIPTED = status(500, body="fake_openai: script exhausted (enqueue more behaviours or set default)")


@dataclass(frozen=True)
class Fault:
    """One row of the fault matrix: what the server does (None: nothing listens) and the reason to expect."""

    name: str
    behaviour: Behaviour | None
    reason: str  # a regex for the "LLM not used: ..." note


FAULTS = [
    Fault("timeout", sleep(5.0), r"timed out|timeout"),
    Fault("refused", None, r"Connection error"),
    Fault("rate_limited", status(429, retry_after=1), r"HTTP 429"),
    Fault("server_error", status(500), r"HTTP 500"),
    Fault("not_json", not_json(), r"not JSON"),
    Fault("wrong_shape", wrong_shape(), r"wrong shape \(score: Field required\)"),
    Fault("empty", empty(), r"empty reply"),
    Fault("slow_stream", slow_stream(3.5), r"timed out|timeout"),
    Fault("closed", close(), r"Connection error"),
]


def completion(content: str, model: str, n: int) -> dict:
    return {
        "id": f"chatcmpl-fake-{n}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
    }


@dataclass
class FakeOpenAI:
    """The server: `enqueue` behaviours, point a client at `base_url`, read `requests` afterwards."""

    script: list[Behaviour] = field(default_factory=list)
    default: Behaviour = UNSCRIPTED
    requests: list[dict] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _stopping: threading.Event = field(default_factory=threading.Event, repr=False)
    _server: ThreadingHTTPServer | None = field(default=None, repr=False)

    def enqueue(self, *behaviours: Behaviour) -> FakeOpenAI:
        with self._lock:
            self.script.extend(behaviours)
        return self

    @property
    def base_url(self) -> str:
        assert self._server is not None, "start() the server first"
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def start(self) -> FakeOpenAI:
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = True
        serve = partial(self._server.serve_forever, poll_interval=0.05)  # a quick stop()
        threading.Thread(target=serve, name="fake-openai", daemon=True).start()
        return self

    def stop(self) -> None:
        self._stopping.set()  # wakes handlers that are sleeping or trickling
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def __enter__(self) -> FakeOpenAI:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _next(self, body: dict) -> tuple[Behaviour, int]:
        with self._lock:
            self.requests.append(body)
            return (self.script.pop(0) if self.script else self.default), len(self.requests)


def closed_port_url() -> str:
    """A loopback base URL nothing listens on: connections are refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/v1"


class _Handler(BaseHTTPRequestHandler):
    """Serves one FakeOpenAI's scripted behaviours (`fake` is set per server by _handler_for)."""

    fake: FakeOpenAI
    protocol_version = "HTTP/1.1"  # keep-alive, as real servers do

    def do_POST(self) -> None:  # noqa: N802 - the name http.server dispatches to
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if self.path.rstrip("/") != "/v1/chat/completions":
            self._send(404, json.dumps({"error": {"message": f"no route {self.path}"}}))
            return
        try:
            body = json.loads(raw or b"{}")
        except ValueError:
            body = {"_unparsed": raw.decode("utf-8", "replace")}
        behaviour, n = self.fake._next(body)
        try:
            self._act(behaviour, str(body.get("model", "fake")), n)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the client gave up first: that is the point of most faults

    def _act(self, behaviour: Behaviour, model: str, n: int) -> None:
        if behaviour.kind == "sleep":
            if self.fake._stopping.wait(behaviour.seconds):
                self.close_connection = True
                return
            self._act(behaviour.then or UNSCRIPTED, model, n)
        elif behaviour.kind == "close":
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
        elif behaviour.kind == "status":
            headers = {"Retry-After": f"{behaviour.retry_after:g}"} if behaviour.retry_after is not None else {}
            self._send(behaviour.code, behaviour.body, headers)
        elif behaviour.kind == "slow_stream":
            self._trickle(json.dumps(completion((behaviour.then or ok("")).content, model, n)), behaviour.seconds)
        else:
            self._send(200, json.dumps(completion(behaviour.content, model, n)))

    def _send(self, code: int, text: str, headers: dict[str, str] | None = None) -> None:
        data = text.encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def _trickle(self, text: str, seconds: float) -> None:
        data = text.encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        chunk = 4
        pause = seconds / max(1, len(data) // chunk)
        for start in range(0, len(data), chunk):
            self.wfile.write(data[start : start + chunk])
            if self.fake._stopping.wait(pause):
                self.close_connection = True
                return

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's signature
        pass  # keep test output clean


def _handler_for(fake: FakeOpenAI) -> type[BaseHTTPRequestHandler]:
    return type("Handler", (_Handler,), {"fake": fake})


@pytest.fixture
def fake_llm() -> Iterator[FakeOpenAI]:
    """A started fake server (`.base_url` like http://127.0.0.1:PORT/v1), stopped after the test."""
    with FakeOpenAI() as fake:
        yield fake
