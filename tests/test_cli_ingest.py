"""`advisor ingest` and `advisor sources` as a user runs them: the real console script in a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from test_index import note
from test_knowledge import write

ADVISOR = Path(sys.executable).parent / "advisor"
# Each run imports torch, Chroma and LangChain afresh (10-20 s on a busy 2-core machine), so all are slow.
pytestmark = pytest.mark.slow


def run(tmp_path: Path, *args: str, knowledge_dir: Path | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ADVISOR_")}
    env.update(ADVISOR_DATA_DIR=str(tmp_path / "data"), HF_HUB_OFFLINE="1", TOKENIZERS_PARALLELISM="false",
               ANONYMIZED_TELEMETRY="False")
    if knowledge_dir:
        env["ADVISOR_KNOWLEDGE_DIR"] = str(knowledge_dir)
    # cwd is the test's own dir so no developer .env file is read.
    return subprocess.run([str(ADVISOR), *args], cwd=tmp_path, env=env, capture_output=True, text=True,
                          check=False, timeout=600)


def sources_json(tmp_path: Path) -> dict[str, int]:
    result = run(tmp_path, "sources", "--json")
    assert result.returncode == 0, result.stderr
    return {s["doc_id"]: s["chunks"] for s in json.loads(result.stdout)}


def test_missing_path_exits_2_with_a_hint(tmp_path):
    result = run(tmp_path, "ingest", str(tmp_path / "no-such-dir"))
    assert result.returncode == 2
    assert f"error: path not found: {tmp_path / 'no-such-dir'}" in result.stderr
    assert "hint:" in result.stderr and "Traceback" not in result.stderr


def test_empty_dir_exits_2_with_a_hint(tmp_path):
    (tmp_path / "empty").mkdir()
    result = run(tmp_path, "ingest", str(tmp_path / "empty"))
    assert result.returncode == 2
    assert "no knowledge files found" in result.stderr and ".md" in result.stderr
    assert "Traceback" not in result.stderr


def test_sources_on_an_empty_index_says_what_to_do(tmp_path):
    result = run(tmp_path, "sources")
    assert result.returncode == 4
    assert "advisor ingest" in result.stdout


def test_ingest_sources_corrupt_and_rebuild(tmp_path):
    kb = tmp_path / "kb"
    write(kb / "alpha.md", note("alpha", "Triton serves models on GPUs.", "BentoML packages models."))
    write(kb / "beta.md", note("beta", "Feast keeps features consistent.", "Tecton is managed."))
    write(kb / "notes.txt", "Prefect runs Python workflows with retries.")

    # No PATH: the knowledge dir from ADVISOR_KNOWLEDGE_DIR is ingested.
    first = run(tmp_path, "ingest", "--no-progress", knowledge_dir=kb)
    assert first.returncode == 0, first.stderr
    # The first ingest also exports the model to ONNX; torch's tracing warnings stay out of the user's way.
    assert (tmp_path / "data" / "onnx" / "model.onnx").is_file()
    assert "Warning" not in first.stderr and "warn" not in first.stderr.lower(), first.stderr
    assert "documents: 3  chunks: 5" in first.stdout
    assert "added: 5  updated: 0  skipped: 0  deleted: 0" in first.stdout
    assert (tmp_path / "data" / "chroma").is_dir() and (tmp_path / "data" / "records.sqlite").is_file()

    again = run(tmp_path, "ingest", str(kb))
    assert again.returncode == 0, again.stderr
    assert "added: 0  updated: 0  skipped: 5  deleted: 0" in again.stdout

    listing = run(tmp_path, "sources")
    assert listing.returncode == 0, listing.stderr
    lines = listing.stdout.splitlines()
    assert any(line.split()[:3] == ["2", "guidance", "alpha"] and "Note alpha" in line for line in lines)
    assert any(line.split()[:3] == ["1", "document", "notes"] for line in lines)
    assert lines[-1] == "3 documents, 5 chunks"
    items = json.loads(run(tmp_path, "sources", "--json").stdout)
    alpha = next(i for i in items if i["doc_id"] == "alpha")
    assert alpha["components"] == ["model-serving"] and alpha["file"].endswith("alpha.md")

    # beta breaks, a broken PDF and a new good note appear: exit 5, bad files named, the rest indexed.
    write(kb / "beta.md", "---\nid: beta\ntitle: [unclosed\n---\nbody\n")
    write(kb / "broken.pdf", b"%PDF-1.4\nnot a pdf at all")
    write(kb / "gamma.md", note("gamma", "Airflow schedules DAGs."))
    partial = run(tmp_path, "ingest", str(kb))
    assert partial.returncode == 5
    assert "skipped " in partial.stderr and "beta.md" in partial.stderr and "broken.pdf" in partial.stderr
    assert "2 file(s) could not be ingested" in partial.stderr
    assert "added: 1" in partial.stdout and "deleted: 0" in partial.stdout
    assert sources_json(tmp_path) == {"alpha": 2, "beta": 2, "gamma": 1, "notes": 1}

    # --rebuild with a bad path fails before throwing the index away.
    bad = run(tmp_path, "ingest", "--rebuild", str(tmp_path / "typo"))
    assert bad.returncode == 2 and "path not found" in bad.stderr
    assert sources_json(tmp_path) == {"alpha": 2, "beta": 2, "gamma": 1, "notes": 1}

    # --rebuild starts from scratch: everything valid is embedded again, the broken note is gone.
    (kb / "broken.pdf").unlink()
    rebuilt = run(tmp_path, "ingest", "--rebuild", str(kb))
    assert rebuilt.returncode == 5 and "beta.md" in rebuilt.stderr
    assert "added: 4  updated: 0  skipped: 0  deleted: 0" in rebuilt.stdout
    assert sources_json(tmp_path) == {"alpha": 2, "gamma": 1, "notes": 1}
