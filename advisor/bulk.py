"""Bounded calls to Chroma and the record manager, so no SQL statement outgrows SQLite's variable limit.

SQLite refuses a statement with more than 32,766 bound variables. An unpaged Chroma `get` binds every
row's id; a record-manager call binds every key. Everything that touches many ids goes through these
helpers, in pages of at most `Settings.sql_batch` ids (capped well below the limit, since a row may bind
several variables).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import TypeVar

from langchain_core.documents import Document

T = TypeVar("T")

SQLITE_MAX_VARIABLES = 32_766  # SQLite >= 3.32's default SQLITE_MAX_VARIABLE_NUMBER
VARIABLES_PER_ROW = 6  # the most any one of our calls binds per id (a record-manager upsert row: 5)
MAX_SQL_BATCH = SQLITE_MAX_VARIABLES // VARIABLES_PER_ROW  # 5,461: also Chroma's own max batch size


def batches(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    """`items` in consecutive slices of at most `size`."""
    size = max(1, min(size, MAX_SQL_BATCH))
    for i in range(0, len(items), size):
        yield items[i:i + size]


def hashed(docs: Iterable[Document]) -> list[Document]:
    """The chunks with LangChain's indexing ids (sha256 of text and metadata), duplicates dropped.

    The same ids `langchain_core.indexing.index(..., key_encoder="sha256")` gives, so an index built
    before keeps being recognised chunk for chunk.
    """
    from langchain_core.indexing.api import _get_document_with_hash

    out, seen = [], set()
    for d in docs:
        h = _get_document_with_hash(d, key_encoder="sha256")
        if h.id not in seen:
            seen.add(h.id)
            out.append(h)
    return out


def stored_keys(records, keys: Sequence[str], size: int) -> set[str]:
    """Which of `keys` the record manager knows, asked `size` at a time."""
    found: set[str] = set()
    for part in batches(keys, size):
        found.update(k for k, there in zip(part, records.exists(list(part))) if there)
    return found


def keys_of_groups(records, groups: Sequence[str], size: int) -> list[str]:
    """Every recorded key of the source files `groups`, asked `size` files at a time (the keys only:
    `list_keys` builds an ORM object per row, a second per 50k keys)."""
    from langchain_classic.indexes._sql_record_manager import UpsertionRecord

    out: list[str] = []
    for part in batches(groups, size):
        with records._make_session() as session:
            out += [k for (k,) in session.query(UpsertionRecord.key).filter(
                UpsertionRecord.namespace == records.namespace, UpsertionRecord.group_id.in_(list(part)))]
    return out


def keys_by_group(records, groups: Sequence[str], size: int) -> dict[str, set[str]]:
    """`keys_of_groups`, each source file's keys apart (those with none are absent)."""
    from langchain_classic.indexes._sql_record_manager import UpsertionRecord

    out: dict[str, set[str]] = {}
    for part in batches(groups, size):
        with records._make_session() as session:
            for key, group in session.query(UpsertionRecord.key, UpsertionRecord.group_id).filter(
                    UpsertionRecord.namespace == records.namespace, UpsertionRecord.group_id.in_(list(part))):
                out.setdefault(group, set()).add(key)
    return out


def delete_keys(records, keys: Sequence[str], size: int) -> None:
    for part in batches(keys, size):
        records.delete_keys(list(part))


def delete_chunks(store, keys: Sequence[str], size: int) -> None:
    for part in batches(keys, size):
        store.delete(ids=list(part))


def paged_get(collection, include: list[str], size: int) -> dict:
    """Chroma's `get` of the whole collection, `size` rows at a time, merged into one result."""
    merged: dict[str, list] = {"ids": [], **{k: [] for k in include}}
    size = max(1, min(size, MAX_SQL_BATCH))
    offset = 0
    while True:
        page = collection.get(include=include, limit=size, offset=offset)
        ids = page["ids"]
        merged["ids"] += list(ids)
        for k in include:
            got = page.get(k)
            merged[k] += list(got) if got is not None else []
        if len(ids) < size:
            return merged
        offset += size


def recorded_groups(records) -> list[str]:
    """Every source file the record manager holds chunks of: one query, no per-key variables (reading
    every chunk's metadata from Chroma for this took seconds at 50k chunks)."""
    from langchain_classic.indexes._sql_record_manager import UpsertionRecord

    with records._make_session() as session:
        rows = session.query(UpsertionRecord.group_id).filter(
            UpsertionRecord.namespace == records.namespace).distinct().all()
    return [g for (g,) in rows if g is not None]


def record_count(records) -> int:
    """How many keys the record manager holds (one COUNT query)."""
    from langchain_classic.indexes._sql_record_manager import UpsertionRecord
    from sqlalchemy import func

    with records._make_session() as session:
        return session.query(func.count(UpsertionRecord.key)).filter(
            UpsertionRecord.namespace == records.namespace).scalar() or 0
