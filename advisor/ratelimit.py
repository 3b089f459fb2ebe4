"""Token buckets kept in the shared database, so a limit holds across every worker and machine.

Each caller has one row (tokens, updated). Spending a token is a single conditional UPDATE that refills
and decrements in the database itself, so concurrent workers can never both spend the last token: the
database's row lock serialises them. Refill uses the workers' wall clocks (keep them in sync with NTP).
"""

from __future__ import annotations

import random
import time

from sqlalchemy import exc, text

from .database import Database

# tokens the row would hold now, capped at the bucket's capacity
_REFILLED = "CASE WHEN tokens + (:now - updated) * :rate > :cap THEN :cap ELSE tokens + (:now - updated) * :rate END"
_SPEND = text(f"UPDATE rate_limits SET tokens = {_REFILLED} - 1, updated = :now "
              f"WHERE key = :key AND {_REFILLED} >= 1")
_PEEK = text(f"SELECT {_REFILLED} AS tokens FROM rate_limits WHERE key = :key")
_CREATE = text("INSERT INTO rate_limits (key, tokens, updated) VALUES (:key, :cap - 1, :now)")
_FORGET = text("DELETE FROM rate_limits WHERE updated < :before")


class DatabaseBucket:
    """`per_minute` requests per caller, refilled continuously, shared through the database.

    The same contract as guard.TokenBucket: `take(who)` is 0 when allowed, else the seconds to wait.
    """

    def __init__(self, db: Database, per_minute: int, scope: str = "", clock=time.time):
        self.db = db
        self.capacity = per_minute
        self.rate = per_minute / 60.0
        self.scope = scope
        self.clock = clock

    def take(self, who: str) -> float:
        if self.capacity <= 0:
            return 0.0
        key = f"{self.scope}{who}"[:128]
        params = {"key": key, "now": self.clock(), "rate": self.rate, "cap": float(self.capacity)}
        for _ in range(3):
            with self.db.begin() as c:
                if c.execute(_SPEND, params).rowcount == 1:
                    self._sweep(c, params["now"])
                    return 0.0
                row = c.execute(_PEEK, params).first()
            if row is not None:
                if float(row.tokens) >= 1:
                    continue  # the row appeared (another worker's first request) after the UPDATE looked
                return (1 - float(row.tokens)) / self.rate
            try:
                with self.db.begin() as c:  # the caller's first request: a full bucket, less this one
                    c.execute(_CREATE, params)
                return 0.0
            except exc.IntegrityError:
                continue  # another worker created the row first: spend from it
        return 1.0 / self.rate

    def _sweep(self, conn, now: float) -> None:
        # A bucket idle for a minute is full again, the same as no row: dropping those now and then keeps
        # the table as small as the callers of the last minute.
        if random.random() < 0.01:
            conn.execute(_FORGET, {"before": now - 60.0})
