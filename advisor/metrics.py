"""Prometheus metrics for the HTTP doors, each app with its own registry so apps never collide."""

from __future__ import annotations

import time

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)

from .models import Answer


class Metrics:
    """Request counts, latency histogram and verdict counts for one app."""

    content_type = CONTENT_TYPE_LATEST

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.requests = Counter("advisor_http_requests_total", "HTTP requests by route, method and status.",
                                ["method", "route", "status"], registry=self.registry)
        self.latency = Histogram("advisor_http_request_duration_seconds", "HTTP request latency by route.",
                                 ["method", "route"], registry=self.registry,
                                 buckets=(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60))
        self.answers = Counter("advisor_answers_total", "Answers given, by door and verdict.",
                               ["door", "verdict"], registry=self.registry)
        self.ready = Gauge("advisor_ready", "1 when the knowledge index is loaded.", registry=self.registry)

    def answer(self, door: str, answer: Answer) -> None:
        """Count one answer under its verdict ('refused' or 'none' when it has no verdict)."""
        self.answers.labels(door, answer.verdict or ("refused" if answer.refused else "none")).inc()

    def render(self) -> bytes:
        return generate_latest(self.registry)


SCOPE_KEY = "advisor.metrics"


def metrics_of(scope: dict) -> Metrics | None:
    """The Metrics of the app serving this request (set by MetricsMiddleware), for doors mounted inside it."""
    found = scope.get(SCOPE_KEY)
    return found if isinstance(found, Metrics) else None


class MetricsMiddleware:
    """Pure ASGI middleware: times each HTTP request and counts it under its route template.

    It also marks each request's scope with its Metrics, so a door mounted in the app (the Gradio UI)
    counts its answers in the same registry.
    """

    def __init__(self, app, metrics: Metrics):
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope, receive, send):
        if scope["type"] in ("http", "websocket"):
            scope[SCOPE_KEY] = self.metrics
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        status = {"code": 500}
        start = time.perf_counter()

        async def send_wrapper(message):
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_wrapper)
        finally:
            route = _route_label(scope)
            self.metrics.requests.labels(scope["method"], route, str(status["code"])).inc()
            self.metrics.latency.labels(scope["method"], route).observe(time.perf_counter() - start)


def _route_label(scope) -> str:
    # The route template, never the raw path: ids in paths would make one series per conversation.
    route = scope.get("route")
    path = getattr(route, "path", None)
    if path is None:
        return "unmatched"
    return path or "/"
