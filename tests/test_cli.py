"""The CLI door: in-process (typer's runner) and as a user runs it, the console script in a pipe or a terminal."""

from __future__ import annotations

import csv
import fcntl
import io
import json
import os
import pty
import re
import struct
import subprocess
import sys
import termios
from datetime import datetime
from pathlib import Path

import pytest
from conftest import ROOT
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


# -- the console script, as a user runs it ----------------------------------------------------------------
ADVISOR = Path(sys.executable).parent / "advisor"
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
ID_LINE = re.compile(r"^conversation: (\w+)  \(follow up with: advisor ask -c \1 \"QUESTION\"\)$", re.MULTILINE)
# Each run imports torch and LangChain afresh (10-20 s on a busy 2-core machine).
console_script = pytest.mark.slow


def script_env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("ADVISOR_") and k not in ("FORCE_COLOR", "NO_COLOR", "TTY_COMPATIBLE", "COLUMNS")}
    env.update(ADVISOR_DATA_DIR=str(data_dir), ADVISOR_KNOWLEDGE_DIR=str(ROOT / "knowledge"), HF_HUB_OFFLINE="1",
               TOKENIZERS_PARALLELISM="false", ANONYMIZED_TELEMETRY="False", TERM="xterm-256color")
    return env


def advisor_piped(data_dir: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    """`advisor ARGS` with stdout and stderr captured by pipes (cwd: the data dir, so no .env is read)."""
    return subprocess.run([str(ADVISOR), *args], cwd=data_dir, env=script_env(data_dir), input=stdin,
                          capture_output=True, text=True, check=False, timeout=600)


def advisor_on_a_terminal(data_dir: Path, *args: str) -> tuple[int, str, str]:
    """`advisor ARGS` with stdout on a pseudo-terminal 100 columns wide; (exit code, terminal output, stderr)."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 100, 0, 0))
    proc = subprocess.Popen([str(ADVISOR), *args], cwd=data_dir, env=script_env(data_dir), stdout=slave,
                            stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
    os.close(slave)
    seen = bytearray()
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        seen += chunk
    os.close(master)
    err = proc.stderr.read().decode()
    return proc.wait(timeout=600), seen.decode(), err


DOCUMENTED = {"answer", "text", "lead", "sections", "changed", "verdict", "provenance", "act", "component", "subject",
              "part", "components", "rows", "topic", "conditions", "citations", "refused", "flagged", "conversation_id",
              "turn", "generator", "timings"}


def documented_answer_fields() -> set[str]:
    """The names in docs/api.md's paragraph on the Answer (which the CLI docs point to for --json)."""
    text = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    paragraph = text[text.index("**The Answer.**"):].split("\n\n", 1)[0]
    return set(re.findall(r"`([a-z_]+)`", paragraph))


@console_script
def test_ask_in_a_pipe_is_plain_text_verdict_first_and_the_id_on_stderr_continues_it(data_dir):
    first = advisor_piped(data_dir, "ask", "Should a 4-person startup build a feature store?")
    assert first.returncode == 0, first.stderr
    lines = first.stdout.splitlines()
    assert lines[0] == "[BUY] feature store", lines[:3]
    assert not ANSI.search(first.stdout) and "**" not in first.stdout and "Recommendation:" not in first.stdout
    assert "Options to buy" in lines and "Sources" in lines and "[1]" in first.stdout
    assert "conversation:" not in first.stdout, "piping the answer gives the answer alone"
    match = ID_LINE.search(first.stderr)
    assert match, first.stderr
    assert "Warning" not in first.stderr and "Traceback" not in first.stderr

    follow = advisor_piped(data_dir, "ask", "--json", "-c", match[1], "What if we are regulated?")
    assert follow.returncode == 0, follow.stderr
    answer = json.loads(follow.stdout)
    assert answer["conversation_id"] == match[1] and answer["turn"] == 2
    assert answer["component"] == "feature-store" and "regulated" in answer["conditions"]
    assert set(answer) == DOCUMENTED and DOCUMENTED <= documented_answer_fields()
    assert answer["answer"] == answer["text"]


@console_script
def test_ask_on_a_terminal_renders_markdown_with_rich_verdict_first(data_dir):
    code, screen, err = advisor_on_a_terminal(data_dir, "ask", "Should a 4-person startup build a feature store?")
    assert code == 0, err
    assert ANSI.search(screen), "styled for a terminal"
    shown = ANSI.sub("", screen).replace("\r\n", "\n")
    lines = [line.rstrip() for line in shown.splitlines() if line.strip()]
    assert lines[0].split() == ["BUY", "feature", "store"], lines[:3]
    assert "**" not in shown and "Recommendation:" not in shown
    assert "• Feast" in shown and "Sources" in lines
    assert max(len(line) for line in shown.splitlines()) <= 100, "wrapped to the terminal's width"
    assert ID_LINE.search(ANSI.sub("", err))


@console_script
def test_ask_with_an_unknown_conversation_says_how_to_use_c(data_dir):
    result = advisor_piped(data_dir, "ask", "-c", "no-such-id", "What if we are regulated?")
    assert result.returncode == 3 and result.stdout == ""
    assert "error: unknown conversation id: no-such-id" in result.stderr
    assert "hint: leave out -c to start a new conversation" in result.stderr and "conversation_id" not in result.stderr


@console_script
def test_chat_shows_each_verdict_first_and_keeps_the_thread(data_dir):
    script = "Should we build or buy a feature store?\nwhat if we are a regulated bank?\n/quit\n"
    result = advisor_piped(data_dir, "chat", stdin=script)
    assert result.returncode == 0, result.stderr
    answers = result.stdout.split("you> ")[1:-1]
    assert len(answers) == 2, result.stdout
    for text in answers:
        assert re.match(r"\[(BUY|BUILD|HYBRID|DEPENDS)\] feature store\n", text), text[:200]
        assert "**" not in text and not ANSI.search(text)
    assert len(ID_LINE.findall(result.stderr)) == 1, "the id is shown once per conversation"


@console_script
def test_feedback_export_writes_iso_8601_utc_times(run, data_dir):
    result = run("ask", "--json", "Should we build or buy model serving?")
    assert result.exit_code == 0, (result.output, result.exception)
    asked = json.loads(result.stdout)
    Store(data_dir / "advisor.sqlite").add_feedback(asked["conversation_id"], asked["turn"], "up", "clear",
                                                    channel="cli")
    result = advisor_piped(data_dir, "feedback", "export")
    assert result.returncode == 0, result.stderr
    [row] = list(csv.DictReader(io.StringIO(result.stdout)))
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", row["created"]), row["created"]
    assert datetime.fromisoformat(row["created"]).year >= 2024
    assert row["rating"] == "up" and row["question"] == "Should we build or buy model serving?"
