"""Run one slow function in a daemon thread while the person reads and types."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class Background(Generic[T]):
    """`fn` runs once in a daemon thread; `result()` waits for it and re-raises its error.

    Daemon: a session that ends before loading finishes must not wait for the model.
    """

    def __init__(self, fn: Callable[[], T]) -> None:
        self._fn = fn
        self._done = threading.Event()
        self._value: T | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="coach-background", daemon=True)
        self._lock = threading.Lock()
        self._started = False

    def start(self) -> Background[T]:
        """Start the thread (once; later calls do nothing)."""
        with self._lock:
            if not self._started:
                self._started = True
                self._thread.start()
        return self

    def _run(self) -> None:
        try:
            self._value = self._fn()
        except BaseException as exc:  # handed to the caller of result(), not swallowed
            self._error = exc
        finally:
            self._done.set()

    @property
    def is_ready(self) -> bool:
        return self._done.is_set()

    def value_if_done(self) -> T | None:
        """The function's value once it has returned; None while it runs or if it raised."""
        return self._value if self._done.is_set() else None

    def result(self) -> T:
        """The function's value, starting and waiting for it if need be; its exception if it
        raised."""
        self.start()
        # wait() in short slices so that ^C reaches the main thread promptly.
        while not self._done.wait(0.1):
            pass
        if self._error is not None:
            raise self._error
        return self._value  # type: ignore[return-value]


def finished(value: T) -> Background[T]:
    """An already finished Background, for when the value is at hand."""
    done: Background[T] = Background(lambda: value)
    done._started = True
    done._run()
    return done
