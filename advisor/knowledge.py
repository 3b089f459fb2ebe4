"""Load knowledge files (.md, .txt, .html, .pdf) and split them into cited chunks."""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import yaml
from langchain_core.documents import Document
from langchain_text_splitters import MarkdownHeaderTextSplitter, RecursiveCharacterTextSplitter
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from .errors import InputError

SUFFIXES = {".md", ".markdown", ".txt", ".html", ".htm", ".pdf"}
CHUNK_SIZE = 900
CHUNK_OVERLAP = 120
# Bump on any change to parsing or chunking that changes chunks for the same file: the ingest manifest
# (advisor/manifest.py) then stops reusing the chunk ids it recorded and every file is parsed again.
CHUNKER_VERSION = 1
_FRONT = re.compile(r"\A---\s*\n(.*?)\n---\s*(?:\n|\Z)", re.DOTALL)


class NoteMeta(BaseModel):
    """Front matter every knowledge note carries."""

    model_config = ConfigDict(extra="allow")

    id: str
    title: str
    kind: Literal["guidance", "vendor", "document"] = "document"
    components: list[str] = []
    source: str = ""
    updated: dt.date | str | None = None

    @field_validator("id")
    @classmethod
    def _id_shape(cls, v: str) -> str:
        if not re.fullmatch(r"[a-z0-9][a-z0-9._-]*", v):
            raise ValueError("must be lower-case letters, digits, '-', '_' or '.'")
        return v


@dataclass
class LoadedDoc:
    """One source file, parsed: metadata plus (section, text) pairs."""

    path: Path
    meta: NoteMeta
    sections: list[tuple[str, str]]
    display_path: str = ""
    known_ids: list[str] | None = None  # chunk ids from the ingest manifest: the file was not parsed


@dataclass
class LoadReport:
    """What loading found: documents, and files that failed with the reason."""

    docs: list[LoadedDoc] = field(default_factory=list)
    problems: list[tuple[Path, str]] = field(default_factory=list)
    roots: list[Path] = field(default_factory=list)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "doc"


def _parse_markdown(path: Path, text: str) -> tuple[NoteMeta, list[tuple[str, str]]]:
    match = _FRONT.match(text)
    if match:
        try:
            raw = yaml.safe_load(match.group(1)) or {}
        except yaml.YAMLError as exc:
            raise ValueError(f"front matter is not valid YAML: {exc}") from exc
        if not isinstance(raw, dict):
            raise ValueError("front matter must be a mapping of key: value")
        try:
            meta = NoteMeta.model_validate(raw)
        except ValidationError as exc:
            fields = "; ".join(f"field '{'.'.join(map(str, e['loc']))}': {e['msg']}" for e in exc.errors())
            raise ValueError(f"bad front matter: {fields}") from exc
        body = text[match.end():]
    else:
        body = text
        heading = re.search(r"^#\s+(.+)$", body, re.MULTILINE)
        meta = NoteMeta(id=_slug(path.stem), title=heading.group(1).strip() if heading else path.stem)
    splitter = MarkdownHeaderTextSplitter([("#", "h1"), ("##", "h2"), ("###", "h3")], strip_headers=True)
    sections = []
    for part in splitter.split_text(body):
        heading = part.metadata.get("h3") or part.metadata.get("h2") or part.metadata.get("h1") or ""
        if part.page_content.strip():
            sections.append((heading, part.page_content.strip()))
    return meta, sections


def _parse_html(path: Path, text: str) -> tuple[NoteMeta, list[tuple[str, str]]]:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(text, "html.parser")
    for tag in soup(["script", "style", "nav", "footer"]):
        tag.decompose()
    title = (soup.title.string or "").strip() if soup.title and soup.title.string else path.stem
    sections: list[tuple[str, str]] = []
    heading, buf = "", []
    body = soup.body or soup
    for el in body.find_all(["h1", "h2", "h3", "p", "li", "pre", "td"]):
        if el.name in {"h1", "h2", "h3"}:
            if buf:
                sections.append((heading, "\n".join(buf)))
            heading, buf = el.get_text(" ", strip=True), []
        else:
            t = el.get_text(" ", strip=True)
            if t:
                buf.append(t)
    if buf:
        sections.append((heading, "\n".join(buf)))
    return NoteMeta(id=_slug(path.stem), title=title), sections


def _parse_pdf(path: Path) -> tuple[NoteMeta, list[tuple[str, str]]]:
    from pypdf import PdfReader

    reader = PdfReader(str(path))
    sections = []
    for i, page in enumerate(reader.pages, start=1):
        text = (page.extract_text() or "").strip()
        if text:
            sections.append((f"page {i}", text))
    if not sections:
        raise ValueError("PDF has no extractable text")
    title = (reader.metadata.title if reader.metadata and reader.metadata.title else None) or path.stem
    return NoteMeta(id=_slug(path.stem), title=str(title)), sections


def parse_file(path: Path) -> LoadedDoc:
    """Parse one file; raises ValueError with a readable reason when it cannot be used."""
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        try:
            meta, sections = _parse_pdf(path)
        except ValueError:
            raise
        except Exception as exc:  # pypdf raises many types for broken files
            raise ValueError(f"unreadable PDF: {exc}") from exc
    else:
        try:
            text = path.read_bytes().decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ValueError(f"not valid UTF-8 (byte {exc.start}); save the file as UTF-8") from exc
        if suffix in {".html", ".htm"}:
            meta, sections = _parse_html(path, text)
        elif suffix in {".md", ".markdown"}:
            meta, sections = _parse_markdown(path, text)
        else:
            meta = NoteMeta(id=_slug(path.stem), title=path.stem.replace("_", " ").replace("-", " "))
            sections = [("", text.strip())] if text.strip() else []
    if not sections:
        raise ValueError("file has no text")
    return LoadedDoc(path=path, meta=meta, sections=sections)


def discover(paths: list[Path]) -> tuple[list[Path], list[Path]]:
    """Expand files and directories into knowledge files; returns (files, roots)."""
    files: list[Path] = []
    roots: list[Path] = []
    for p in paths:
        if not p.exists():
            raise InputError(f"path not found: {p}", "pass an existing file or directory (default: knowledge/)")
        roots.append(p.resolve())
        if p.is_dir():
            files += sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in SUFFIXES)
        elif p.suffix.lower() in SUFFIXES:
            files.append(p)
        else:
            raise InputError(f"unsupported file type: {p}", f"use one of {', '.join(sorted(SUFFIXES))}")
    if not files:
        shown = ", ".join(str(p) for p in paths)
        raise InputError(f"no knowledge files found in {shown}", f"add {', '.join(sorted(SUFFIXES))} files")
    return files, roots


def load(paths: list[Path]) -> LoadReport:
    """Load every file under `paths`; bad files are recorded as problems, not raised."""
    return load_files(*discover(paths))


def load_files(files: list[Path], roots: list[Path],
               known: Callable[[Path, str], tuple[str, list[str]] | None] | None = None) -> LoadReport:
    """Load `files` (as `discover` found them under `roots`). `known(file, display_path)` may give a
    file's doc id and chunk ids instead (unchanged since they were recorded): that file is not parsed,
    and its doc is an empty stand-in carrying them, still checked for a duplicate id in file order."""
    report = LoadReport(roots=roots)
    seen: dict[str, Path] = {}
    dirs = [r for r in roots if r.is_dir()]
    for f in files:
        display = _display(f, roots, dirs)
        got = known(f, display) if known else None
        if got:
            doc = LoadedDoc(path=f, meta=NoteMeta(id=got[0], title=got[0]), sections=[], known_ids=got[1])
        else:
            try:
                doc = parse_file(f)
            except (ValueError, OSError) as exc:
                report.problems.append((f, str(exc)))
                continue
        if doc.meta.id in seen:
            report.problems.append((f, f"duplicate id '{doc.meta.id}' (also in {seen[doc.meta.id]})"))
            continue
        seen[doc.meta.id] = f
        doc.display_path = display
        report.docs.append(doc)
    return report


def within(path: str, root: str) -> bool:
    """Whether the resolved path `path` is `root` or under it: `Path.is_relative_to` on strings, which at
    thousands of files x roots was a tenth of a no-op ingest."""
    return path == root or path.startswith(root if root.endswith(os.sep) else root + os.sep)


def _display(path: Path, roots: list[Path], dirs: list[Path] | None = None) -> str:
    """The file as citations show it: relative to the ingested directory's parent, e.g.
    knowledge/guidance/feature-store.md. Not relative to the cwd: it is part of each chunk's
    metadata, so a cwd-dependent path would re-embed everything when ingesting from elsewhere.
    `dirs`: those of `roots` that are directories, when the caller already knows."""
    full = str(path.resolve())
    for root in (dirs if dirs is not None else [r for r in roots if r.is_dir()]):
        if within(full, str(root)):
            return full[len(str(root.parent)):].lstrip(os.sep)
    return Path(full).name


def chunk(doc: LoadedDoc) -> list[Document]:
    """Split a document's sections by size; every chunk carries doc id, title, section and source."""
    splitter = RecursiveCharacterTextSplitter(chunk_size=CHUNK_SIZE, chunk_overlap=CHUNK_OVERLAP)
    out = []
    source = str(doc.path.resolve())  # once per file: resolving per chunk cost seconds at 50k chunks
    for section, text in doc.sections:
        for i, piece in enumerate(_split(splitter, text)):
            out.append(Document(
                page_content=piece,
                metadata={
                    "doc_id": doc.meta.id,
                    "title": doc.meta.title,
                    "section": section,
                    "kind": doc.meta.kind,
                    "components": ",".join(doc.meta.components),
                    "origin": doc.meta.source,
                    "file": doc.display_path or str(doc.path),
                    # The record manager groups chunks by this key: the file's absolute path.
                    "source": source,
                    "part": i,
                },
            ))
    return out


def _split(splitter, text: str) -> list[str]:
    """`splitter.split_text(text)`; a stripped section that fits in one chunk is that chunk as it is (what
    the splitter returns for it too, without its per-character work: half a no-op ingest at 50k chunks)."""
    if text and len(text) <= CHUNK_SIZE and text == text.strip():
        return [text]
    return splitter.split_text(text)
