"""In-process measurements, each run by bench/run.py in its own process (for its peak RSS).

    python bench/workers.py warm ROWS.jsonl        per-answer grading latency, warm
    python bench/workers.py query N_VECTORS DIR    Chroma query latency at N key-point vectors

Each prints one JSON object on stdout. COACH_HOME comes from the environment.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import numpy as np


def warm(rows_path: Path, warmup: int = 3) -> dict[str, object]:
    """Grade each row as `coach grade --question --answer` does, in one warm process."""
    from coach.commands.grade import build_grader, grade_one

    rows = [json.loads(line) for line in rows_path.read_text().splitlines() if line.strip()]
    grader = build_grader(offline=True)
    seconds = []
    for index, row in enumerate(rows):
        start = time.perf_counter()
        grade_one(grader, row["question"], row["answer"])
        if index >= warmup:  # the first answers load the model and the deck
            seconds.append(time.perf_counter() - start)
    return {"latencies": seconds}


def query(vectors: int, folder: Path, queries: int = 300, dims: int = 384) -> dict[str, object]:
    """Fill a key-point collection, configured as the store's, then time nearest queries."""
    from coach.store import open_client

    client = open_client(str(folder), None, create=True)
    collection = client.get_or_create_collection(
        "key_points", metadata={"hnsw:space": "cosine"}, embedding_function=None
    )
    rng = np.random.default_rng(7)
    start = time.perf_counter()
    batch = 5000  # below Chroma's maximum batch size
    for offset in range(0, vectors, batch):
        count = min(batch, vectors - offset)
        matrix = _unit(rng.standard_normal((count, dims), dtype=np.float32))
        ids = [f"card-{i // 3}#{i % 3}" for i in range(offset, offset + count)]
        collection.add(
            ids=ids,
            embeddings=matrix,
            metadatas=[{"card_id": i.split("#")[0], "index": int(i[-1])} for i in ids],
            documents=[f"key point {i}" for i in ids],
        )
    fill = time.perf_counter() - start
    probes = _unit(rng.standard_normal((queries, dims), dtype=np.float32))
    seconds = []
    for probe in probes:
        start = time.perf_counter()
        collection.query(query_embeddings=[probe], n_results=5)
        seconds.append(time.perf_counter() - start)
    return {"latencies": seconds[10:], "fill_seconds": fill, "count": collection.count()}


def _unit(matrix: np.ndarray) -> np.ndarray:
    return matrix / np.linalg.norm(matrix, axis=1, keepdims=True)


def main(argv: list[str]) -> int:
    if argv[:1] == ["warm"]:
        result = warm(Path(argv[1]))
    elif argv[:1] == ["query"]:
        result = query(int(argv[1]), Path(argv[2]))
    else:
        print(__doc__, file=sys.stderr)
        return 2
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
