"""The ingest manifest: unchanged files are not parsed again, and nothing it says is trusted blindly."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import test_index
from conftest import make_settings
from test_index import note
from test_knowledge import write

from advisor import knowledge, manifest
from advisor.index import KnowledgeIndex, rebuild_index

# The index tests' fixtures: a counting wrapper around the real model, and a small three-note knowledge dir.
counting, kb = test_index.counting, test_index.kb


@pytest.fixture
def parsed(monkeypatch) -> list[str]:
    """The names of the files parsed, in order; and files just written count as settled (a test writes
    and ingests within the same second)."""
    monkeypatch.setattr(manifest, "SETTLE_NS", 0)
    seen: list[str] = []
    real = knowledge.parse_file

    def spy(path: Path):
        seen.append(path.name)
        return real(path)

    monkeypatch.setattr(knowledge, "parse_file", spy)
    return seen


@pytest.fixture
def settings(tmp_path):
    return make_settings(tmp_path / "data")


def counts(report) -> tuple:
    return (report.documents, report.chunks, report.added, report.updated, report.skipped, report.deleted,
            report.problems)


def stored(idx: KnowledgeIndex) -> list[tuple]:
    snap = idx.snapshot(vectors=False)
    return sorted(zip(snap.ids, snap.texts, (json.dumps(m, sort_keys=True) for m in snap.metadatas)))


def entries(settings) -> dict:
    return json.loads((settings.data_dir / manifest.NAME).read_text())["files"]


def test_a_noop_reingest_parses_nothing_and_reports_as_without_the_manifest(settings, kb, counting, parsed):
    idx = KnowledgeIndex(settings, counting)
    first = idx.ingest([kb], progress=False)
    assert sorted(parsed) == ["alpha.md", "beta.md", "gamma.md"]
    got = entries(settings)
    assert {Path(p).name for p in got} == {"alpha.md", "beta.md", "gamma.md"}
    alpha = got[str((kb / "alpha.md").resolve())]
    assert (alpha["display"], alpha["doc_id"], len(alpha["ids"])) == ("kb/alpha.md", "alpha", 2)
    before, snapshot_at = stored(idx), settings.snapshot_path.stat().st_mtime_ns

    parsed.clear()
    counting.reset()
    again = idx.ingest([kb], progress=False)
    assert parsed == [] and counting.texts == []
    assert counts(again) == (3, 6, 0, 0, 6, 0, [])
    assert stored(idx) == before and settings.snapshot_path.stat().st_mtime_ns == snapshot_at

    (settings.data_dir / manifest.NAME).unlink()
    without = idx.ingest([kb], progress=False)
    assert sorted(parsed) == ["alpha.md", "beta.md", "gamma.md"]
    assert counts(without) == counts(again) and stored(idx) == before
    assert first.chunks == again.chunks


def test_an_edited_or_touched_file_alone_is_parsed_again(settings, kb, counting, parsed):
    idx = KnowledgeIndex(settings, counting)
    idx.ingest([kb], progress=False)
    old_beta = entries(settings)[str((kb / "beta.md").resolve())]["ids"]

    parsed.clear()
    counting.reset()
    write(kb / "beta.md", note("beta", "Feast keeps online and offline features consistent.", "Tecton is managed."))
    changed = idx.ingest([kb], progress=False)
    assert parsed == ["beta.md"]
    assert (changed.added, changed.skipped, changed.deleted) == (1, 5, 1)
    assert counting.texts == ["Feast keeps online and offline features consistent."]
    new_beta = entries(settings)[str((kb / "beta.md").resolve())]["ids"]
    assert len(set(new_beta) & set(old_beta)) == 1 and set(new_beta) <= {c.id for c in idx.all_chunks()}

    parsed.clear()
    counting.reset()
    os.utime(kb / "alpha.md", ns=(1_000_000_000, 1_000_000_000))  # same text, new stat
    touched = idx.ingest([kb], progress=False)
    assert parsed == ["alpha.md"] and counting.texts == []
    assert (touched.added, touched.skipped, touched.deleted) == (0, 6, 0)

    parsed.clear()
    (kb / "gamma.md").unlink()
    removed = idx.ingest([kb], progress=False)
    assert parsed == [] and (removed.documents, removed.deleted) == (2, 2)
    assert {Path(p).name for p in entries(settings)} == {"alpha.md", "beta.md"}


@pytest.mark.parametrize("damage", [b"", b"{not json", b'{"format": 1, "chunker": "x", "files": 3}', None])
def test_a_corrupt_or_foreign_manifest_is_ignored(settings, kb, counting, parsed, damage):
    idx = KnowledgeIndex(settings, counting)
    idx.ingest([kb], progress=False)
    path = settings.data_dir / manifest.NAME
    if damage is None:  # a directory where the file should be: unreadable, and not replaceable either
        path.unlink()
        path.mkdir()
    else:
        path.write_bytes(damage)
    parsed.clear()
    counting.reset()
    report = idx.ingest([kb], progress=False)
    assert sorted(parsed) == ["alpha.md", "beta.md", "gamma.md"] and counting.texts == []
    assert counts(report) == (3, 6, 0, 0, 6, 0, [])
    if damage is not None:
        assert len(entries(settings)) == 3  # rewritten


def test_chunks_missing_from_the_records_or_chroma_are_parsed_and_embedded_again(settings, kb, counting, parsed):
    idx = KnowledgeIndex(settings, counting)
    idx.ingest([kb], progress=False)
    alpha = entries(settings)[str((kb / "alpha.md").resolve())]["ids"]

    # A killed ingest or a hand edit lost one file's chunks from both: that file alone is parsed again.
    idx.store.delete(ids=alpha)
    idx.records.delete_keys(alpha)
    parsed.clear()
    counting.reset()
    report = idx.ingest([kb], progress=False)
    assert parsed == ["alpha.md"] and len(counting.texts) == 2
    assert (report.added, report.skipped, report.deleted) == (2, 4, 0)

    # Chroma emptied by hand: repair drops the records, every file is parsed and embedded again.
    idx.store.delete(ids=[c.id for c in idx.all_chunks()])
    parsed.clear()
    counting.reset()
    report = idx.ingest([kb], progress=False)
    assert sorted(parsed) == ["alpha.md", "beta.md", "gamma.md"] and len(counting.texts) == 6
    assert (report.repaired, report.added, idx.count()) == (6, 6, 6)


def test_rebuild_deletes_the_manifest_and_an_old_one_put_back_is_not_trusted(settings, kb, counting, parsed):
    idx = KnowledgeIndex(settings, counting)
    idx.ingest([kb], progress=False)
    path = settings.data_dir / manifest.NAME
    saved = path.read_bytes()
    del idx
    rebuild_index(settings)
    assert not path.exists()
    path.write_bytes(saved)  # as if the rebuild had kept it
    parsed.clear()
    counting.reset()
    report = KnowledgeIndex(settings, counting).ingest([kb], progress=False)
    assert sorted(parsed) == ["alpha.md", "beta.md", "gamma.md"] and len(counting.texts) == 6
    assert report.added == 6


def test_a_chunker_change_voids_the_manifest(settings, kb, counting, parsed, monkeypatch):
    idx = KnowledgeIndex(settings, counting)
    idx.ingest([kb], progress=False)
    monkeypatch.setattr(knowledge, "CHUNKER_VERSION", knowledge.CHUNKER_VERSION + 1)
    parsed.clear()
    report = idx.ingest([kb], progress=False)
    assert sorted(parsed) == ["alpha.md", "beta.md", "gamma.md"]
    assert (report.added, report.skipped) == (0, 6)
    parsed.clear()
    idx.ingest([kb], progress=False)
    assert parsed == []  # rewritten for the new chunker


def test_failed_and_duplicate_files_are_never_recorded(settings, kb, counting, parsed):
    idx = KnowledgeIndex(settings, counting)
    idx.ingest([kb], progress=False)
    # A file sorting before alpha.md takes its id: alpha.md, unchanged and recorded, is now the duplicate,
    # exactly as when every file is parsed.
    write(kb / "a0.md", note("alpha", "Seldon serves models."))
    write(kb / "broken.md", "---\nid: [unclosed\n---\ntext\n")
    parsed.clear()
    report = idx.ingest([kb], progress=False)
    assert sorted(parsed) == ["a0.md", "broken.md"]
    problems = {Path(p).name: why for p, why in report.problems}
    assert set(problems) == {"alpha.md", "broken.md"} and "duplicate id 'alpha'" in problems["alpha.md"]
    assert (report.documents, report.deleted) == (3, 0)  # alpha.md's chunks are kept, as before
    assert {Path(p).name for p in entries(settings)} == {"a0.md", "beta.md", "gamma.md"}
    parsed.clear()
    again = idx.ingest([kb], progress=False)
    assert sorted(parsed) == ["alpha.md", "broken.md"]
    assert (again.documents, again.chunks, again.added, again.problems) == (3, 5, 0, report.problems)


def test_a_file_changed_just_before_it_was_read_is_read_again(settings, kb, counting, monkeypatch):
    # No SETTLE_NS override: these files were written a moment ago, so their stat cannot be trusted yet
    # (a write in the same timestamp tick after the read would leave it unchanged).
    idx = KnowledgeIndex(settings, counting)
    idx.ingest([kb], progress=False)
    path = settings.data_dir / manifest.NAME
    assert not path.exists() or entries(settings) == {}
    seen: list[str] = []
    real = knowledge.parse_file
    monkeypatch.setattr(knowledge, "parse_file", lambda p: seen.append(p.name) or real(p))
    assert idx.ingest([kb], progress=False).skipped == 6
    assert sorted(seen) == ["alpha.md", "beta.md", "gamma.md"]
