"""A single-file copy of the index (texts, metadata, vectors) that loads without Chroma.

Ingest writes it after Chroma is updated and swaps it in with an atomic rename, so a reader sees
either the previous index or the new one, never a half-built one; and the CLI's cold path skips
importing chromadb entirely. A process killed mid-write leaves only a temporary file behind (removed
by the next save); the published snapshot is untouched.
"""

from __future__ import annotations

import json
import os
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .errors import IndexDamagedError, IndexNotReadyError


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
    try:
        with open(tmp, "wb") as fh:
            np.savez(fh, vectors=vectors,
                     meta=np.frombuffer(json.dumps({"ids": snap.ids, "texts": snap.texts,
                                                    "metadatas": snap.metadatas}).encode(), dtype=np.uint8))
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _fsync_dir(path.parent)  # the rename itself survives a crash, not only the file's bytes
    _remove_stale_temps(path)


def load(path: Path, vectors: bool | Callable[[int], bool] = True) -> Snapshot:
    """Read a snapshot; an unreadable or inconsistent file raises IndexDamagedError naming it.

    `vectors`: whether to read the vectors, or a function of the chunk count that says whether (a
    reader whose dense search is done by Chroma skips them: 768 MB at 500k chunks). Skipped, they are
    an (n, 0) array.
    """
    try:
        with np.load(path, allow_pickle=False) as data:
            meta = json.loads(data["meta"].tobytes().decode())
            n = len(meta["ids"]) if isinstance(meta.get("ids"), list) else -1
            if vectors(n) if callable(vectors) else vectors:
                vecs = data["vectors"].astype(np.float32, copy=False)  # no second copy of them
            else:
                vecs = np.zeros((max(n, 0), 0), dtype=np.float32)
        snap = Snapshot(meta["ids"], meta["texts"], meta["metadatas"], vecs)
    except FileNotFoundError as exc:
        raise IndexNotReadyError(f"there is no index snapshot at {path}",
                                 "run `advisor ingest` to build the index") from exc
    except (OSError, EOFError, ValueError, KeyError, TypeError, zipfile.BadZipFile) as exc:
        raise IndexDamagedError(f"the index snapshot {path} is unreadable ({type(exc).__name__}: {exc})") from exc
    n = len(snap.ids) if isinstance(snap.ids, list) else -1
    if (n < 0 or not isinstance(snap.texts, list) or not isinstance(snap.metadatas, list)
            or len(snap.texts) != n or len(snap.metadatas) != n or snap.vectors.ndim != 2
            or (n and snap.vectors.shape[0] != n)):
        raise IndexDamagedError(f"the index snapshot {path} is inconsistent (ids, texts, metadata and "
                                f"vectors do not line up)")
    return snap


def version(path: Path) -> float | None:
    """The snapshot's modification time, or None when there is none (cheap: one stat)."""
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return None


def _fsync_dir(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _remove_stale_temps(path: Path) -> None:
    """Delete temporary files left by saves whose process died (killed mid-ingest)."""
    for tmp in path.parent.glob(f".{path.name}.*.tmp"):
        pid = tmp.name[len(path.name) + 2:-len(".tmp")]
        if pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid)):
            tmp.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists but belongs to someone else
        return True
    return True
