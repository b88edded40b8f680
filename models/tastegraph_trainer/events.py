"""The trainer's protocol: one JSON event per line on stdout; logs go to stderr."""

from __future__ import annotations

import hashlib
import json
import os
import sys
import time
from pathlib import Path
from typing import IO

REQUEST_ID_ENV = "TASTEGRAPH_REQUEST_ID"


def request_id() -> str | None:
    """The id of the API request that queued this run (set by the worker), for events and log lines."""
    return os.environ.get(REQUEST_ID_ENV) or None


class EventWriter:
    def __init__(self, stream: IO[str] | None = None):
        self.stream = stream if stream is not None else sys.stdout
        self.request_id = request_id()

    def emit(self, event: str, **fields) -> dict:
        record = {"event": event, "ts": round(time.time(), 3), **fields}
        if self.request_id:
            record["request_id"] = self.request_id
        self.stream.write(json.dumps(record, separators=(",", ":"), allow_nan=False, default=_jsonable) + "\n")
        self.stream.flush()
        return record

    def artifact(self, path: Path, kind: str) -> dict:
        return self.emit(
            "artifact", path=str(path), name=path.name, kind=kind, bytes=path.stat().st_size, sha256=sha256_file(path)
        )


def _jsonable(x):
    try:
        import numpy as np

        if isinstance(x, np.generic):
            return x.item()
        if isinstance(x, np.ndarray):
            return x.tolist()
    except ImportError:  # pragma: no cover
        pass
    if isinstance(x, Path):
        return str(x)
    raise TypeError(f"not JSON serialisable: {type(x).__name__}")


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def log(msg: str) -> None:
    rid = request_id()
    tag = f" request_id={rid}" if rid else ""
    print(f"[trainer {time.strftime('%H:%M:%S')}{tag}] {msg}", file=sys.stderr, flush=True)
