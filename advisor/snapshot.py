"""A single-file copy of the index (texts, metadata, vectors) that loads without Chroma.

Ingest writes it after Chroma is updated and swaps it in with an atomic rename, so a reader sees
either the previous index or the new one, never a half-built one; and the CLI's cold path skips
importing chromadb entirely.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np


@dataclass
class Snapshot:
    ids: list[str]
    texts: list[str]
    metadatas: list[dict]
    vectors: np.ndarray


def save(path: Path, snap: Snapshot) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    vectors = np.asarray(snap.vectors, dtype=np.float32)
    # An empty index has no vector width to infer (reshape(0, -1) raises): store a 0x0 array.
    vectors = vectors.reshape(len(snap.ids), -1) if snap.ids else np.zeros((0, 0), dtype=np.float32)
    with open(tmp, "wb") as fh:
        np.savez(fh, vectors=vectors,
                 meta=np.frombuffer(json.dumps({"ids": snap.ids, "texts": snap.texts,
                                                "metadatas": snap.metadatas}).encode(), dtype=np.uint8))
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def load(path: Path) -> Snapshot:
    with np.load(path) as data:
        meta = json.loads(data["meta"].tobytes().decode())
        vectors = data["vectors"].astype(np.float32)
    return Snapshot(meta["ids"], meta["texts"], meta["metadatas"], vectors)


def version(path: Path) -> float | None:
    """The snapshot's modification time, or None when there is none (cheap: one stat)."""
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return None
