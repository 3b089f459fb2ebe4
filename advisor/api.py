"""The HTTP door: FastAPI app serving the JSON API, SSE, OpenAI-compatible chat, metrics, Slack and the UI."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse, Response, StreamingResponse
from fastapi_offline import FastAPIOffline
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictInt, StrictStr
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match, Mount

from .errors import AdvisorError, IndexNotReadyError, InputError, NotFoundError
from .guard import BodyLimitMiddleware, Guard
from .metrics import Metrics, MetricsMiddleware
from .models import Answer
from .settings import Settings

log = logging.getLogger("advisor.api")
_UNION_TAG = re.compile(r"[\w-]+\[.*\]")
VERSION = "0.1.0"


def _unicode_text(value: str) -> str:
    # JSON may carry lone surrogates ("\ud800"); they cannot be stored, embedded or sent back as UTF-8.
    if any("\ud800" <= ch <= "\udfff" for ch in value):
        raise ValueError("must be valid Unicode text (it has unpaired surrogate code points)")
    return value


Text = Annotated[StrictStr, AfterValidator(_unicode_text)]
"""A JSON string field that is valid Unicode: a clear 422 instead of a failure deep in the chain."""


class BodyNotJSONError(InputError):
    """The request body cannot be read as JSON at all (malformed, empty, or another content type)."""

    http_status = 400


class AskRequest(BaseModel):
    """A question, optionally continuing a conversation."""

    model_config = ConfigDict(extra="forbid")
    question: Text = Field(description="The build-or-buy question (1 to 4,000 characters).")
    conversation_id: Text | None = Field(None, description="From an earlier answer, to ask a follow-up.")


class AskResponse(Answer):
    """The Answer, with its text also under `answer`."""

    answer: str


class FeedbackRequest(BaseModel):
    """A thumbs up or down on one answer."""

    model_config = ConfigDict(extra="forbid")
    conversation_id: Text
    turn: StrictInt = Field(ge=0, le=2**31 - 1, description="The `turn` of the answer rated.")
    rating: Literal["up", "down"]
    comment: Text = Field("", max_length=4000)


def answer_json(answer: Answer) -> dict:
    """The API's JSON for an Answer: every field, plus `answer` holding the text."""
    return AskResponse(**answer.model_dump(), answer=answer.text).model_dump(mode="json")


_REQUEST_ERRORS = ("InputError", "ValidationError", "NotFoundError", "BodyNotJSONError", "ModelNotFoundError")


def error_body(request: Request, name: str, message: str, hint: str | None, *, code: str | None = None,
               param: str | None = None, **extra) -> dict:
    """One JSON error shape per door: ours for /api, OpenAI's for /v1 (so OpenAI clients show it).

    `code` and `param` fill OpenAI's fields of those names (default: the error's name, and null).
    """
    if request.url.path.startswith("/v1/"):
        kind = "invalid_request_error" if name in _REQUEST_ERRORS else name
        return {"error": {"message": f"{message} ({hint})" if hint else message, "type": kind,
                          "code": code or name, "param": param, **extra}}
    return {"error": name, "message": message, "hint": hint, **extra}


def _validation_message(exc: RequestValidationError) -> tuple[str, list[dict]]:
    details = []
    for err in exc.errors():
        # Union members show up in the location as tags like "function-after[...]" or "list[ContentPart]".
        loc = [str(p) for p in err.get("loc", ()) if p != "body" and not _UNION_TAG.fullmatch(str(p))]
        details.append({"field": ".".join(loc) or "body", "problem": err.get("msg", "invalid"),
                        "type": err.get("type", "")})
    text = "; ".join(f"{d['field']}: {d['problem']}" for d in details) or "the request is invalid"
    return f"invalid request: {text}", details


NOT_JSON_HINT = "send a JSON object with Content-Type: application/json; the schema is at /openapi.json"


def _not_json(request: Request, exc: RequestValidationError) -> BodyNotJSONError | None:
    """The 400 for a body that is not JSON at all (rather than JSON of the wrong shape, a 422)."""
    hint = NOT_JSON_HINT
    for err in exc.errors():
        loc = tuple(err.get("loc", ()))
        if err.get("type") == "json_invalid":
            why = (err.get("ctx") or {}).get("error", "JSON decode error")
            where = f" at character {loc[1]}" if len(loc) > 1 else ""
            return BodyNotJSONError(f"the body is not valid JSON: {why}{where}", hint)
        if loc == ("body",) and isinstance(err.get("input"), bytes | bytearray):
            kind = request.headers.get("content-type")
            return BodyNotJSONError(f"the body is not JSON (it was sent as {kind})" if kind else
                                    "the body is not JSON (it was sent without a Content-Type)", hint)
        if loc == ("body",) and err.get("type") == "missing":
            return BodyNotJSONError("the request has no body", hint)
    return None


def _first(gen: Iterator) -> tuple[bool, object]:
    # StopIteration cannot cross a thread pool future, so report exhaustion as a flag.
    try:
        return True, next(gen)
    except StopIteration:
        return False, None


def sse(event: str, data: dict) -> str:
    """One server-sent event; data is one JSON line so newlines in text never break the framing."""
    return f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


def create_app(settings: Settings, advisor=None, *, mount_ui: bool = True) -> FastAPI:
    """Build the one FastAPI app: API, OpenAI-compatible chat, metrics, Slack, and the Gradio UI at '/'."""
    if advisor is None:
        from .chain import Advisor

        advisor = Advisor(settings)
    metrics = Metrics()
    guard = Guard(settings)
    # FastAPIOffline serves /docs and /redoc with assets from its own package: they render with no network.
    app = FastAPIOffline(title="Build-or-Buy Advisor", version=VERSION,
                         description="Grounded, cited answers to 'should we build or buy this ML/AI infrastructure?'")
    app.state.advisor, app.state.settings, app.state.metrics = advisor, settings, metrics
    _add_error_handlers(app)

    @app.get("/healthz", tags=["health"])
    def healthz() -> dict:
        """Liveness: the process answers."""
        return {"status": "ok"}

    @app.get("/readyz", tags=["health"])
    def readyz():
        """Readiness: the knowledge index is loaded and the database answers."""
        try:
            advisor.store.db.ping()
        except AdvisorError as exc:  # DatabaseUnavailableError: take this worker out of rotation until it is back
            return JSONResponse({"ready": False, **exc.to_dict()}, status_code=exc.http_status)
        ready = advisor.ready
        metrics.ready.set(1 if ready else 0)
        if ready:
            return {"ready": True, "chunks": len(advisor.retriever.corpus)}
        err = IndexNotReadyError("the knowledge index is empty", "run `advisor ingest` (or `make run`) first")
        return JSONResponse({"ready": False, **err.to_dict()}, status_code=503)

    api = APIRouter(prefix="/api/v1", dependencies=[Depends(guard)], tags=["advisor"])

    @api.post("/ask", response_model=AskResponse)
    def ask(body: AskRequest) -> dict:
        """Ask a question; pass the returned conversation_id to ask a follow-up."""
        answer = advisor.ask(body.question, body.conversation_id, channel="api")
        metrics.answer("api", answer)
        return answer_json(answer)

    @api.post("/ask/stream", response_class=StreamingResponse,
              responses={200: {"content": {"text/event-stream": {}},
                               "description": "`token` events ({text}), then one `answer` event (the Answer)."}})
    async def ask_stream(body: AskRequest):
        """The same as /ask as server-sent events: `token` events, then a final `answer` event."""
        gen = advisor.stream(body.question, body.conversation_id, channel="api")
        # Run up to the first piece before answering 200, so bad input still gets a 4xx JSON error.
        has, first = await run_in_threadpool(_first, gen)

        def events() -> Iterator[str]:
            piece, more = first, has
            try:
                while more:
                    if isinstance(piece, Answer):
                        metrics.answer("api", piece)
                        yield sse("answer", answer_json(piece))
                    else:
                        yield sse("token", {"text": piece})
                    more, piece = _first(gen)
            except AdvisorError as exc:
                yield sse("error", exc.to_dict())
            except Exception:
                log.exception("stream failed")
                yield sse("error", {"error": "InternalError", "message": "the answer failed", "hint": None})

        return StreamingResponse(events(), media_type="text/event-stream",
                                 headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})

    @api.get("/conversations/{conversation_id}")
    def conversation(conversation_id: str) -> dict:
        """Every turn of a conversation: question and Answer."""
        return {"conversation_id": conversation_id, "turns": advisor.store.turns(conversation_id)}

    @api.post("/feedback", status_code=201)
    def feedback(body: FeedbackRequest) -> dict:
        """Record a thumbs up or down (and an optional comment) on one answer."""
        fid = advisor.store.add_feedback(body.conversation_id, body.turn, body.rating, body.comment, channel="api")
        return {"id": fid, "ok": True}

    @api.get("/sources")
    def sources() -> list[dict]:
        """The indexed documents with their chunk counts."""
        return [vars(s) for s in advisor.sources()]

    app.include_router(api)

    @app.get("/metrics", dependencies=[Depends(guard)], tags=["health"], response_class=Response)
    def prometheus() -> Response:
        """Prometheus metrics: request counts, latency histogram, verdict counts."""
        metrics.ready.set(1 if advisor.ready else 0)
        return Response(metrics.render(), media_type=metrics.content_type)

    from .openai_api import openai_router
    from .slack import mount_slack

    app.include_router(openai_router(advisor, metrics, guard))
    from .takeaways_api import takeaways_router

    app.include_router(takeaways_router(advisor, guard))
    mount_slack(app, advisor, settings, metrics)

    @app.api_route("/api/{rest:path}", methods=["GET", "POST", "PUT", "PATCH", "DELETE"], include_in_schema=False)
    @app.api_route("/v1/{rest:path}", methods=["GET", "POST", "PUT", "PATCH", "DELETE"], include_in_schema=False)
    def no_route(request: Request):
        # Without this the UI mounted at "/" would answer unknown API paths with its own 404.
        allowed = _allowed_methods(app, request.scope)
        if allowed:
            raise StarletteHTTPException(405, f"{request.method} is not allowed on {request.url.path}",
                                         headers={"Allow": ", ".join(allowed)})
        raise NotFoundError("no such API route", "see /docs for the routes")

    app.add_middleware(BodyLimitMiddleware, limit=settings.max_body_bytes)
    # Always installed, even with no origins: then it allows none, and its presence also switches off the
    # mounted Gradio app's own CORS, which echoes any Origin (with credentials) when the Host is not localhost.
    app.add_middleware(CORSMiddleware, allow_origins=settings.cors_origins, allow_methods=["GET", "POST"],
                       allow_headers=["Authorization", "Content-Type"])
    app.add_middleware(MetricsMiddleware, metrics=metrics)
    if mount_ui:
        _mount_ui(app, advisor, settings)
    return app


def _allowed_methods(app: FastAPI, scope: dict) -> list[str]:
    """The methods some real route (not a catch-all, not the UI mount) accepts on this path."""
    routes = [r for r in app.routes if not isinstance(r, Mount) and not getattr(r, "path", "").endswith("{rest:path}")]
    return [m for m in ("GET", "POST", "PUT", "PATCH", "DELETE")
            if any(r.matches({**scope, "method": m})[0] == Match.FULL for r in routes)]


def _mount_ui(app: FastAPI, advisor, settings: Settings) -> None:
    try:
        from . import ui
    except ImportError as exc:  # the UI is optional: the API and Slack still serve without it
        log.warning("no UI mounted: %s", exc)
        return
    import gradio as gr

    # Mounted last: routes added before the mount (API, docs, Slack) take precedence over "/".
    gr.mount_gradio_app(app, ui.build_ui(advisor, settings), path="/", theme=getattr(ui, "THEME", None),
                        css=getattr(ui, "CSS", None))


def _add_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(AdvisorError)
    async def advisor_error(request: Request, exc: AdvisorError):
        return JSONResponse(error_body(request, type(exc).__name__, exc.message, exc.hint,
                                       code=getattr(exc, "code", None), param=getattr(exc, "param", None)),
                            status_code=exc.http_status, headers=getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError):
        not_json = _not_json(request, exc)
        if not_json:
            return await advisor_error(request, not_json)
        message, details = _validation_message(exc)
        hint = "send JSON matching the schema at /openapi.json"
        return JSONResponse(error_body(request, "ValidationError", message, hint, details=details), status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        if exc.status_code == 400 and exc.detail == "There was an error parsing the body":
            # FastAPI's words for a body that is not UTF-8: the same error as any other body that is not JSON.
            return await advisor_error(request, BodyNotJSONError("the body is not valid JSON (it is not UTF-8 text)",
                                                                 NOT_JSON_HINT))
        name = {400: "BadRequest", 404: "NotFound", 405: "MethodNotAllowed"}.get(exc.status_code, "HTTPError")
        hint = {400: "send a UTF-8 JSON body matching the schema at /openapi.json", 404: "see /docs for the routes",
                405: "see /docs for the routes"}.get(exc.status_code)
        return JSONResponse(error_body(request, name, str(exc.detail), hint), status_code=exc.status_code,
                            headers=getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def internal_error(request: Request, exc: Exception):
        # A true bug: log the trace here, never send it to the client.
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return JSONResponse(error_body(request, "InternalError", "internal error", "the error was logged; retry "
                                       "or report it"), status_code=500)
