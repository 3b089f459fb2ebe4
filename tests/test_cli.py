"""The CLI door in-process (typer's runner): ask --json, chat with follow-ups and /new, feedback export."""

from __future__ import annotations

import csv
import io
import json

import pytest
from typer.testing import CliRunner

from advisor.cli import app
from advisor.store import Store


@pytest.fixture
def run(data_dir, embeddings):
    """Invoke `advisor ...` against this test's data dir (the model is the session's, via load_model's cache)."""
    env = {"ADVISOR_DATA_DIR": str(data_dir), "ADVISOR_EMBEDDING_BACKEND": "torch"}

    def invoke(*args: str, stdin: str | None = None):
        return CliRunner().invoke(app, list(args), env=env, input=stdin)

    return invoke


def test_ask_json_is_the_answer_model_with_resolving_citations(run):
    result = run("ask", "--json", "Should a regulated bank build or buy ML monitoring?")
    assert result.exit_code == 0, result.output
    answer = json.loads(result.stdout)
    assert answer["component"] == "ml-monitoring" and answer["verdict"] in ("build", "buy", "hybrid", "depends")
    assert "regulated" in answer["conditions"]
    numbers = {c["n"] for c in answer["citations"]}
    assert numbers and all(f"[{n}]" in answer["text"] for n in numbers)


def test_ask_with_an_empty_question_exits_2_with_a_hint(run):
    result = run("ask", "   ")
    assert result.exit_code == 2
    assert "error: the question is empty" in result.output and "hint:" in result.output


def test_chat_keeps_the_thread_until_new(run, data_dir):
    lines = ["Should we build or buy a feature store?",
             "what if we are a regulated bank?",  # a follow-up: still the feature store
             "/new",
             "what if we are a regulated bank?",  # no thread any more: answered across the components
             "   ",
             "/quit"]
    script = "".join(f"{line}\n" for line in lines)
    result = run("chat", stdin=script)
    assert result.exit_code == 0, result.output
    assert "(new conversation)" in result.output
    assert "[REFUSED]" not in result.output, result.output  # a what-if with no component is in scope
    assert result.output.count("[GUIDANCE]") == 1, result.output  # ... and answered without a verdict

    store = Store(data_dir / "advisor.sqlite")
    rows = store._conn().execute("SELECT id FROM conversations WHERE channel='cli' ORDER BY created").fetchall()
    assert len(rows) == 2  # /new started a second conversation
    first = store.turns(rows[0]["id"])
    assert [t["answer"]["component"] for t in first] == ["feature-store", "feature-store"]
    assert "regulated" in first[1]["answer"]["conditions"]


def test_feedback_export_writes_every_row_as_csv(run, data_dir, tmp_path):
    asked = json.loads(run("ask", "--json", "Should we build or buy model serving?").stdout)
    store = Store(data_dir / "advisor.sqlite")
    store.add_feedback(asked["conversation_id"], asked["turn"], "down", 'too vague, "really"', channel="cli")
    store.add_feedback(asked["conversation_id"], asked["turn"], "up", "", channel="api")

    out = tmp_path / "feedback.csv"
    result = run("feedback", "export", "--out", str(out))
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(out.read_text())))
    assert [r["rating"] for r in rows] == ["down", "up"]
    assert rows[0]["comment"] == 'too vague, "really"' and rows[0]["verdict"] == asked["verdict"]
    assert rows[0]["question"] == "Should we build or buy model serving?"

    to_stdout = run("feedback", "export")
    assert to_stdout.exit_code == 0
    assert list(csv.DictReader(io.StringIO(to_stdout.stdout))) == rows
