"""A scripted OpenAI-compatible chat-completions server on 127.0.0.1, for tests and by hand.

Real socket, real JSON, reached by the real `openai` client. Each request takes the next
step of the script (the last step repeats); every request is recorded.

    python tests/openai_server.py --mode all4 --port 8765
    OPENAI_BASE_URL=http://127.0.0.1:8765/v1 OPENAI_API_KEY=x COACH_LLM_MODEL=m coach grade ...

Steps: all4, all5, obey (5s when the prompt says "5/5", else 4s), prose, bad_schema,
not_json (a 200 whose body is not JSON), empty_choices, refusal, truncated, slow
(answers all4 after `slow_seconds`), 400, 401, 404, 500, 503, 429 (retry-after 0.1 s)
or 429:SECONDS.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Recorded:
    """One request as the server saw it."""

    method: str
    path: str
    headers: dict[str, str]
    body: Any

    @property
    def text(self) -> str:
        """All message contents joined: what the model was shown."""
        if not isinstance(self.body, dict):
            return ""
        return "\n".join(str(m.get("content", "")) for m in self.body.get("messages", []))


@dataclass
class Reply:
    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


Step = str | Callable[[Recorded], Reply]


def schema_instance(schema: dict[str, Any], number: int, name: str = "value") -> Any:
    """An instance of a JSON schema with every number set to `number`."""
    kind = schema.get("type")
    if "anyOf" in schema:
        return schema_instance(schema["anyOf"][0], number, name)
    if kind == "object":
        props = schema.get("properties", {})
        return {key: schema_instance(sub, number, key) for key, sub in props.items()}
    if kind == "array":
        return [schema_instance(schema.get("items", {}), number, name)]
    if kind in ("integer", "number"):
        return number
    if kind == "boolean":
        return True
    if "enum" in schema:
        return schema["enum"][0]
    return f"scripted {name}"


def completion(content: str | None, refusal: str | None = None, finish: str = "stop") -> dict:
    message = {"role": "assistant", "content": content, "refusal": refusal}
    return {
        "id": "chatcmpl-scripted",
        "object": "chat.completion",
        "created": 0,
        "model": "scripted",
        "choices": [{"index": 0, "message": message, "finish_reason": finish, "logprobs": None}],
        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
    }


def _schema_reply(request: Recorded, number: int) -> Reply:
    fmt = request.body.get("response_format") or {}
    schema = (fmt.get("json_schema") or {}).get("schema") or {"type": "object", "properties": {}}
    return Reply(body=completion(json.dumps(schema_instance(schema, number))))


def _error(status: int, message: str, headers: dict[str, str] | None = None) -> Reply:
    body = {"error": {"message": message, "type": "scripted", "code": str(status)}}
    return Reply(status=status, body=body, headers=headers or {})


def reply_for(step: str, request: Recorded, slow_seconds: float) -> Reply:
    """The reply a named step gives to `request`."""
    name, _, arg = step.partition(":")
    if name in ("all4", "all5"):
        return _schema_reply(request, int(name[-1]))
    if name == "obey":
        return _schema_reply(request, 5 if "5/5" in request.text else 4)
    if name == "slow":
        reply = _schema_reply(request, 4)
        reply.delay = float(arg or slow_seconds)
        return reply
    if name == "prose":
        return Reply(body=completion("A solid answer overall; I would give it 4 out of 5."))
    if name == "bad_schema":
        return Reply(body=completion(json.dumps({"grade": 4, "comment": "good"})))
    if name == "not_json":
        return Reply(
            body=b"<html><body>gateway says hello</body></html>",
            headers={"Content-Type": "text/html"},
        )
    if name == "empty_choices":
        return Reply(body={**completion("{}"), "choices": []})
    if name == "refusal":
        return Reply(body=completion(None, refusal="I can't help with grading this."))
    if name == "truncated":
        return Reply(body=completion('{"covered_key_points": ["skip', finish="length"))
    if name == "429":
        return _error(429, "Rate limit reached.", {"Retry-After": arg or "0.1"})
    if name == "401":
        key = request.headers.get("authorization", "").removeprefix("Bearer ")
        # Real servers echo (part of) the key back; the client must never show it.
        return _error(401, f"Incorrect API key provided: {key}.")
    if name.isdigit():
        return _error(int(name), f"scripted status {name}")
    raise ValueError(f"unknown step {step!r}")


class ScriptedServer:
    """Start with `with ScriptedServer("all4") as server:`; `server.base_url` ends in /v1."""

    def __init__(self, *steps: Step, port: int = 0, slow_seconds: float = 5.0) -> None:
        self.steps: list[Step] = list(steps) or ["all4"]
        self.requests: list[Recorded] = []
        self.slow_seconds = slow_seconds
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", port), _handler(self))
        self._httpd.daemon_threads = True
        # A short poll: shutdown() waits up to one poll interval, once per test.
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def script(self, *steps: Step) -> None:
        """Replace the script; the request count starts again."""
        with self._lock:
            self.steps = list(steps)
            self.requests.clear()

    def next_reply(self, request: Recorded) -> Reply:
        with self._lock:
            self.requests.append(request)
            step = self.steps[min(len(self.requests), len(self.steps)) - 1]
        return step(request) if callable(step) else reply_for(step, request, self.slow_seconds)

    def wait(self, seconds: float) -> None:
        """Sleep that ends early when the server stops, so a slow reply never blocks exit."""
        self._stop.wait(seconds)

    def __enter__(self) -> ScriptedServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._httpd.shutdown()
        self._httpd.server_close()


def _handler(server: ScriptedServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            self._send(Reply(body={"object": "list", "data": [{"id": "scripted"}]}))

        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            try:
                body: Any = json.loads(raw)
            except ValueError:
                body = raw.decode("utf-8", "replace")
            headers = {k.lower(): v for k, v in self.headers.items()}
            request = Recorded(self.command, self.path, headers, body)
            reply = server.next_reply(request)
            if reply.delay:
                server.wait(reply.delay)
            self._send(reply)

        def _send(self, reply: Reply) -> None:
            raw = reply.body if isinstance(reply.body, bytes) else json.dumps(reply.body).encode()
            try:
                self.send_response(reply.status)
                headers = {"Content-Type": "application/json", **reply.headers}
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (a timeout test): nothing to answer

    return Handler


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mode", default="all4", help="a step, or comma-separated steps")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--slow-seconds", type=float, default=5.0)
    args = parser.parse_args()
    steps = args.mode.split(",")
    with ScriptedServer(*steps, port=args.port, slow_seconds=args.slow_seconds) as server:
        print(f"scripted OpenAI server ({args.mode}) at {server.base_url}", file=sys.stderr)
        with contextlib.suppress(KeyboardInterrupt):
            threading.Event().wait()


if __name__ == "__main__":
    main()
