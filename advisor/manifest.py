"""The ingest manifest: each ingested file's stat and chunk ids, so an unchanged file is not parsed again."""

from __future__ import annotations

import hashlib
import json
import os
import time
from pathlib import Path

from pydantic import BaseModel

from . import knowledge

NAME = "ingest-manifest.json"
FORMAT = 1
# A file changed within this long before it was read may have changed again in the same timestamp tick
# (coarse kernel clocks; 2 s on FAT and some network filesystems) with its stat unchanged. Such a file is
# not recorded, so the next ingest reads it again (git's "racily clean" rule).
SETTLE_NS = 2_000_000_000


class Stat(BaseModel):
    """What identifies one version of a file without reading it (ctime and inode catch a copy or rsync
    that kept the old mtime and size)."""

    size: int
    mtime_ns: int
    ctime_ns: int
    ino: int
    at_ns: int = 0  # when the stat was taken: not compared

    def same(self, other: Stat) -> bool:
        return (self.size, self.mtime_ns, self.ctime_ns, self.ino) == (
            other.size, other.mtime_ns, other.ctime_ns, other.ino)

    @property
    def settled(self) -> bool:
        return max(self.mtime_ns, self.ctime_ns) < self.at_ns - SETTLE_NS


class Entry(BaseModel):
    """One ingested file: its stat when read, how it was cited, its doc id and chunk ids."""

    path: str  # resolved: the chunks' `source` and the record manager's group
    stat: Stat
    display: str  # the chunks' `file`: depends on the root the file was ingested under
    doc_id: str
    ids: list[str]


class Manifest(BaseModel):
    format: int = FORMAT
    chunker: str  # chunker_digest() when written: anything else and every entry is void
    files: dict[str, Entry] = {}


class Reuse:
    """One ingest's use of the manifest: which files it need not parse, and what it records after."""

    def __init__(self, data_dir: Path, sources: dict[Path, str], recorded: dict[str, set[str]]):
        self.path = data_dir / NAME
        self.digest = chunker_digest()
        self.old = read(self.path, self.digest)
        self.sources, self.recorded = sources, recorded  # file -> resolved path; resolved path -> its keys
        self.stats: dict[Path, Stat | None] = {}

    def known(self, f: Path, display: str) -> tuple[str, list[str]] | None:
        """`f`'s doc id and chunk ids when it is as recorded; None: parse it. Stat before any read, so a
        write during the parse shows as a changed stat next time."""
        src = self.sources[f]
        st = self.stats[f] = stat_of(f)
        e = self.old.get(src)
        if e is None or st is None or not st.same(e.stat) or e.display != display:
            return None
        # Records or Chroma deleted, rebuilt or cut short by a killed ingest since: parse the file, so its
        # missing chunks are embedded again.
        if not self.recorded.get(src, set()).issuperset(e.ids):
            return None
        return e.doc_id, e.ids

    def save(self, loaded: knowledge.LoadReport, ids_of: dict[Path, list[str]]) -> None:
        """Record the files of an ingest that succeeded. Entries of files outside its roots stay (another
        ingest's); a file that failed, or changed too recently to trust its stat, is left out."""
        roots = [str(r) for r in loaded.roots]
        entries = {src: e for src, e in self.old.items() if not any(knowledge.within(src, r) for r in roots)}
        for d in loaded.docs:
            src, st = self.sources[d.path], self.stats.get(d.path)
            if d.known_ids is not None:
                entries[src] = self.old[src]
            elif st is not None and st.settled:
                entries[src] = Entry(path=src, stat=st, display=d.display_path, doc_id=d.meta.id,
                                     ids=ids_of[d.path])
        if entries != self.old:
            write(self.path, self.digest, entries)


def chunker_digest() -> str:
    """A digest of everything besides the file that a chunk's id depends on: the chunker's settings and
    version, and the libraries that parse, split and hash."""
    from importlib.metadata import PackageNotFoundError, version

    parts: dict[str, object] = {"size": knowledge.CHUNK_SIZE, "overlap": knowledge.CHUNK_OVERLAP,
                                "chunker": knowledge.CHUNKER_VERSION}
    for dist in ("langchain-core", "langchain-text-splitters", "beautifulsoup4", "pypdf", "pyyaml"):
        try:
            parts[dist] = version(dist)
        except PackageNotFoundError:
            parts[dist] = None
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


def stat_of(path: Path) -> Stat | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return Stat(size=st.st_size, mtime_ns=st.st_mtime_ns, ctime_ns=st.st_ctime_ns, ino=st.st_ino,
                at_ns=time.time_ns())


def read(path: Path, digest: str) -> dict[str, Entry]:
    """The entries of the manifest at `path`, by resolved file path; none when it is missing, unreadable,
    corrupt or written for another chunker (the ingest then parses every file, as without one)."""
    try:
        got = Manifest.model_validate_json(path.read_bytes())
    except (OSError, ValueError):  # pydantic's ValidationError is a ValueError
        return {}
    if got.format != FORMAT or got.chunker != digest:
        return {}
    return got.files


def write(path: Path, digest: str, entries: dict[str, Entry]) -> None:
    """Replace the manifest atomically (a reader sees the old one or the new one, never half of one).
    A failure is ignored: the manifest only saves time, and the next ingest parses what it lacks."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_text(Manifest(chunker=digest, files=entries).model_dump_json())
        os.replace(tmp, path)
    except OSError:
        tmp.unlink(missing_ok=True)
