"""Request guards for the HTTP door: bearer-key auth, per-key rate limit, request body size limit.

The rate limits live in the advisor's database (advisor.ratelimit), so they hold in total across
workers and machines that share it; `TokenBucket` is the same algorithm in memory, for one process.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import math
import threading
import time

from fastapi import Request

from .errors import AdvisorError
from .settings import Settings

LIMITED_PREFIXES = ("/api/", "/v1/", "/slack/", "/metrics", "/gradio_api/upload")  # the UI has no file inputs
# Everything else (the Gradio UI's posts carry the chat history) gets this much, or the API limit if larger.
UI_BODY_LIMIT = 4_000_000
# Wrong or missing keys per client address and minute, whatever the rate limit: caps key guessing.
AUTH_FAILURES_PER_MINUTE = 30


class AuthError(AdvisorError):
    """The request has no API key or a wrong one."""

    http_status = 401

    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message, hint)
        self.headers = {"WWW-Authenticate": "Bearer"}


class RateLimitError(AdvisorError):
    """The caller sent more requests than its per-minute allowance."""

    http_status = 429

    def __init__(self, retry_after: int, limit: int, what: str = "requests"):
        super().__init__(f"rate limit exceeded: {limit} {what} per minute",
                         f"retry after {retry_after} s")
        self.headers = {"Retry-After": str(retry_after)}


class PayloadTooLargeError(AdvisorError):
    """The request body is over the configured size limit."""

    http_status = 413


class TokenBucket:
    """In-memory token buckets, one per caller: `per_minute` requests, refilled continuously."""

    def __init__(self, per_minute: int, clock=time.monotonic):
        self.capacity = per_minute
        self.rate = per_minute / 60.0
        self.clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def take(self, who: str) -> float:
        """Spend one token; return 0 when allowed, else the seconds until one is available."""
        if self.capacity <= 0:
            return 0.0
        now = self.clock()
        with self._lock:
            if len(self._buckets) > 10_000:
                self._forget_full(now)
            tokens, last = self._buckets.get(who, (float(self.capacity), now))
            tokens = min(self.capacity, tokens + (now - last) * self.rate)
            if tokens >= 1:
                self._buckets[who] = (tokens - 1, now)
                return 0.0
            self._buckets[who] = (tokens, now)
            return (1 - tokens) / self.rate

    def _forget_full(self, now: float) -> None:
        # A bucket that has refilled is the same as no bucket: dropping it keeps memory bounded by the
        # callers of the last minute, not every address ever seen.
        self._buckets = {k: (t, last) for k, (t, last) in self._buckets.items()
                         if t + (now - last) * self.rate < self.capacity}


class Guard:
    """FastAPI dependency: checks the bearer key (when keys are configured), then the caller's rate limit."""

    def __init__(self, settings: Settings):
        from .database import database
        from .ratelimit import DatabaseBucket

        self.keys = [k.encode() for k in settings.api_keys]
        self.limit = settings.rate_limit_per_minute
        db = database(settings.store_db)  # the store's database: shared by every worker that shares the store
        self.bucket = DatabaseBucket(db, self.limit, scope="req:")
        self.failures = DatabaseBucket(db, AUTH_FAILURES_PER_MINUTE, scope="auth:")

    def _reject(self, who: str, error: AuthError) -> AuthError | RateLimitError:
        """The auth error, or a 429 once this address has spent its allowance of failed attempts."""
        wait = self.failures.take(who)
        return RateLimitError(max(1, math.ceil(wait)), AUTH_FAILURES_PER_MINUTE, "failed authentications") \
            if wait > 0 else error

    def __call__(self, request: Request) -> str:
        who = f"ip:{request.client.host if request.client else 'unknown'}"
        if self.keys:
            scheme, _, token = request.headers.get("authorization", "").partition(" ")
            if scheme.lower() != "bearer" or not token.strip():
                raise self._reject(who, AuthError("missing API key", "send the header 'Authorization: Bearer KEY'"))
            given = token.strip().encode()
            # Compare against every key without stopping early, so timing reveals neither key nor position.
            matched = None
            for key in self.keys:
                if hmac.compare_digest(given, key):
                    matched = key
            if matched is None:
                raise self._reject(who, AuthError("invalid API key", "check the key against ADVISOR_API_KEYS"))
            who = "key:" + hashlib.sha256(matched).hexdigest()[:16]
        wait = self.bucket.take(who)
        if wait > 0:
            raise RateLimitError(max(1, math.ceil(wait)), self.limit)
        return who


class BodyLimitMiddleware:
    """Pure ASGI middleware: 413 for bodies over `limit` bytes on the API and Slack routes (UI: a larger cap)."""

    def __init__(self, app, limit: int):
        self.app = app
        self.limit = limit

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or self.limit <= 0:
            await self.app(scope, receive, send)
            return
        limit = self.limit if scope["path"].startswith(LIMITED_PREFIXES) else max(self.limit, UI_BODY_LIMIT)
        length = dict(scope.get("headers") or []).get(b"content-length")
        if length is not None and length.isdigit() and int(length) > limit:
            await self._reject(scope, send, int(length), limit)
            return
        # No trusted length (chunked): read up to the limit ourselves, then replay the body to the app.
        messages, total = [], 0
        while True:
            message = await receive()
            messages.append(message)
            if message["type"] != "http.request":
                break
            total += len(message.get("body", b""))
            if total > limit:
                await self._reject(scope, send, total, limit)
                return
            if not message.get("more_body", False):
                break

        async def replay():
            return messages.pop(0) if messages else await receive()

        await self.app(scope, replay, send)

    async def _reject(self, scope, send, size: int, limit: int) -> None:
        err = PayloadTooLargeError(f"the request body ({size}+ bytes) is larger than the limit of {limit} bytes",
                                   "send a smaller body, or raise ADVISOR_MAX_BODY_BYTES")
        body = json.dumps(err.to_dict()).encode()
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})
