"""The LLM client against a scripted OpenAI-compatible server: real socket, real client."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from openai_server import Recorded, Reply, ScriptedServer, Step, completion

from coach.config import Settings
from coach.llm import (
    RATE_LIMIT_BUDGET,
    Endpoint,
    RubricFailure,
    _retry_after,
    check_endpoint,
    request_rubric,
)
from coach.rubric import RubricInput, rubric_json_schema

KEY = "sk-test-Secret0123456789abcdef"
ITEM = RubricInput(
    question="What made ResNet revolutionary?",
    reference="Skip connections y = F(x) + x let the gradient flow back, so 100+ layers train.",
    key_points=("skip connections", "gradient flows back", "very deep networks train"),
    answer="Residual blocks add an identity shortcut so gradients reach early layers.",
    context=("ResNet won ImageNet 2015.",),
)

Serve = Callable[..., ScriptedServer]


@pytest.fixture
def serve() -> Iterator[Serve]:
    """Start a scripted server for this test; stopped at teardown."""
    servers: list[ScriptedServer] = []

    def start(*steps: Step, slow_seconds: float = 3.0) -> ScriptedServer:
        server = ScriptedServer(*steps, slow_seconds=slow_seconds).__enter__()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.__exit__(None, None, None)


def llm_settings(base_url: str, timeout: float = 1.0, key: str | None = KEY) -> Settings:
    return Settings(
        offline=False,
        llm_model="scripted-model",
        openai_base_url=base_url,
        openai_api_key=key,
        llm_timeout=timeout,
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def failure_of(settings: Settings) -> RubricFailure:
    with pytest.raises(RubricFailure) as caught:
        request_rubric(settings, ITEM)
    return caught.value


def assert_no_key(exc: BaseException) -> None:
    assert KEY not in str(exc) and KEY not in repr(exc)
    # Raised outside the `except`: no chained client error that could print the key.
    assert exc.__cause__ is None and exc.__context__ is None


def test_valid_rubric(serve: Serve) -> None:
    server = serve("all4")
    reply = request_rubric(llm_settings(server.base_url), ITEM)
    assert reply.grade == 4 and reply.completeness == 4
    assert reply.follow_up_question == "scripted follow_up_question"
    [request] = server.requests
    assert request.path == "/v1/chat/completions"
    assert request.headers["authorization"] == f"Bearer {KEY}"
    assert request.body["model"] == "scripted-model"
    assert request.body["response_format"] == {
        "type": "json_schema",
        "json_schema": rubric_json_schema(),
    }
    assert ITEM.answer in request.text and ITEM.reference in request.text


def test_no_key_still_works_for_local_servers(serve: Serve) -> None:
    server = serve("all4")
    assert request_rubric(llm_settings(server.base_url, key=None), ITEM).grade == 4
    assert server.requests[0].headers["authorization"] == "Bearer not-needed"


@pytest.mark.parametrize(
    ("steps", "code", "requests"),
    [
        (("500",), "server_error", 1),
        (("503",), "server_error", 1),
        (("401",), "auth", 1),
        (("404",), "not_found", 1),
        (("400",), "bad_request", 1),
        (("not_json",), "malformed", 1),
        (("empty_choices",), "empty", 1),
        (("refusal",), "refusal", 1),
        (("prose",), "malformed", 2),
        (("bad_schema",), "malformed", 2),
        (("truncated",), "malformed", 2),
        (("429",), "rate_limited", 3),
    ],
)
def test_faults_become_rubric_errors(
    serve: Serve, steps: tuple[str, ...], code: str, requests: int
) -> None:
    server = serve(*steps)
    exc = failure_of(llm_settings(server.base_url))
    assert exc.code == code
    assert len(server.requests) == requests
    assert "\n" not in str(exc) and len(str(exc)) < 250
    assert_no_key(exc)


def test_invalid_output_is_re_asked_once_with_the_problem(serve: Serve) -> None:
    server = serve("prose", "all4")
    assert request_rubric(llm_settings(server.base_url), ITEM).grade == 4
    first, second = server.requests
    messages = second.body["messages"]
    assert messages[:2] == first.body["messages"]
    assert messages[2]["role"] == "assistant" and "4 out of 5" in messages[2]["content"]
    assert "not JSON" in messages[3]["content"]


def test_connection_refused() -> None:
    exc = failure_of(llm_settings(f"http://127.0.0.1:{free_port()}/v1"))
    assert exc.code == "connection"
    assert_no_key(exc)


def test_slow_reply_times_out(serve: Serve) -> None:
    server = serve("slow", slow_seconds=3.0)
    started = time.monotonic()
    exc = failure_of(llm_settings(server.base_url, timeout=0.5))
    assert exc.code == "timeout" and "0.5 s" in str(exc)
    assert time.monotonic() - started < 2.0


def test_rate_limit_honours_retry_after_then_succeeds(serve: Serve) -> None:
    server = serve("429:0.3", "all4")
    started = time.monotonic()
    assert request_rubric(llm_settings(server.base_url), ITEM).grade == 4
    assert time.monotonic() - started >= 0.3
    assert len(server.requests) == 2


def test_rate_limit_past_the_budget_gives_up_at_once(serve: Serve) -> None:
    server = serve(f"429:{RATE_LIMIT_BUDGET + 20:g}")
    started = time.monotonic()
    exc = failure_of(llm_settings(server.base_url))
    assert exc.code == "rate_limited"
    assert len(server.requests) == 1 and time.monotonic() - started < 1.0


def test_retry_after_forms() -> None:
    assert _retry_after({"retry-after": "2"}) == 2.0
    assert _retry_after({"retry-after-ms": "250", "retry-after": "9"}) == 0.25
    assert _retry_after({"retry-after": "Wed, 21 Oct 2015 07:28:00 GMT"}) == 0.0
    assert _retry_after({"retry-after": "soon"}) == 1.0
    assert _retry_after({}) == 1.0


def test_key_echoed_by_the_server_is_scrubbed(serve: Serve) -> None:
    def echo_key(request: Recorded) -> Reply:
        body = {"error": {"message": f"bad request from {KEY} (Bearer {KEY})"}}
        return Reply(status=500, body=body)

    server = serve(echo_key)
    exc = failure_of(llm_settings(server.base_url))
    assert exc.code == "server_error" and "***" in str(exc)
    assert_no_key(exc)


def test_key_shaped_tokens_in_a_refusal_are_scrubbed(serve: Serve) -> None:
    server = serve(lambda r: Reply(body=completion(None, refusal=f"no ({KEY[:20]}...)")))
    exc = failure_of(llm_settings(server.base_url))
    assert exc.code == "refusal" and KEY[:12] not in str(exc)


def test_endpoint_host_hides_credentials_and_paths() -> None:
    endpoint = Endpoint("m", "https://user:pw@llm.example:8443/v1", None, 1.0)
    assert endpoint.host == "llm.example:8443"
    assert Endpoint("m", None, None, 1.0).host == "api.openai.com"


def test_check_endpoint(serve: Serve) -> None:
    server = serve("all4")
    check_endpoint(llm_settings(server.base_url))
    fmt = server.requests[0].body["response_format"]
    assert fmt["type"] == "json_schema" and fmt["json_schema"]["strict"] is True
    server.script("prose")
    with pytest.raises(RubricFailure) as caught:
        check_endpoint(llm_settings(server.base_url))
    assert caught.value.code == "malformed"


def test_standalone_server_answers_the_real_client(tmp_path: Path) -> None:
    port = free_port()
    script = Path(__file__).with_name("openai_server.py")
    proc = subprocess.Popen(
        [sys.executable, str(script), "--mode", "all4", "--port", str(port)],
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stderr is not None
        assert f"127.0.0.1:{port}" in proc.stderr.readline()
        reply = request_rubric(llm_settings(f"http://127.0.0.1:{port}/v1"), ITEM)
        assert reply.grade == 4
    finally:
        proc.terminate()
        proc.wait(timeout=5)


def test_library_modules_do_not_import_openai() -> None:
    code = (
        "import sys, coach.llm, coach.rubric, coach.llm_grading, coach.commands.doctor;"
        "print(json.dumps('openai' in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", "import json;" + code], capture_output=True, text=True, check=True
    )
    assert json.loads(out.stdout) is False
