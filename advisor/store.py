"""SQLite store for conversations, turns and feedback, shared by every door (WAL mode)."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import threading
import time
import uuid
from pathlib import Path

from .errors import AdvisorError, InputError, NotFoundError
from .models import Answer
from .planning import ConversationState

SCHEMA = """
CREATE TABLE IF NOT EXISTS conversations (
  id TEXT PRIMARY KEY, created REAL NOT NULL, updated REAL NOT NULL, state TEXT NOT NULL,
  channel TEXT NOT NULL DEFAULT '', external_key TEXT UNIQUE);
CREATE TABLE IF NOT EXISTS turns (
  conversation_id TEXT NOT NULL REFERENCES conversations(id), n INTEGER NOT NULL,
  question TEXT NOT NULL, answer TEXT NOT NULL, created REAL NOT NULL,
  PRIMARY KEY (conversation_id, n));
CREATE TABLE IF NOT EXISTS feedback (
  id INTEGER PRIMARY KEY AUTOINCREMENT, conversation_id TEXT NOT NULL, turn INTEGER NOT NULL,
  rating TEXT NOT NULL CHECK (rating IN ('up', 'down')), comment TEXT NOT NULL DEFAULT '',
  question TEXT NOT NULL, answer TEXT NOT NULL, verdict TEXT, citations TEXT NOT NULL,
  channel TEXT NOT NULL DEFAULT '', created REAL NOT NULL);
CREATE TABLE IF NOT EXISTS events (key TEXT PRIMARY KEY, created REAL NOT NULL);
"""
MAX_TURN = 2**31 - 1


class ConversationBusyError(AdvisorError):
    """Another answer in the same conversation took the turn this one was written for."""

    http_status = 409
    exit_code = 1


def _utf8(text: str) -> str:
    """Text SQLite can bind: unpaired surrogates (from JSON escapes) become '?' instead of an encode error."""
    return text.encode("utf-8", "replace").decode("utf-8") if isinstance(text, str) else text


class Store:
    """Thread-safe access to the advisor's SQLite database."""

    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._local = threading.local()
        with self._conn() as c:
            c.execute("PRAGMA journal_mode=WAL")
            c.executescript(SCHEMA)

    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            conn.execute("PRAGMA busy_timeout=30000")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.row_factory = sqlite3.Row
            self._local.conn = conn
        return conn

    def create_conversation(self, channel: str = "", external_key: str | None = None) -> str:
        cid = uuid.uuid4().hex
        now = time.time()
        self._conn().execute(
            "INSERT INTO conversations (id, created, updated, state, channel, external_key) VALUES (?,?,?,?,?,?)",
            (cid, now, now, ConversationState().model_dump_json(), channel, external_key))
        return cid

    def conversation_for(self, external_key: str, channel: str) -> str:
        """The conversation bound to an outside key (a Slack thread), created on first use."""
        external_key = _utf8(external_key)
        row = self._conn().execute("SELECT id FROM conversations WHERE external_key=?", (external_key,)).fetchone()
        if row:
            return row["id"]
        try:
            return self.create_conversation(channel, external_key)
        except sqlite3.IntegrityError:  # created concurrently
            return self._conn().execute("SELECT id FROM conversations WHERE external_key=?",
                                        (external_key,)).fetchone()["id"]

    def exists(self, cid: str) -> bool:
        return self._conn().execute("SELECT 1 FROM conversations WHERE id=?", (_utf8(cid),)).fetchone() is not None

    def state(self, cid: str) -> ConversationState:
        cid = _utf8(cid)
        row = self._conn().execute("SELECT state FROM conversations WHERE id=?", (cid,)).fetchone()
        if row is None:
            raise NotFoundError(f"unknown conversation id: {cid}", "omit conversation_id to start a new one")
        return ConversationState.model_validate_json(row["state"])

    def add_turn(self, cid: str, state: ConversationState, question: str, answer: Answer) -> None:
        now = time.time()
        c = self._conn()
        c.execute("BEGIN IMMEDIATE")
        try:
            c.execute("UPDATE conversations SET state=?, updated=? WHERE id=?", (state.model_dump_json(), now, cid))
            c.execute("INSERT INTO turns (conversation_id, n, question, answer, created) VALUES (?,?,?,?,?)",
                      (cid, answer.turn, _utf8(question), answer.model_dump_json(), now))
            c.execute("COMMIT")
        except sqlite3.IntegrityError as exc:
            # Only another process can get here (the Advisor serialises a conversation's turns in-process).
            c.execute("ROLLBACK")
            raise ConversationBusyError(f"conversation {cid} already has a turn {answer.turn}: another answer in it "
                                        "was written at the same time", "ask the question again") from exc
        except BaseException:
            c.execute("ROLLBACK")
            raise

    def turns(self, cid: str, last: int | None = None) -> list[dict]:
        """The conversation's turns in order; only the `last` few when given (the chain's history)."""
        cid = _utf8(cid)
        if not self.exists(cid):
            raise NotFoundError(f"unknown conversation id: {cid}", "omit conversation_id to start a new one")
        rows = self._conn().execute("SELECT n, question, answer, created FROM turns WHERE conversation_id=? "
                                    "ORDER BY n DESC LIMIT ?", (cid, -1 if last is None else last)).fetchall()
        return [{"turn": r["n"], "question": r["question"], "answer": json.loads(r["answer"]),
                 "created": r["created"]} for r in reversed(rows)]

    def add_feedback(self, cid: str, turn: int, rating: str, comment: str = "", channel: str = "") -> int:
        if rating not in ("up", "down"):
            raise InputError(f"rating must be 'up' or 'down', not {rating!r}", "send rating: up|down")
        cid, comment = _utf8(cid), _utf8(comment or "")
        if not 0 <= turn <= MAX_TURN:  # SQLite integers are 64-bit: a huge turn would be an OverflowError
            raise NotFoundError(f"conversation {cid} has no turn {turn}", "use the turn number of an answer")
        row = self._conn().execute("SELECT question, answer FROM turns WHERE conversation_id=? AND n=?",
                                   (cid, turn)).fetchone()
        if row is None:
            if not self.exists(cid):
                raise NotFoundError(f"unknown conversation id: {cid}", "use the conversation_id of an answer")
            raise NotFoundError(f"conversation {cid} has no turn {turn}", "use the turn number of an answer")
        ans = json.loads(row["answer"])
        cur = self._conn().execute(
            "INSERT INTO feedback (conversation_id, turn, rating, comment, question, answer, verdict, citations,"
            " channel, created) VALUES (?,?,?,?,?,?,?,?,?,?)",
            (cid, turn, rating, comment or "", row["question"], ans.get("text", ""), ans.get("verdict"),
             json.dumps(ans.get("citations", [])), channel, time.time()))
        return int(cur.lastrowid)

    def set_feedback_comment(self, feedback_id: int, comment: str) -> None:
        """Attach (or replace) the comment of a feedback row recorded earlier (the UI asks after the click)."""
        cur = self._conn().execute("UPDATE feedback SET comment=? WHERE id=?", (_utf8(comment or ""), feedback_id))
        if cur.rowcount == 0:
            raise NotFoundError(f"no feedback row {feedback_id}", "rate the answer first, then add a comment")

    def feedback(self) -> list[dict]:
        rows = self._conn().execute("SELECT * FROM feedback ORDER BY id").fetchall()
        return [dict(r) for r in rows]

    def feedback_csv(self) -> str:
        rows = self.feedback()
        buf = io.StringIO()
        cols = ["id", "created", "channel", "conversation_id", "turn", "rating", "comment", "question",
                "verdict", "answer", "citations"]
        w = csv.DictWriter(buf, fieldnames=cols, extrasaction="ignore")
        w.writeheader()
        w.writerows(rows)
        return buf.getvalue()

    def seen_event(self, key: str) -> bool:
        """Record an outside event id; True when it was already recorded (a retry)."""
        try:
            self._conn().execute("INSERT INTO events (key, created) VALUES (?, ?)", (key, time.time()))
            return False
        except sqlite3.IntegrityError:
            return True
