"""Cold start: what a fresh process imports decides how long a terminal waits.

No timing asserts here (they flake on shared machines; bench/run.py measures speed):
these tests pin the cause instead, the heavy modules a path must not load.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from coach.embedding import Embedder

HEAVY = ("sentence_transformers", "transformers", "torch", "chromadb", "openai")
# Embedding and the store may load chromadb; never the 5-10 s of torch.
TORCH = ("sentence_transformers", "transformers", "torch")


def loaded_after(code: str) -> list[str]:
    """The HEAVY modules a fresh interpreter has imported after running `code`."""
    probe = f"{code}\nimport json, sys\nprint(json.dumps(sorted(m for m in sys.modules)))"
    run = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=120
    )
    modules = json.loads(run.stdout.strip().splitlines()[-1])
    return [m for m in HEAVY if m in modules]


def test_importing_the_cli_loads_nothing_heavy() -> None:
    assert loaded_after("import coach.cli") == []


def test_help_loads_nothing_heavy() -> None:
    code = (
        "import contextlib, io, sys\n"
        "sys.argv = ['coach', '--help']\n"
        "from coach.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):\n"
        "    main()\n"
    )
    assert loaded_after(code) == []


def test_embedding_and_querying_never_load_torch(prepared_home: Path, embedder: Embedder) -> None:
    embedder.embed(["make sure the session's export exists"])
    cache = embedder.model_file.parent.parent  # type: ignore[attr-defined]
    code = (
        "from pathlib import Path\n"
        "from coach.embedding import load_embedder\n"
        "from coach.store import open_store\n"
        f"embedder = load_embedder(None, cache_dir=Path({str(cache)!r}))\n"
        "vector = embedder.embed(['what is a CNN?'])[0]\n"
        f"store = open_store({str(prepared_home / 'store')!r}, 'all-MiniLM-L6-v2')\n"
        "assert store.nearest_cards(vector, 3)\n"
    )
    assert [m for m in loaded_after(code) if m in TORCH] == []
