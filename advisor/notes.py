"""Titles and paths of the curated knowledge notes, for citing a note without a retrieval."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from .knowledge import parse_file
from .models import Citation


@lru_cache(maxsize=4)
def _catalogue(knowledge_dir: Path) -> dict[str, tuple[str, str]]:
    out: dict[str, tuple[str, str]] = {}
    for path in sorted(knowledge_dir.glob("*/*.md")):
        try:
            doc = parse_file(path)
        except (ValueError, OSError):  # a broken note is reported by ingest; here it is simply not citable
            continue
        out[doc.meta.id] = (doc.meta.title, f"{knowledge_dir.name}/{path.parent.name}/{path.name}")
    return out


class NoteCiter:
    """Numbers notes in the order they are first cited: `cite(note_id)` returns the `[n]` marker."""

    def __init__(self, knowledge_dir: Path):
        self.catalogue = _catalogue(Path(knowledge_dir))
        self.order: list[str] = []

    def cite(self, note: str) -> str:
        if note not in self.catalogue:
            return ""
        if note not in self.order:
            self.order.append(note)
        return f"[{self.order.index(note) + 1}]"

    def citations(self) -> list[Citation]:
        return [Citation(n=i, doc_id=note, title=self.catalogue[note][0], source=self.catalogue[note][1])
                for i, note in enumerate(self.order, 1)]
