"""OpenAI-compatible chat completions, so existing chat clients can use the advisor as a model."""

from __future__ import annotations

import hashlib
import json
import logging
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Iterator

from fastapi import APIRouter, Depends
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from .api import Text
from .errors import AdvisorError, InputError, NotFoundError
from .models import Answer

log = logging.getLogger("advisor.openai")
MODEL_ID = "build-or-buy-advisor"
MODEL_IDS = (MODEL_ID, "advisor")
"""The model names this server answers to: the documented one, and the short one early clients used."""
MAX_REPLAY = 8


class ModelNotFoundError(NotFoundError):
    """A chat completion asked for a model this server does not offer (OpenAI's `model_not_found`)."""

    code, param = "model_not_found", "model"

    def __init__(self, model: str):
        super().__init__(f"the model {model!r} does not exist on this server",
                         f"use one of: {', '.join(MODEL_IDS)}; GET /v1/models lists them")


class ContentPart(BaseModel):
    """One OpenAI content part; only `text` parts are read, others (images, ...) are accepted and ignored."""

    model_config = ConfigDict(extra="allow")
    type: Text
    text: Text | None = None


class ChatMessage(BaseModel):
    """One chat message; content is text or a list of OpenAI content parts."""

    model_config = ConfigDict(extra="allow")
    role: Text
    content: Text | list[ContentPart] | None = None

    def text(self) -> str:
        if isinstance(self.content, list):
            return "".join(p.text or "" for p in self.content if p.type == "text")
        return self.content or ""


class ChatRequest(BaseModel):
    """An OpenAI chat completion request; unknown OpenAI fields (temperature, ...) are accepted and ignored."""

    model_config = ConfigDict(extra="allow")
    model: Text = Field(MODEL_ID, description="One of the ids GET /v1/models lists.",
                        json_schema_extra={"enum": list(MODEL_IDS)})
    messages: list[ChatMessage] = Field(min_length=1)
    stream: bool = False
    conversation_id: Text | None = Field(None, description="Advisor extension: continue this conversation.")


class Conversations:
    """Maps a chat's user messages so far to its advisor conversation, so resent histories continue it."""

    def __init__(self, size: int = 2048):
        self._map: OrderedDict[str, tuple[str, int]] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    @staticmethod
    def key(questions: list[str]) -> str:
        return hashlib.sha256(json.dumps(questions).encode()).hexdigest()

    def get(self, questions: list[str]) -> tuple[str, int] | None:
        with self._lock:
            return self._map.get(self.key(questions))

    def put(self, questions: list[str], cid: str, turn: int) -> None:
        with self._lock:
            self._map[self.key(questions)] = (cid, turn)
            self._map.move_to_end(self.key(questions))
            while len(self._map) > self._size:
                self._map.popitem(last=False)


def _extras(answer: Answer) -> dict:
    return {"conversation_id": answer.conversation_id,
            "advisor": answer.model_dump(mode="json", include={"verdict", "component", "conditions", "citations",
                                                                "refused", "turn", "flagged"})}


def openai_router(advisor, metrics, guard) -> APIRouter:
    """The /v1 routes: chat completions (stream and non-stream) and the model list."""
    router = APIRouter(prefix="/v1", dependencies=[Depends(guard)], tags=["openai"])
    chats = Conversations()

    def conversation_for(questions: list[str], explicit: str | None) -> str | None:
        if explicit:
            return explicit
        prior = questions[:-1]
        if not prior:
            return None
        hit = chats.get(prior)
        if hit:
            cid, turn = hit
            turns = advisor.store.turns(cid) if advisor.store.exists(cid) else []
            if turns and turns[-1]["turn"] == turn:  # not moved on by an edited or branched history
                return cid
        # Unknown history (a restart, another server): rebuild the conversation from its questions.
        cid = advisor.store.create_conversation("openai")
        for q in prior[-MAX_REPLAY:]:
            try:
                advisor.ask(q, cid, channel="openai")
            except InputError:
                continue
        return cid

    def prepare(body: ChatRequest) -> tuple[list[str], str | None]:
        if body.model not in MODEL_IDS:
            raise ModelNotFoundError(body.model)
        questions = [m.text() for m in body.messages if m.role == "user"]
        if body.messages[-1].role != "user" or not questions:
            raise InputError("the last message must be from the user", "end messages with {'role': 'user', ...}")
        advisor.validate(questions[-1])
        if body.conversation_id:
            advisor.store.state(body.conversation_id)  # an unknown id raises NotFoundError with its hint
        return questions, conversation_for(questions, body.conversation_id)

    @router.get("/models")
    def models() -> dict:
        """The model names this server answers to (any other name gets 404 `model_not_found`)."""
        return {"object": "list", "data": [{"id": m, "object": "model", "created": 0, "owned_by": "advisor"}
                                           for m in MODEL_IDS]}

    @router.post("/chat/completions")
    async def chat_completions(body: ChatRequest):
        """OpenAI-compatible chat: the last user message is the question; earlier ones give the context."""
        questions, cid = await run_in_threadpool(prepare, body)
        rid, created = f"chatcmpl-{uuid.uuid4().hex}", int(time.time())

        def finish(answer: Answer) -> None:
            metrics.answer("openai", answer)
            chats.put(questions, answer.conversation_id, answer.turn)

        if not body.stream:
            answer = await run_in_threadpool(advisor.ask, questions[-1], cid, "openai")
            finish(answer)
            words = len(answer.text.split())
            return {"id": rid, "object": "chat.completion", "created": created, "model": body.model,
                    "choices": [{"index": 0, "message": {"role": "assistant", "content": answer.text},
                                 "finish_reason": "stop", "logprobs": None}],
                    "usage": {"prompt_tokens": sum(len(q.split()) for q in questions), "completion_tokens": words,
                              "total_tokens": sum(len(q.split()) for q in questions) + words},
                    **_extras(answer)}

        def chunk(delta: dict, finish_reason: str | None = None, **extra) -> str:
            data = {"id": rid, "object": "chat.completion.chunk", "created": created, "model": body.model,
                    "choices": [{"index": 0, "delta": delta, "finish_reason": finish_reason, "logprobs": None}],
                    **extra}
            return f"data: {json.dumps(data, ensure_ascii=False)}\n\n"

        def events() -> Iterator[str]:
            yield chunk({"role": "assistant", "content": ""})
            try:
                for piece in advisor.stream(questions[-1], cid, channel="openai"):
                    if isinstance(piece, Answer):
                        finish(piece)
                        yield chunk({}, "stop", **_extras(piece))
                    else:
                        yield chunk({"content": piece})
            except AdvisorError as exc:
                err = {"message": str(exc), "type": type(exc).__name__, "code": type(exc).__name__}
                yield f"data: {json.dumps({'error': err})}\n\n"
            except Exception:  # a bug: logged here, never sent (the 200 is out, so it goes in the stream)
                log.exception("chat completion stream failed")
                err = {"message": "internal error", "type": "InternalError", "code": "InternalError"}
                yield f"data: {json.dumps({'error': err})}\n\n"
            yield "data: [DONE]\n\n"

        return StreamingResponse(events(), media_type="text/event-stream", headers={"Cache-Control": "no-cache"})

    return router
