"""Ingest faults: an ingest killed with SIGKILL, readers answering while another process ingests, and a
damaged data dir.

Real parts throughout: the bundled embedding model, embedded Chroma in tmp dirs, the `advisor` console
script in subprocesses. The only stand-ins are (1) a deterministic fake embedding for the "clean ingest"
reference, used only to learn which chunk ids a clean ingest yields (ids hash text and metadata, never
vectors), and (2) in the two kill-window tests, a subprocess whose Chroma writes pause at one exact point
so SIGKILL lands there on any machine speed.
"""

from __future__ import annotations

import hashlib
import os
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
from contextlib import chdir
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from conftest import KNOWLEDGE, make_settings
from langchain_core.embeddings import DeterministicFakeEmbedding
from live_server import wait_for

from advisor import snapshot
from advisor.errors import REBUILD_HINT, IndexDamagedError, IndexNotReadyError

ADVISOR = Path(sys.executable).parent / "advisor"
QUESTIONS = ["Should we build or buy a feature store?", "Should we build or buy model serving?",
             "Should we build or buy ML monitoring?", "We are a startup: build or buy experiment tracking?"]
WAIT_S = 600  # a bound on waiting for a condition on a busy machine, never a speed assertion


# -- helpers -------------------------------------------------------------------------------------------

def cli_env(data: Path, kb: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ADVISOR_")}
    env.update(ADVISOR_DATA_DIR=str(data), ADVISOR_KNOWLEDGE_DIR=str(kb), ADVISOR_EMBEDDING_BACKEND="torch",
               HF_HUB_OFFLINE="1", TOKENIZERS_PARALLELISM="false", ANONYMIZED_TELEMETRY="False")
    return env


def run_cli(cwd: Path, data: Path, kb: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(ADVISOR), *args], cwd=cwd, env=cli_env(data, kb), capture_output=True, text=True,
                          check=False, timeout=WAIT_S)


def kill9_when(proc: subprocess.Popen, predicate, what: str) -> None:
    """SIGKILL `proc` as soon as `predicate` holds (asserting it was killed, not finished); always reaped."""
    try:
        wait_for(predicate, WAIT_S, what, proc)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=60)
        assert proc.returncode == -signal.SIGKILL, proc.returncode  # killed, not finished
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def record_count(db: Path) -> int:
    """Rows in the record manager, read without langchain while another process writes (-1: busy)."""
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=0.2) as conn:
            return conn.execute("SELECT count(*) FROM upsertion_record").fetchone()[0]
    except sqlite3.Error:
        return -1


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def tree_digest(root: Path, skip: Path | None = None) -> dict[str, str]:
    return {str(p.relative_to(root)): digest(p) for p in sorted(root.rglob("*"))
            if p.is_file() and not (skip and p.is_relative_to(skip))}


def generated_note(n: int, sections: int = 5) -> str:
    """A small vendor note with `sections` one-chunk sections of distinct text."""
    rng = random.Random(n)
    words = ["latency", "throughput", "autoscaling", "batching", "canary", "rollback", "quantization",
             "sharding", "caching", "lineage", "drift", "retraining", "backfill", "replay", "governance",
             "lakehouse", "embeddings", "gpus", "spot", "quotas"]
    body = "\n\n".join(f"## Part {s}\nGenerated note {n}, part {s}: {' '.join(rng.choices(words, k=14))}."
                       for s in range(sections))
    return (f"---\nid: generated-{n:03d}\ntitle: Generated note {n}\nkind: vendor\ncomponents: [model-serving]\n"
            f"source: test\n---\n# Generated note {n}\n\n{body}\n")


def add_generated(kb: Path, count: int, start: int = 0) -> None:
    folder = kb / "zz-generated"  # sorts after every real note, so its chunks are embedded last
    folder.mkdir(exist_ok=True)
    for n in range(start, start + count):
        (folder / f"generated-{n:03d}.md").write_text(generated_note(n), encoding="utf-8")


def revise(path: Path) -> None:
    """Change every sentence of a note's body, so each of its chunks (and cited snippets) differs."""
    text = path.read_text(encoding="utf-8")
    _, front, body = text.split("---\n", 2)
    body = re.sub(r"(\w)\.(\s|$)", r"\1 (rev 2).\2", body)
    path.write_text(f"---\n{front}---\n{body}", encoding="utf-8")


def note_path(kb: Path, doc_id: str) -> Path:
    return next(p for p in kb.rglob("*.md") if p.stem == doc_id)


@dataclass
class IndexState:
    chroma: list[str]
    records: list[str]
    snapshot: list[str]


def index_state(settings, embeddings) -> IndexState:
    from advisor.index import KnowledgeIndex

    idx = KnowledgeIndex(settings, embeddings)
    return IndexState(list(idx.store.get(include=[])["ids"]), list(idx.records.list_keys()),
                      snapshot.load(settings.snapshot_path).ids)


def assert_consistent(state: IndexState, expected: set[str]) -> None:
    """No duplicates, no orphans: Chroma ids == record keys == snapshot ids == a clean ingest's ids."""
    for name, ids in (("chroma", state.chroma), ("records", state.records), ("snapshot", state.snapshot)):
        assert len(ids) == len(set(ids)), f"duplicate ids in {name}"
    assert set(state.chroma) == set(state.records), (
        f"chroma-only {len(set(state.chroma) - set(state.records))}, "
        f"records-only {len(set(state.records) - set(state.chroma))}")
    assert set(state.snapshot) == set(state.chroma)
    assert set(state.chroma) == expected, (f"missing {len(expected - set(state.chroma))}, "
                                           f"extra {len(set(state.chroma) - expected)}")


def clean_ids(tmp: Path, kb: Path, paths: list[Path] | None = None) -> set[str]:
    """The chunk ids a clean ingest of the same files yields (vectors are irrelevant to ids)."""
    from advisor.index import KnowledgeIndex

    settings = make_settings(tmp, kb)
    report = KnowledgeIndex(settings, DeterministicFakeEmbedding(size=384)).ingest(paths or [kb], progress=False)
    assert report.ok, report.problems
    return set(snapshot.load(settings.snapshot_path).ids)


def assert_real_vectors(settings, embeddings, ids: set[str], sample: int = 12) -> None:
    """Stored vectors are the real model's embedding of their text (nothing half-written)."""
    snap = snapshot.load(settings.snapshot_path)
    rows = [i for i, cid in enumerate(snap.ids) if cid in ids]
    assert rows
    rows = rows[:: max(1, len(rows) // sample)]  # spread over the whole ingest
    fresh = np.asarray(embeddings.embed_documents([snap.texts[i] for i in rows]), dtype=np.float32)
    stored = snap.vectors[rows]
    cos = (fresh * stored).sum(axis=1) / (np.linalg.norm(fresh, axis=1) * np.linalg.norm(stored, axis=1))
    assert cos.min() > 0.999, cos


def _covered(snippet: str, texts: list[str]) -> bool:
    """True when `snippet` is pieces joined by single spaces, each piece found in one of `texts`."""
    words = snippet.rstrip("…").strip().split(" ")
    reach = [False] * (len(words) + 1)
    reach[0] = True
    for i in range(len(words)):
        if not reach[i]:
            continue
        for t in texts:
            j = i
            while j < len(words) and " ".join(words[i:j + 1]) in t:
                j += 1
                reach[j] = True
    return reach[-1]


def resolves(citation, snap: snapshot.Snapshot) -> bool:
    texts = [t for t, m in zip(snap.texts, snap.metadatas)
             if m.get("doc_id") == citation.doc_id and m.get("section", "") == citation.section
             and m.get("title", "") == citation.title]
    return bool(texts) and _covered(citation.snippet, texts)


def answers_from(answer, snap: snapshot.Snapshot) -> bool:
    return all(resolves(c, snap) for c in answer.citations)


def assert_answers_from(advisor, snap: snapshot.Snapshot) -> None:
    for q in QUESTIONS:
        answer = advisor.ask(q)
        assert not answer.refused and answer.citations, (q, answer.text[:300])
        assert answers_from(answer, snap), (q, [c.doc_id for c in answer.citations])


# -- a private knowledge dir and index, built once for this module -------------------------------------

@dataclass
class Base:
    kb: Path
    pristine: Path
    data: Path
    cwd: Path


@pytest.fixture(scope="module")
def base(tmp_path_factory, embeddings) -> Base:
    """A copy of knowledge/ and an index of it. Chunk ids hash the file's absolute path, so every test uses
    this same kb path (restored after each test) and the same working dir (the display path is hashed too)."""
    from advisor.index import KnowledgeIndex

    root = tmp_path_factory.mktemp("ingest-faults")
    b = Base(kb=root / "kb", pristine=root / "kb-pristine", data=root / "data", cwd=root / "cwd")
    shutil.copytree(KNOWLEDGE, b.kb)
    shutil.copytree(KNOWLEDGE, b.pristine)
    b.cwd.mkdir()
    with chdir(b.cwd):
        report = KnowledgeIndex(make_settings(b.data, b.kb), embeddings).ingest([b.kb], progress=False)
    assert report.ok and report.chunks > 100
    return b


@dataclass
class Env:
    kb: Path
    data: Path
    cwd: Path
    tmp: Path

    @property
    def settings(self):
        return make_settings(self.data, self.kb)


@pytest.fixture
def env(base, tmp_path, monkeypatch):
    data = tmp_path / "data"
    shutil.copytree(base.data, data)
    monkeypatch.chdir(base.cwd)
    try:
        yield Env(kb=base.kb, data=data, cwd=base.cwd, tmp=tmp_path)
    finally:
        shutil.rmtree(base.kb)
        shutil.copytree(base.pristine, base.kb)


# -- 1. a process killed mid-ingest ---------------------------------------------------------------------

@pytest.mark.slow
def test_sigkill_during_cli_ingest_keeps_the_old_index_and_the_next_ingest_is_exact(env, embeddings):
    settings = env.settings
    old = snapshot.load(settings.snapshot_path)
    old_digest, old_records = digest(settings.snapshot_path), record_count(settings.record_db)
    # Changed notes (their old chunks are deleted only at the end) and 400 new chunks after them.
    for doc_id in ("feature-store", "model-serving", "ml-monitoring"):
        revise(note_path(env.kb, doc_id))
    add_generated(env.kb, 80)

    proc = subprocess.Popen([str(ADVISOR), "ingest", "--no-progress", str(env.kb)], cwd=env.cwd,
                            env=cli_env(env.data, env.kb), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True)
    # The first batch of new chunks is in Chroma and recorded; hundreds more are still to embed.
    kill9_when(proc, lambda: record_count(settings.record_db) > old_records, "the first recorded batch")

    # Readers still have the previous index, untouched and fully usable.
    assert digest(settings.snapshot_path) == old_digest
    from advisor.chain import Advisor

    assert_answers_from(Advisor(settings, embeddings=embeddings), old)

    # The next ingest finishes the job: exactly the chunks a clean ingest of the same files yields.
    from advisor.index import KnowledgeIndex

    report = KnowledgeIndex(settings, embeddings).ingest([env.kb], progress=False)
    assert report.ok, report.problems
    expected = clean_ids(env.tmp / "clean", env.kb)
    state = index_state(settings, embeddings)
    assert_consistent(state, expected)
    assert report.chunks == len(expected)
    assert_real_vectors(settings, embeddings, expected - set(old.ids))
    new = snapshot.load(settings.snapshot_path)
    assert not set(old.ids) <= set(new.ids)  # the revised notes' old chunks are gone
    assert_answers_from(Advisor(settings, embeddings=embeddings), new)


PAUSING_INGEST = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from langchain_chroma import Chroma

    window, kb, marker = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
    name = "add_texts" if window == "after-chroma-add" else "delete"
    real, calls = getattr(Chroma, name), []

    def pausing(self, *args, **kwargs):
        out = real(self, *args, **kwargs)
        if args or kwargs.get("ids"):
            calls.append(1)
            if len(calls) == (2 if name == "add_texts" else 1):  # Chroma written, the records not yet
                marker.write_text("paused")
                time.sleep(3600)
        return out

    setattr(Chroma, name, pausing)
    from advisor.embeddings import LocalEmbeddings
    from advisor.index import KnowledgeIndex
    from advisor.settings import Settings

    KnowledgeIndex(Settings(_env_file=None), LocalEmbeddings()).ingest([kb], progress=False)
    print("finished without pausing")
""")


@pytest.mark.slow
@pytest.mark.parametrize("window", ["after-chroma-add", "after-chroma-delete"])
def test_sigkill_between_the_chroma_write_and_the_records_write_is_repaired(env, embeddings, window):
    """Ingest writes Chroma, then the record manager. Killed in between, Chroma holds chunks nobody
    records (after an add) or the records list chunks Chroma no longer has (after a delete); the next
    ingest must not keep either kind, even after the affected files change again."""
    from advisor.chain import Advisor
    from advisor.index import KnowledgeIndex

    settings = env.settings
    old = snapshot.load(settings.snapshot_path)
    old_digest = digest(settings.snapshot_path)
    if window == "after-chroma-add":
        add_generated(env.kb, 30)  # 150 chunks: three batches of new chunks
    else:
        note_path(env.kb, "arguments-for-buying").unlink()  # its chunks are deleted: Chroma, then records
    marker = env.tmp / "paused"
    proc = subprocess.Popen([sys.executable, "-c", PAUSING_INGEST, window, str(env.kb), str(marker)],
                            cwd=env.cwd, env=cli_env(env.data, env.kb), stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    kill9_when(proc, marker.exists, "the ingest to pause between its Chroma and records writes")
    assert digest(settings.snapshot_path) == old_digest
    assert_answers_from(Advisor(settings, embeddings=embeddings), old)

    torn = index_state(settings, embeddings)
    if window == "after-chroma-add":
        orphans = set(torn.chroma) - set(torn.records)
        assert orphans  # the kill landed in the window
        # The orphaned chunks' files change before the next ingest: their old text must not survive.
        snap_meta = KnowledgeIndex(settings, embeddings).store.get(ids=sorted(orphans), include=["metadatas"])
        for source in {m["source"] for m in snap_meta["metadatas"]}:
            revise(Path(source))
    else:
        assert set(torn.records) - set(torn.chroma)

    report = KnowledgeIndex(settings, embeddings).ingest([env.kb], progress=False)
    assert report.ok and report.repaired > 0
    assert_consistent(index_state(settings, embeddings), clean_ids(env.tmp / "clean", env.kb))
    # Ingesting again is a no-op: nothing left to repair, add or delete.
    again = KnowledgeIndex(settings, embeddings).ingest([env.kb], progress=False)
    assert (again.repaired, again.added, again.deleted) == (0, 0, 0)


# -- 2. ingest while readers answer -----------------------------------------------------------------------

@pytest.mark.slow
@pytest.mark.parametrize("rebuild", [False, True], ids=["incremental", "rebuild"])
def test_readers_answer_throughout_an_ingest_in_another_process(env, embeddings, rebuild):
    """Three reader threads answer in a loop while `advisor ingest` (or `--rebuild`) rewrites the
    knowledge the answers cite: no answer fails, and each one is wholly from the old or the new index."""
    from advisor.chain import Advisor

    settings = env.settings
    old = snapshot.load(settings.snapshot_path)
    # One Advisor per reader thread, like one per server worker (a shared one: the test below).
    advisors = [Advisor(settings, embeddings=embeddings) for _ in range(3)]
    cited = {c.doc_id for q in QUESTIONS for c in advisors[0].ask(q).citations}
    assert len(cited) >= 3
    for doc_id in cited:
        revise(note_path(env.kb, doc_id))

    answers: list = []
    corpora: set[frozenset[str]] = set()
    errors: list[BaseException] = []
    rounds_after = [0] * len(advisors)
    ingest_done, stop = threading.Event(), threading.Event()

    def reader(k: int, advisor) -> None:
        seen = None
        while not stop.is_set():
            done_before = ingest_done.is_set()
            try:
                for q in QUESTIONS:
                    answers.append(advisor.ask(q, channel="reliability"))
                    if advisor.retriever is not seen:
                        seen = advisor.retriever
                        corpora.add(frozenset(d.id for d in seen.corpus.docs))
                    time.sleep(0.02)  # leave the ingest some CPU
            except BaseException as exc:  # noqa: BLE001 - any failure is the finding
                errors.append(exc)
                return
            if done_before:
                rounds_after[k] += 1

    threads = [threading.Thread(target=reader, args=(k, a), daemon=True) for k, a in enumerate(advisors)]
    for t in threads:
        t.start()
    try:
        wait_for(lambda: len(answers) >= 3 * len(QUESTIONS) or errors, WAIT_S, "the readers to start")
        args = ["ingest", "--no-progress", *(["--rebuild"] if rebuild else []), str(env.kb)]
        result = run_cli(env.cwd, env.data, env.kb, *args)
        ingest_done.set()
        assert result.returncode == 0, result.stderr
        # Every reader answers two full rounds that began after the new index was published.
        wait_for(lambda: errors or min(rounds_after) >= 2, WAIT_S, "the readers to pick up the new index")
    finally:
        stop.set()
        for t in threads:
            t.join(timeout=WAIT_S)
    assert not errors, repr(errors[0])

    new = snapshot.load(settings.snapshot_path)
    assert corpora <= {frozenset(old.ids), frozenset(new.ids)}  # never a half-built index
    kinds = {"old": 0, "new": 0, "both": 0}
    for a in answers:
        in_old, in_new = answers_from(a, old), answers_from(a, new)
        assert in_old or in_new, f"citations from neither snapshot: {[c.doc_id for c in a.citations]}"
        kinds["both" if in_old and in_new else "old" if in_old else "new"] += 1
    assert kinds["old"] and kinds["new"], kinds
    assert_consistent(index_state(settings, embeddings), clean_ids(env.tmp / "clean", env.kb))


@pytest.mark.slow
def test_a_shared_advisor_never_mixes_two_snapshots_in_one_answer(env, embeddings):
    """Another request thread swaps in a newly published index while this answer is being prepared."""
    from advisor.chain import Advisor
    from advisor.index import KnowledgeIndex

    advisor = Advisor(env.settings, embeddings=embeddings)
    old = snapshot.load(env.settings.snapshot_path)
    revise(note_path(env.kb, "feature-store"))
    decide, swapped = advisor.engine.decide, []

    def decide_while_another_thread_reloads(state):
        if not swapped:
            KnowledgeIndex(env.settings, embeddings).ingest([env.kb], progress=False)
            worker = threading.Thread(target=advisor.refresh)  # another request noticing the new snapshot
            worker.start()
            worker.join()
            swapped.append(True)
        return decide(state)

    advisor.engine.decide = decide_while_another_thread_reloads
    answer = advisor.ask("Should we build or buy a feature store?")
    new = snapshot.load(env.settings.snapshot_path)
    assert swapped and set(old.ids) != set(new.ids)
    assert answers_from(answer, old) or answers_from(answer, new), [(c.doc_id, c.section) for c in answer.citations]


def test_a_save_killed_mid_write_leaves_the_published_snapshot_and_its_temp_file_is_cleared(tmp_path):
    path = tmp_path / "snapshot.npz"
    first = snapshot.Snapshot(["a"], ["alpha"], [{"doc_id": "a"}], np.ones((1, 3), dtype=np.float32))
    snapshot.save(path, first)
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True,
                          check=True).stdout.strip()
    stale = tmp_path / f".snapshot.npz.{dead}.tmp"
    stale.write_bytes(b"PK half a zip")  # what a save killed mid-write leaves
    assert snapshot.load(path).ids == ["a"]
    snapshot.save(path, snapshot.Snapshot(["b"], ["beta"], [{"doc_id": "b"}], np.ones((1, 3), dtype=np.float32)))
    assert snapshot.load(path).ids == ["b"] and not stale.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["snapshot.npz"]
    with pytest.raises(IndexNotReadyError, match="no index snapshot"):
        snapshot.load(tmp_path / "missing.npz")


# -- 3. a damaged data dir --------------------------------------------------------------------------------

def _garbage(path: Path) -> None:
    path.write_bytes(random.Random(7).randbytes(4096))


def _truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _inconsistent_snapshot(path: Path) -> None:
    snap = snapshot.load(path)
    snapshot.save(path, snapshot.Snapshot(snap.ids, snap.texts[:-1], snap.metadatas, snap.vectors))


DAMAGE = {
    # name: (damage(settings), what the error names, does `advisor ask` still answer from the snapshot?)
    "snapshot-truncated": (lambda s: _truncate(s.snapshot_path), "index snapshot", False),
    "snapshot-garbage": (lambda s: _garbage(s.snapshot_path), "index snapshot", False),
    "snapshot-empty-file": (lambda s: s.snapshot_path.write_bytes(b""), "index snapshot", False),
    "snapshot-inconsistent": (lambda s: _inconsistent_snapshot(s.snapshot_path), "index snapshot", False),
    "chroma-garbage": (lambda s: _garbage(s.chroma_dir / "chroma.sqlite3"), "Chroma index", True),
    "chroma-truncated": (lambda s: _truncate(s.chroma_dir / "chroma.sqlite3"), "Chroma index", True),
    "chroma-garbage-no-snapshot": (lambda s: (_garbage(s.chroma_dir / "chroma.sqlite3"),
                                              s.snapshot_path.unlink()), "Chroma index", False),
    "chroma-dir-is-a-file-no-snapshot": (lambda s: (shutil.rmtree(s.chroma_dir), _garbage(s.chroma_dir),
                                                    s.snapshot_path.unlink()), "Chroma index", False),
    "records-garbage": (lambda s: _garbage(s.record_db), "ingest record database", True),
    "records-truncated": (lambda s: _truncate(s.record_db), "ingest record database", True),
}


def cli(settings, *args: str):
    from typer.testing import CliRunner

    from advisor.cli import app

    env = {"ADVISOR_DATA_DIR": str(settings.data_dir), "ADVISOR_KNOWLEDGE_DIR": str(settings.knowledge_dir),
           "ADVISOR_EMBEDDING_BACKEND": "torch"}
    return CliRunner().invoke(app, list(args), env=env)


def assert_clear_failure(result, names: str) -> None:
    """Exit 4 (IndexNotReadyError), the damaged part named, the rebuild command given, no traceback."""
    assert result.exit_code == IndexNotReadyError.exit_code, (result.exit_code, result.output)
    assert isinstance(result.exception, SystemExit), result.exception  # handled, not a crash
    assert "Traceback" not in result.output
    assert f"error: the {names}" in result.stderr, result.stderr
    assert f"hint: {REBUILD_HINT}" in result.stderr and "advisor ingest --rebuild" in REBUILD_HINT


@pytest.mark.parametrize("case", sorted(DAMAGE))
def test_a_damaged_data_dir_fails_clearly_and_names_the_fix(data_dir, embeddings, case, monkeypatch, tmp_path):
    """`advisor ask`, building the Advisor and `advisor ingest` each either work (from an intact snapshot)
    or fail with IndexDamagedError naming the damaged file and `advisor ingest --rebuild`."""
    from advisor.chain import Advisor

    monkeypatch.chdir(tmp_path)
    settings = make_settings(data_dir)
    damage, names, still_answers = DAMAGE[case]
    damage(settings)

    asked = cli(settings, "ask", "--json", QUESTIONS[0])
    if still_answers:  # readers answer from the published snapshot, which is intact
        assert asked.exit_code == 0, asked.output
        assert '"citations": [' in asked.stdout and '"verdict": "depends"' in asked.stdout
        Advisor(settings, embeddings=embeddings).ask(QUESTIONS[0])
    else:
        assert_clear_failure(asked, names)
        with pytest.raises(IndexDamagedError, match=f"the {names}") as err:
            Advisor(settings, embeddings=embeddings)
        assert err.value.hint == REBUILD_HINT
        assert str(settings.data_dir) in err.value.message
    if names != "index snapshot":  # a plain ingest cannot use a damaged Chroma or record database
        assert_clear_failure(cli(settings, "ingest", "--no-progress", str(KNOWLEDGE)), names)


@pytest.mark.slow
def test_rebuild_recovers_a_data_dir_with_every_part_damaged(data_dir, embeddings, tmp_path, monkeypatch):
    """In one process: ask and ingest fail (chromadb has now seen the damaged dir), `ingest --rebuild`
    succeeds, and answers work again; nothing outside the data dir changes."""
    settings = make_settings(data_dir)
    (tmp_path / "cwd").mkdir()
    monkeypatch.chdir(tmp_path / "cwd")
    sentinel = tmp_path / "outside.txt"
    sentinel.write_text("not the advisor's")
    outside, knowledge = tree_digest(tmp_path, skip=data_dir), tree_digest(KNOWLEDGE)
    _garbage(settings.snapshot_path)
    _garbage(settings.chroma_dir / "chroma.sqlite3")
    _garbage(settings.record_db)

    assert_clear_failure(cli(settings, "ask", QUESTIONS[0]), "index snapshot")
    assert_clear_failure(cli(settings, "ingest", "--no-progress", str(KNOWLEDGE)), "Chroma index")
    rebuilt = cli(settings, "ingest", "--rebuild", "--no-progress", str(KNOWLEDGE))
    assert rebuilt.exit_code == 0, (rebuilt.output, rebuilt.exception)
    asked = cli(settings, "ask", "--json", QUESTIONS[0])
    assert asked.exit_code == 0 and '"citations": [' in asked.stdout, asked.output

    assert tree_digest(tmp_path, skip=data_dir) == outside and tree_digest(KNOWLEDGE) == knowledge
    assert_consistent(index_state(settings, embeddings), clean_ids(tmp_path / "clean", KNOWLEDGE))


@pytest.mark.slow
def test_rebuild_from_the_console_script_with_chroma_dir_a_garbage_file(data_dir, tmp_path):
    """The real `advisor` command in fresh processes: a clean error and exit 4, then --rebuild, then answers."""
    settings = make_settings(data_dir)
    (tmp_path / "cwd").mkdir()
    outside, knowledge = tree_digest(tmp_path, skip=data_dir), tree_digest(KNOWLEDGE)
    shutil.rmtree(settings.chroma_dir)
    _garbage(settings.chroma_dir)
    settings.snapshot_path.unlink()
    _garbage(settings.record_db)

    asked = run_cli(tmp_path / "cwd", data_dir, KNOWLEDGE, "ask", QUESTIONS[0])
    assert asked.returncode == 4, asked.stderr
    assert "Traceback" not in asked.stderr and asked.stdout == ""
    assert f"error: the Chroma index in {settings.chroma_dir} cannot be opened" in asked.stderr
    assert f"hint: {REBUILD_HINT}" in asked.stderr

    rebuilt = run_cli(tmp_path / "cwd", data_dir, KNOWLEDGE, "ingest", "--rebuild", "--no-progress", str(KNOWLEDGE))
    assert rebuilt.returncode == 0, rebuilt.stderr
    asked = run_cli(tmp_path / "cwd", data_dir, KNOWLEDGE, "ask", "--json", QUESTIONS[0])
    assert asked.returncode == 0, asked.stderr
    assert '"citations": [' in asked.stdout and '"verdict": "depends"' in asked.stdout
    assert tree_digest(tmp_path, skip=data_dir) == outside and tree_digest(KNOWLEDGE) == knowledge


@pytest.mark.slow
@pytest.mark.parametrize("missing", ["chroma-dir", "record-db"])
def test_a_plain_ingest_restores_a_deleted_piece(data_dir, embeddings, missing):
    """With the Chroma dir (or the record db) deleted, readers still answer from the snapshot and a plain
    `ingest` puts back every chunk; it must never publish an empty or partial index."""
    from advisor.chain import Advisor
    from advisor.index import KnowledgeIndex

    settings = make_settings(data_dir)
    old = snapshot.load(settings.snapshot_path)
    if missing == "chroma-dir":
        shutil.rmtree(settings.chroma_dir)
    else:
        settings.record_db.unlink()
    assert_answers_from(Advisor(settings, embeddings=embeddings), old)

    report = KnowledgeIndex(settings, embeddings).ingest([KNOWLEDGE], progress=False)
    assert report.ok and report.added == report.chunks == len(old.ids)
    assert_consistent(index_state(settings, embeddings), set(old.ids))
    assert_answers_from(Advisor(settings, embeddings=embeddings), snapshot.load(settings.snapshot_path))


# -- 4. two writers ---------------------------------------------------------------------------------------

def test_a_second_ingest_on_the_same_data_dir_is_refused_and_changes_nothing(data_dir, tmp_path):
    """While one ingest holds the data dir, another `advisor ingest` exits 7 naming the holder; the index
    is untouched. The lock dies with its holder (flock), so it is free again afterwards."""
    from advisor.index import ingest_lock

    settings = make_settings(data_dir)
    (tmp_path / "cwd").mkdir()
    before = tree_digest(data_dir, skip=data_dir / ".ingest.lock")
    with ingest_lock(settings):
        second = run_cli(tmp_path / "cwd", data_dir, KNOWLEDGE, "ingest", "--rebuild", "--no-progress")
        assert second.returncode == 7, second.stderr
        assert f"another ingest (pid {os.getpid()}) is writing to {data_dir}" in second.stderr
        assert "Traceback" not in second.stderr
    assert tree_digest(data_dir, skip=data_dir / ".ingest.lock") == before
    with ingest_lock(settings):  # released: taking it again works
        pass
