"""The store and the shared rate limiter on SQLite (the default) and on a real Postgres server."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from pgserver import Postgres
from sqlalchemy import text

from advisor.database import DatabaseUnavailableError, database, migrate, url_for
from advisor.models import Answer
from advisor.planning import ConversationState
from advisor.ratelimit import DatabaseBucket
from advisor.store import ConversationBusyError, Store


@pytest.fixture(params=["sqlite", "postgres"])
def target(request, tmp_path) -> Path | str:
    if request.param == "sqlite":
        return tmp_path / "advisor.sqlite"
    pg = request.getfixturevalue("postgres")
    name = f"t{abs(hash(request.node.name)) % 10**8}"
    engine = database(pg.url).engine.execution_options(isolation_level="AUTOCOMMIT")
    with engine.connect() as c:
        c.execute(text(f"DROP DATABASE IF EXISTS {name}"))
        c.execute(text(f"CREATE DATABASE {name}"))
    return pg.url.rsplit("/", 1)[0] + "/" + name


def _answer(cid: str, turn: int) -> Answer:
    return Answer(text=f"answer {turn}", conversation_id=cid, turn=turn, generator="test")


def test_turns_feedback_and_events_round_trip(target):
    store = Store(target)
    cid = store.create_conversation("api")
    store.add_turn(cid, ConversationState(turns=1), "a question\x00 with NUL", _answer(cid, 1))
    assert [t["turn"] for t in store.turns(cid)] == [1] and store.state(cid).turns == 1
    assert store.turns(cid)[0]["question"] == "a question\ufffd with NUL"
    first = store.add_feedback(cid, 1, "up", "clear", channel="api")
    second = store.add_feedback(cid, 1, "down", channel="slack")
    store.set_feedback_comment(second, "too long")
    rows = store.feedback()
    assert [(r["id"], r["rating"], r["comment"]) for r in rows] == [(first, "up", "clear"), (second, "down", "too long")]
    assert store.feedback_csv().count("\n") == 3
    assert store.seen_event("slack:1") is False and store.seen_event("slack:1") is True
    assert store.conversation_for("thread-1", "slack") == store.conversation_for("thread-1", "slack")
    assert store._conn().execute("SELECT count(*) FROM conversations").fetchone()[0] == 2


def test_the_same_turn_from_two_workers_is_a_conflict_not_a_duplicate(target):
    one, other = Store(target), Store(target)
    cid = one.create_conversation()
    one.add_turn(cid, ConversationState(turns=1), "q", _answer(cid, 1))
    with pytest.raises(ConversationBusyError):
        other.add_turn(cid, ConversationState(turns=1), "q again", _answer(cid, 1))
    assert [t["question"] for t in other.turns(cid)] == ["q"]


def test_schema_creation_is_idempotent_and_versioned(target):
    Store(target)
    db = database(target)
    for _ in range(2):  # again, as a second worker or a restart would
        migrate(db.engine)
    with db.engine.connect() as c:
        assert c.execute(text("SELECT version_num FROM alembic_version")).scalars().all() == ["0001"]
        tables = {"conversations", "turns", "feedback", "events", "rate_limits"}
        for table in tables:
            c.execute(text(f"SELECT count(*) FROM {table}"))


def test_concurrent_callers_share_one_bucket(target):
    db = database(target)
    Store(target)
    buckets = [DatabaseBucket(db, 20, scope="test:", clock=lambda: 1000.0) for _ in range(4)]
    allowed = []

    def spend(bucket):
        for _ in range(10):
            allowed.append(bucket.take("caller") == 0)

    threads = [threading.Thread(target=spend, args=(b,)) for b in buckets]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert allowed.count(True) == 20 and len(allowed) == 40  # not 20 per bucket object
    now = [1000.0]
    later = DatabaseBucket(db, 20, scope="test:", clock=lambda: now[0])
    assert later.take("caller") == pytest.approx(3.0)  # 20 a minute: one token every 3 s
    now[0] += 3.0
    assert later.take("caller") == 0 and later.take("someone-else") == 0


def test_database_going_away_is_unavailable_then_recovers(tmp_path):
    pg = Postgres()
    try:
        pg.start()
        store = Store(pg.url)
        cid = store.create_conversation()
        pg.stop()
        with pytest.raises(DatabaseUnavailableError) as err:
            store.state(cid)
        assert err.value.http_status == 503 and "unavailable" in err.value.message
        assert "advisor@127.0.0.1" in err.value.message and "ADVISOR_DATABASE_URL" in err.value.hint
        pg.start()
        assert store.state(cid).turns == 0  # the pool replaced its dead connections by itself
    finally:
        pg.close()


def test_urls():
    assert url_for("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert url_for("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert url_for(Path("/x/a.sqlite")) == "sqlite:////x/a.sqlite"
