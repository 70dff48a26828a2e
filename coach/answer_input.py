"""Where answers come from: typed in a terminal, or blocks of lines on a pipe.

Replaceable on purpose: speech-to-text (offline whisper) is on the roadmap, and only has to
return a `Reply` the same way.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, Protocol, TextIO

from coach.textsafety import strip_control

if TYPE_CHECKING:
    from prompt_toolkit import PromptSession
    from prompt_toolkit.input import Input
    from prompt_toolkit.key_binding import KeyBindings
    from prompt_toolkit.output import Output

ReplyKind = Literal["answer", "skip", "hint", "reveal", "quit"]
COMMANDS: dict[str, ReplyKind] = {
    "/skip": "skip",
    "/hint": "hint",
    "/reveal": "reveal",
    "/quit": "quit",
}


@dataclass(frozen=True)
class Reply:
    """An answer, or one of the commands; `text` holds the answer."""

    kind: ReplyKind
    text: str = ""


def parse_reply(text: str) -> Reply:
    """A command when the whole reply is one; otherwise an answer, control characters removed."""
    kind = COMMANDS.get(text.strip().lower())
    if kind is not None:
        return Reply(kind)
    return Reply("answer", strip_control(text).strip())


class AnswerSource(Protocol):
    """Anything that can hear an answer."""

    def read_reply(self) -> Reply:
        """The next reply; Reply("quit") at the end of input, Ctrl-C or Ctrl-D."""
        ...

    def wait_for_next(self) -> bool:
        """Pause after feedback; False when the person wants to stop."""
        ...


class StreamInput:
    """Answers as blocks of lines separated by a blank line, so a session can be scripted."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def read_reply(self) -> Reply:
        lines: list[str] = []
        for line in self.stream:
            if line.strip():
                lines.append(line.rstrip("\n"))
            elif lines:
                break
        if not lines:
            return Reply("quit")
        return parse_reply("\n".join(lines))

    def wait_for_next(self) -> bool:
        # Blank lines only separate answers; there is nobody to wait for.
        return True


def submit_on_empty_line() -> KeyBindings:
    """Enter adds a line; Enter on an empty line (or after a lone command) submits."""
    from prompt_toolkit.key_binding import KeyBindings
    from prompt_toolkit.key_binding.key_processor import KeyPressEvent

    bindings = KeyBindings()

    @bindings.add("enter")
    def _enter(event: KeyPressEvent) -> None:
        buffer = event.current_buffer
        text = buffer.text
        if text.strip().lower() in COMMANDS:
            buffer.validate_and_handle()
        elif not text.strip():
            return  # nothing typed yet: an empty answer is never submitted by accident
        elif not buffer.document.current_line.strip():
            buffer.validate_and_handle()
        else:
            buffer.insert_text("\n")

    return bindings


class TerminalInput:
    """Multi-line typing with prompt_toolkit (history, editing, paste).

    `terminal_in`/`terminal_out` default to the real terminal; tests pass pipes.
    """

    def __init__(
        self, terminal_in: Input | None = None, terminal_out: Output | None = None
    ) -> None:
        self._io = {"input": terminal_in, "output": terminal_out}
        self._session: PromptSession[str] | None = None

    def _prompt(self) -> PromptSession[str]:
        if self._session is None:
            from prompt_toolkit import PromptSession

            self._session = PromptSession(
                multiline=True,
                key_bindings=submit_on_empty_line(),
                prompt_continuation="  ",
                **self._io,  # type: ignore[arg-type]
            )
        return self._session

    def read_reply(self) -> Reply:
        try:
            text = self._prompt().prompt("> ")
        except (EOFError, KeyboardInterrupt):
            return Reply("quit")
        return parse_reply(text)

    def wait_for_next(self) -> bool:
        from prompt_toolkit import PromptSession

        pause: PromptSession[str] = PromptSession(**self._io)  # type: ignore[arg-type]
        try:
            text = pause.prompt("Enter for the next question, /quit to stop: ")
        except (EOFError, KeyboardInterrupt):
            return False
        return text.strip().lower() not in ("/quit", "q", "quit")


def answer_source(stdin: TextIO | None = None, stdout: TextIO | None = None) -> AnswerSource:
    """The terminal when both ends are one; otherwise blocks of lines from stdin."""
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    if stdin.isatty() and stdout.isatty():
        return TerminalInput()
    return StreamInput(stdin)
