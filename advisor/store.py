"""The store for conversations, turns and feedback, shared by every door and every worker.

SQLite in the data dir by default (WAL mode); any SQLAlchemy URL (ADVISOR_DATABASE_URL, e.g. Postgres)
when several workers or machines must share it. Each write is one transaction, so a worker killed
mid-answer leaves either the whole turn or none of it.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import time
import uuid
from pathlib import Path

from sqlalchemy import exc, text

from .database import Database, DatabaseUnavailableError, database
from .errors import AdvisorError, InputError, NotFoundError
from .models import Answer
from .planning import ConversationState

log = logging.getLogger("advisor.store")
MAX_TURN = 2**31 - 1
UNKNOWN_HINT = "omit conversation_id to start a new one"


class ConversationBusyError(AdvisorError):
    """Another answer in the same conversation took the turn this one was written for."""

    http_status = 409
    exit_code = 1


def _utf8(text: str) -> str:
    """Text every database can bind: unpaired surrogates (from JSON escapes) become '?' instead of an
    encode error, and NUL (which Postgres text cannot hold) becomes U+FFFD."""
    if not isinstance(text, str):
        return text
    return text.encode("utf-8", "replace").decode("utf-8").replace("\x00", "\ufffd")


class Store:
    """Thread-safe access to the advisor's database: a path (SQLite) or an SQLAlchemy URL."""

    def __init__(self, target: Path | str):
        self.db: Database = database(target)
        self.path = target if isinstance(target, Path) else None
        try:
            self.db.ensure_schema()
        except DatabaseUnavailableError as error:
            if self.path is not None:
                raise
            # A server that is down at start-up: serve anyway (503 until it is back), create the schema then.
            log.warning("%s; the schema will be created when it is reachable", error.message)

    def _conn(self) -> _RawSQL:
        """sqlite3-style access for maintenance and tests: `_conn().execute(sql, params).fetchall()`."""
        return _RawSQL(self.db)

    def _one(self, sql: str, **params):
        with self.db.connect() as c:
            return c.execute(text(sql), params).mappings().first()

    def create_conversation(self, channel: str = "", external_key: str | None = None) -> str:
        cid = uuid.uuid4().hex
        now = time.time()
        with self.db.begin() as c:
            c.execute(text("INSERT INTO conversations (id, created, updated, state, channel, external_key) "
                           "VALUES (:id, :now, :now, :state, :channel, :key)"),
                      {"id": cid, "now": now, "state": ConversationState().model_dump_json(), "channel": channel,
                       "key": external_key})
        return cid

    def conversation_for(self, external_key: str, channel: str) -> str:
        """The conversation bound to an outside key (a Slack thread), created on first use."""
        external_key = _utf8(external_key)
        query = "SELECT id FROM conversations WHERE external_key=:key"
        row = self._one(query, key=external_key)
        if row:
            return row["id"]
        try:
            return self.create_conversation(channel, external_key)
        except exc.IntegrityError:  # created concurrently (another thread, worker or machine)
            return self._one(query, key=external_key)["id"]

    def exists(self, cid: str) -> bool:
        return self._one("SELECT 1 AS one FROM conversations WHERE id=:id", id=_utf8(cid)) is not None

    def state(self, cid: str) -> ConversationState:
        cid = _utf8(cid)
        row = self._one("SELECT state FROM conversations WHERE id=:id", id=cid)
        if row is None:
            raise NotFoundError(f"unknown conversation id: {cid}", UNKNOWN_HINT)
        return ConversationState.model_validate_json(row["state"])

    def add_turn(self, cid: str, state: ConversationState, question: str, answer: Answer) -> None:
        now = time.time()
        try:
            with self.db.begin() as c:
                c.execute(text("UPDATE conversations SET state=:state, updated=:now WHERE id=:id"),
                          {"state": state.model_dump_json(), "now": now, "id": cid})
                c.execute(text("INSERT INTO turns (conversation_id, n, question, answer, created) "
                               "VALUES (:id, :n, :q, :a, :now)"),
                          {"id": cid, "n": answer.turn, "q": _utf8(question), "a": _utf8(answer.model_dump_json()),
                           "now": now})
        except exc.IntegrityError as error:
            # Only another worker can get here (the Advisor serialises a conversation's turns in-process).
            raise ConversationBusyError(f"conversation {cid} already has a turn {answer.turn}: another answer in "
                                        "it was written at the same time", "ask the question again") from error

    def turns(self, cid: str, last: int | None = None) -> list[dict]:
        """The conversation's turns in order; only the `last` few when given (the chain's history)."""
        cid = _utf8(cid)
        if not self.exists(cid):
            raise NotFoundError(f"unknown conversation id: {cid}", UNKNOWN_HINT)
        sql = "SELECT n, question, answer, created FROM turns WHERE conversation_id=:id ORDER BY n DESC"
        params: dict = {"id": cid}
        if last is not None:
            sql, params["last"] = sql + " LIMIT :last", max(0, last)
        with self.db.connect() as c:
            rows = c.execute(text(sql), params).mappings().all()
        return [{"turn": r["n"], "question": r["question"], "answer": json.loads(r["answer"]),
                 "created": r["created"]} for r in reversed(rows)]

    def add_feedback(self, cid: str, turn: int, rating: str, comment: str = "", channel: str = "") -> int:
        if rating not in ("up", "down"):
            raise InputError(f"rating must be 'up' or 'down', not {rating!r}", "send rating: up|down")
        cid, comment = _utf8(cid), _utf8(comment or "")
        if not 0 <= turn <= MAX_TURN:  # database integers are bounded: a huge turn would overflow
            raise NotFoundError(f"conversation {cid} has no turn {turn}", "use the turn number of an answer")
        row = self._one("SELECT question, answer FROM turns WHERE conversation_id=:id AND n=:n", id=cid, n=turn)
        if row is None:
            if not self.exists(cid):
                raise NotFoundError(f"unknown conversation id: {cid}", "use the conversation_id of an answer")
            raise NotFoundError(f"conversation {cid} has no turn {turn}", "use the turn number of an answer")
        ans = json.loads(row["answer"])
        with self.db.begin() as c:
            new = c.execute(text(
                "INSERT INTO feedback (conversation_id, turn, rating, comment, question, answer, verdict, citations,"
                " channel, created) VALUES (:id, :n, :rating, :comment, :q, :a, :verdict, :citations, :channel,"
                " :now) RETURNING id"),
                {"id": cid, "n": turn, "rating": rating, "comment": comment, "q": row["question"],
                 "a": ans.get("text", ""), "verdict": ans.get("verdict"),
                 "citations": json.dumps(ans.get("citations", [])), "channel": channel, "now": time.time()})
            return int(new.scalar_one())

    def set_feedback_comment(self, feedback_id: int, comment: str) -> None:
        """Attach (or replace) the comment of a feedback row recorded earlier (the UI asks after the click)."""
        with self.db.begin() as c:
            cur = c.execute(text("UPDATE feedback SET comment=:comment WHERE id=:id"),
                            {"comment": _utf8(comment or ""), "id": feedback_id})
        if cur.rowcount == 0:
            raise NotFoundError(f"no feedback row {feedback_id}", "rate the answer first, then add a comment")

    def feedback(self) -> list[dict]:
        with self.db.connect() as c:
            return [dict(r) for r in c.execute(text("SELECT * FROM feedback ORDER BY id")).mappings()]

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
            with self.db.begin() as c:
                c.execute(text("INSERT INTO events (key, created) VALUES (:key, :now)"),
                          {"key": _utf8(key), "now": time.time()})
            return False
        except exc.IntegrityError:
            return True


class _Row(tuple):
    """A result row readable by position or by column name, like sqlite3.Row."""

    names: tuple[str, ...] = ()

    def __getitem__(self, key):
        return tuple.__getitem__(self, self.names.index(key) if isinstance(key, str) else key)


class _RawSQL:
    """Runs one statement in the driver's own parameter style and keeps its rows (committed at once)."""

    def __init__(self, db: Database):
        self.db, self.rows = db, []

    def execute(self, sql: str, params: tuple | dict = ()) -> _RawSQL:
        with self.db.begin() as c:
            result = c.exec_driver_sql(sql, params)
            if result.returns_rows:
                names = tuple(result.keys())
                self.rows = [type("Row", (_Row,), {"names": names})(r) for r in result]
        return self

    def fetchone(self):
        return self.rows[0] if self.rows else None

    def fetchall(self) -> list:
        return list(self.rows)
