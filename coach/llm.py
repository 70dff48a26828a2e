"""Structured chat completions through any OpenAI-compatible endpoint (OpenAI, Ollama,
llama.cpp server, vLLM), with every failure turned into one short RubricError.

The API key is never put in a message: errors are rebuilt from status codes and scrubbed
server text, and raised outside the `except` block so no exception chain carries the
client's own error object.
"""

from __future__ import annotations

import email.utils
import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse

from pydantic import SecretStr, ValidationError

from coach.errors import RubricError
from coach.rubric import RubricInput, RubricReply, parse_rubric_reply, rubric_json_schema
from coach.rubric import rubric_messages as build_messages

if TYPE_CHECKING:
    from coach.config import Settings

# 429s: a couple of retries within a short total wait; a grade is interactive, and a
# longer Retry-After means the quota is gone for now, so we fall back to offline instead.
RATE_LIMIT_RETRIES = 2
RATE_LIMIT_BUDGET = 10.0
_DEFAULT_BACKOFF = 1.0
# Local servers (Ollama, llama.cpp) ignore the key, but the client insists on one.
_PLACEHOLDER_KEY = "not-needed"
_TOKEN = re.compile(r"\b(?:sk|rk|pk|key)-[\w*.\-]{4,}|\bBearer\s+\S+", re.IGNORECASE)
_MESSAGE_CHARS = 160


class RubricFailure(RubricError):
    """A RubricError with a short machine code (`timeout`, `auth`, ...) for the flags."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Endpoint:
    """Where and how to call the model."""

    model: str
    base_url: str | None
    api_key: SecretStr | None
    timeout: float

    @classmethod
    def from_settings(cls, settings: Settings) -> Endpoint:
        return cls(
            model=settings.llm_model or "",
            base_url=settings.openai_base_url,
            api_key=settings.openai_api_key,
            timeout=settings.llm_timeout,
        )

    @property
    def host(self) -> str:
        """The endpoint for messages: host and port only, never credentials or paths."""
        if not self.base_url:
            return "api.openai.com"
        url = urlparse(self.base_url)
        if not url.hostname:
            return "?"
        return f"{url.hostname}:{url.port}" if url.port else url.hostname

    def scrub(self, text: str) -> str:
        """`text` without the key or anything shaped like a token, cut to one short line."""
        secret = self.api_key.get_secret_value() if self.api_key else ""
        if len(secret) >= 4:
            text = text.replace(secret, "***")
        text = _TOKEN.sub("***", text)
        line = " ".join(text.split())
        return line if len(line) <= _MESSAGE_CHARS else line[: _MESSAGE_CHARS - 1] + "…"


def complete_json(
    endpoint: Endpoint,
    messages: list[dict[str, str]],
    json_schema: dict[str, object],
    sleep: Callable[[float], None] = time.sleep,
) -> str:
    """One chat completion constrained to `json_schema`; returns the reply's text.

    Raises:
        RubricFailure: on any transport, HTTP or reply-shape fault.
    """
    # Imported here: `import openai` costs ~1.6 s and only LLM grading needs it.
    # No `temperature`: reasoning models reject any value but their default.
    import openai

    client = _client(endpoint)
    waited = 0.0
    for attempt in range(RATE_LIMIT_RETRIES + 1):
        failure: RubricFailure | None = None
        wait: float | None = None
        try:
            # Plain dicts, not the client's TypedDicts: the same messages go to any server.
            completion = client.chat.completions.create(  # type: ignore[call-overload]
                model=endpoint.model,
                messages=messages,
                response_format={"type": "json_schema", "json_schema": json_schema},
            )
        except openai.RateLimitError as exc:
            wait = _retry_after(exc.response.headers)
            failure = _failure(endpoint, exc)
        except openai.APIError as exc:
            failure = _failure(endpoint, exc)
        if failure is None:
            return _content(endpoint, completion)
        if wait is None or attempt == RATE_LIMIT_RETRIES or waited + wait > RATE_LIMIT_BUDGET:
            raise failure
        sleep(wait)
        waited += wait
    raise AssertionError("unreachable")  # pragma: no cover


def _client(endpoint: Endpoint) -> Any:
    """An OpenAI client for `endpoint` that leaves retrying to `complete_json`."""
    import openai

    return openai.OpenAI(
        api_key=endpoint.api_key.get_secret_value() if endpoint.api_key else _PLACEHOLDER_KEY,
        base_url=endpoint.base_url,
        timeout=endpoint.timeout,
        max_retries=0,
    )


def _retry_after(headers: Any) -> float:
    """Seconds the server asks us to wait (Retry-After-Ms, Retry-After: seconds or a date)."""
    try:
        if headers.get("retry-after-ms"):
            return max(0.0, float(headers["retry-after-ms"]) / 1000)
        value = headers.get("retry-after")
        if value:
            try:
                return max(0.0, float(value))
            except ValueError:
                moment = email.utils.parsedate_to_datetime(value)
                return max(0.0, moment.timestamp() - time.time())
    except (TypeError, ValueError):
        pass
    return _DEFAULT_BACKOFF


def _failure(endpoint: Endpoint, exc: Exception) -> RubricFailure:
    import openai

    llm = f"the LLM at {endpoint.host}"
    if isinstance(exc, openai.APITimeoutError):
        return RubricFailure("timeout", f"{llm} did not answer within {endpoint.timeout:g} s")
    if isinstance(exc, openai.APIConnectionError):
        return RubricFailure("connection", f"cannot reach {llm}")
    if not isinstance(exc, openai.APIStatusError):
        return RubricFailure("malformed", f"{llm} sent a reply we cannot read")
    status = exc.status_code
    if status in (401, 403):
        return RubricFailure("auth", f"{llm} rejected the API key ({status})")
    detail = endpoint.scrub(_server_message(exc))
    if status == 429:
        return RubricFailure("rate_limited", f"{llm} is rate limited (429): {detail}")
    if status >= 500:
        return RubricFailure("server_error", f"{llm} failed ({status}): {detail}")
    if status == 404:
        return RubricFailure("not_found", f"{llm} has no model {endpoint.model!r}: {detail}")
    return RubricFailure("bad_request", f"{llm} refused the request ({status}): {detail}")


def _server_message(exc: Any) -> str:
    body = getattr(exc, "body", None)
    if isinstance(body, dict):
        inner = body.get("error", body)
        message = inner.get("message") if isinstance(inner, dict) else inner
        if message:
            return str(message)
    return str(getattr(exc, "message", "")) or type(exc).__name__


def _content(endpoint: Endpoint, completion: Any) -> str:
    """The reply text of a parsed completion, or the fault that stands in its way."""
    choices = getattr(completion, "choices", None)
    if isinstance(completion, str | bytes):
        raise RubricFailure("malformed", f"the LLM at {endpoint.host} did not answer in JSON")
    if not choices:
        raise RubricFailure("empty", f"the LLM at {endpoint.host} returned no choices")
    choice = choices[0]
    message = getattr(choice, "message", None)
    refusal = getattr(message, "refusal", None)
    if refusal or getattr(choice, "finish_reason", None) == "content_filter":
        reason = endpoint.scrub(str(refusal or "content filter"))
        raise RubricFailure("refusal", f"the LLM refused to grade: {reason}")
    content = getattr(message, "content", None)
    if not isinstance(content, str) or not content.strip():
        raise RubricFailure("empty", f"the LLM at {endpoint.host} returned an empty reply")
    return content


def request_rubric(settings: Settings, item: RubricInput) -> RubricReply:
    """Grade one answer with the LLM rubric; an off-schema reply is re-asked once.

    Raises:
        RubricFailure: the endpoint failed, refused, or twice replied off-schema.
    """
    endpoint = Endpoint.from_settings(settings)
    messages = build_messages(item)
    schema = rubric_json_schema()
    content = complete_json(endpoint, messages, schema)
    reply, problem = _parse(content)
    if reply is not None:
        return reply
    # Instructor-style re-ask: show the model its reply and what was wrong with it.
    fix = f"That reply is not valid: {problem}. Reply again with one JSON object for the schema."
    messages = [
        *messages,
        {"role": "assistant", "content": content[:2000]},
        {"role": "user", "content": fix},
    ]
    reply, problem = _parse(complete_json(endpoint, messages, schema))
    if reply is not None:
        return reply
    detail = endpoint.scrub(problem)
    raise RubricFailure(
        "malformed", f"the LLM at {endpoint.host} replied off-schema twice ({detail})"
    )


def _parse(content: str) -> tuple[RubricReply | None, str]:
    """The reply, or None and what is wrong with it in a few words."""
    try:
        return parse_rubric_reply(content), ""
    except ValidationError as exc:
        first = exc.errors()[0]
        if first["type"] == "json_invalid":
            return None, "it is not JSON"
        where = ".".join(str(p) for p in first["loc"]) or "reply"
        return None, f"{where}: {first['msg']}"


def check_endpoint(settings: Settings) -> None:
    """Send a tiny strict-schema request, as `coach doctor` does.

    Raises:
        RubricFailure: the endpoint is unreachable or does not return schema-shaped JSON.
    """
    endpoint = Endpoint.from_settings(settings)
    schema = {
        "name": "ping",
        "strict": True,
        "schema": {
            "type": "object",
            "properties": {"ok": {"type": "boolean"}},
            "required": ["ok"],
            "additionalProperties": False,
        },
    }
    messages = [{"role": "user", "content": 'Reply with the JSON object {"ok": true}.'}]
    content = complete_json(endpoint, messages, schema)
    try:
        reply = json.loads(content)
    except ValueError:
        reply = None
    if not isinstance(reply, dict) or not isinstance(reply.get("ok"), bool):
        raise RubricFailure(
            "malformed", f"the LLM at {endpoint.host} ignored the JSON schema (json_schema output)"
        )
