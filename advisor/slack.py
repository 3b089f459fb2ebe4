"""The Slack door: mentions and DMs answered in-thread; /advisor answered privately with a button to share it to
the channel; thumbs feedback. The messages themselves are built in slack_blocks."""

from __future__ import annotations

import json
import logging
import re

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from slack_bolt import App, BoltResponse
from slack_bolt.adapter.fastapi import SlackRequestHandler
from slack_bolt.adapter.starlette.handler import to_bolt_request, to_starlette_response
from slack_sdk import WebClient
from slack_sdk.signature import SignatureVerifier
from starlette.concurrency import run_in_threadpool

from .errors import AdvisorError, NotFoundError
from .models import Answer
from .slack_blocks import (
    RECORD,
    SHARE,
    answer_blocks,
    answer_message,
    escape,
    headline,
    question_text,
    record_message,
    to_mrkdwn,
)
from .takeaways import Takeaways

log = logging.getLogger("advisor.slack")
CHANNEL = "slack"
__all__ = ["answer_blocks", "build_bolt", "escape", "headline", "mount_slack", "question_text", "to_mrkdwn"]


def build_bolt(advisor, settings, metrics=None) -> App:
    """The Bolt app: signature checks, retry de-duplication, listeners acked fast and answered lazily."""
    client = WebClient(token=settings.slack_bot_token, base_url=settings.slack_api_url or WebClient.BASE_URL)
    # process_before_response: the listener's ack is the HTTP response; the slow answer runs as a lazy
    # listener in a thread after it, so Slack gets its 200 within 3 s and never retries for a slow answer.
    bolt = App(client=client, signing_secret=settings.slack_signing_secret, process_before_response=True,
               token_verification_enabled=False)

    def answer(question: str, key: str | None) -> Answer:
        cid = advisor.store.conversation_for(key, CHANNEL) if key else None
        result = advisor.ask(question, cid, channel=CHANNEL)
        if metrics is not None:
            metrics.answer(CHANNEL, result)
        return result

    def reply(send, question: str, key: str | None, private: bool = False) -> None:
        """Answer and send it; a private (slash-command) answer shows the question and a share button."""
        try:
            result = answer(question, key)
            send(**(answer_message(result, question, share=True) if private else answer_message(result)))
        except AdvisorError as exc:
            send(text=escape(f"Sorry: {exc.message}" + (f" ({exc.hint})" if exc.hint else "")), blocks=None)
        except Exception:
            log.exception("slack answer failed")
            send(text="Sorry, something went wrong answering that; it was logged.", blocks=None)

    @bolt.middleware
    def drop_retries(req, resp, next):
        # Slack resends an event (X-Slack-Retry-Num) when it did not see our 200 in time; the event_id
        # is recorded on first sight, so a retry of an event already taken is acked and never answered.
        body = req.body if isinstance(req.body, dict) else {}
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if event_id and advisor.store.seen_event(f"slack:{event_id}"):
            return BoltResponse(status=200, body="")
        return next()

    def ack_only(ack):
        ack()

    def on_event(event, client, context):
        if event.get("bot_id") or event.get("subtype"):
            return
        if event.get("type") == "message" and event.get("channel_type") != "im":
            return  # channel messages are answered only when the bot is mentioned (app_mention)
        question = question_text(event.get("text", ""))
        thread = event.get("thread_ts") or event["ts"]
        key = f"slack:{context.get('team_id') or ''}:{event['channel']}:{thread}"

        def send(text, blocks):
            client.chat_postMessage(channel=event["channel"], thread_ts=thread, text=text, blocks=blocks)

        reply(send, question, key)

    bolt.event("app_mention")(ack=ack_only, lazy=[on_event])
    bolt.event("message")(ack=ack_only, lazy=[on_event])

    def ack_command(ack, command):
        try:
            question = advisor.validate(question_text(command.get("text", "")))
        except AdvisorError as exc:
            ack(response_type="ephemeral", text=escape(f"{exc.message}. Usage: /advisor QUESTION"))
            return
        ack(response_type="ephemeral", text=f"Thinking about: {escape(question)}")

    def on_command(command, respond):
        question = question_text(command.get("text", ""))
        try:
            advisor.validate(question)
        except AdvisorError:
            return  # already told in the ack

        def send(text, blocks):
            # Private until the asker shares it: a slash command's response_url cannot replace the
            # "Thinking about" acknowledgement, so the answer is a second ephemeral message under it.
            respond(text=text, blocks=blocks, response_type="ephemeral", replace_original=False)

        reply(send, question, None, private=True)

    bolt.command(re.compile(r"^/.+"))(ack=ack_command, lazy=[on_command])

    @bolt.action(re.compile(r"^advisor_feedback_(up|down)$"))
    def on_feedback(ack, action, respond):
        ack()
        rating = action["action_id"].rsplit("_", 1)[1]
        try:
            data = json.loads(action.get("value") or "{}")
            advisor.store.add_feedback(str(data["c"]), int(data["t"]), rating, channel=CHANNEL)
            text = "Thanks for the feedback."
        except (AdvisorError, KeyError, TypeError, ValueError, OverflowError) as exc:
            log.warning("slack feedback not recorded: %s", exc)
            text = "Sorry, that feedback could not be recorded."
        respond(text=text, response_type="ephemeral", replace_original=False)

    def stored_answer(value: str | None) -> tuple[str, Answer]:
        """The question and answer a button's value points at (the store's copy, not the message's)."""
        data = json.loads(value or "{}")
        cid, turn = str(data["c"]), int(data["t"])
        row = next((t for t in advisor.store.turns(cid) if t["turn"] == turn), None)
        if row is None:
            raise KeyError(turn)
        return row["question"], Answer.model_validate(row["answer"])

    def on_share(action, body, respond):
        # The private answer's own response_url: post the answer to the channel as a new message (with the
        # question and who asked), then delete the private copy; if Slack refuses the post, keep it and say so.
        try:
            question, result = stored_answer(action.get("value"))
        except (AdvisorError, KeyError, TypeError, ValueError, OverflowError, AttributeError) as exc:
            log.warning("slack share refused: %s", exc)
            result = None
        if result is None or result.refused:  # a refusal is never posted publicly
            respond(text="Sorry, that answer cannot be shared.", response_type="ephemeral", replace_original=False)
            return
        asker = (body.get("user") or {}).get("id")
        posted = respond(**answer_message(result, question, asker), response_type="in_channel",
                         replace_original=False)
        if posted.status_code == 200:
            respond(delete_original=True)
        else:
            log.warning("slack share not posted: %s %s", posted.status_code, posted.body)
            respond(text="Sorry, Slack did not accept the shared answer; it is still here for you.",
                    response_type="ephemeral", replace_original=False)

    bolt.action(SHARE)(ack=ack_only, lazy=[on_share])

    def on_record(action, respond):
        # The conversation the button's answer belongs to, as a decision record only the clicker sees.
        try:
            cid = str(json.loads(action.get("value") or "{}")["c"])
            message = record_message(Takeaways(settings, advisor).adr(cid))
        except (AdvisorError, KeyError, TypeError, ValueError) as exc:
            log.warning("slack decision record refused: %s", exc)
            message = {"text": "Sorry, that conversation's decision record could not be made."}
        respond(**message, response_type="ephemeral", replace_original=False)

    bolt.action(RECORD)(ack=ack_only, lazy=[on_record])
    return bolt


class ThreadedSlackRequestHandler(SlackRequestHandler):
    """Bolt's FastAPI adapter, with the synchronous dispatch moved off the event loop."""

    async def handle(self, req: Request, addition_context_properties=None):
        if req.method != "POST":
            return await super().handle(req, addition_context_properties)
        body = await req.body()
        # Bolt parses the body before it checks the signature, and fails on a garbled timestamp: both
        # would be a 500 for an unauthenticated request. Check the signature first, like Bolt does.
        ts, signature = req.headers.get("x-slack-request-timestamp", ""), req.headers.get("x-slack-signature")
        if not (ts.isdigit() and self.verifier.is_valid(body, ts, signature)):
            return JSONResponse({"error": "invalid request"}, status_code=401)
        try:
            bolt_req = to_bolt_request(req, body, addition_context_properties)
        except (ValueError, AttributeError, TypeError):  # signed, but not the JSON object or form Slack sends
            return JSONResponse({"error": "invalid request body"}, status_code=400)
        return to_starlette_response(await run_in_threadpool(self.app.dispatch, bolt_req))


def mount_slack(app: FastAPI, advisor, settings, metrics=None) -> None:
    """Add /slack/events, /slack/commands and /slack/interactions (a clear 404 when Slack is not set up)."""
    paths = ("/slack/events", "/slack/commands", "/slack/interactions")
    if not (settings.slack_bot_token and settings.slack_signing_secret):
        async def not_configured():
            raise NotFoundError("Slack is not configured on this server",
                                "set ADVISOR_SLACK_BOT_TOKEN and ADVISOR_SLACK_SIGNING_SECRET and restart")

        for path in paths:
            app.add_api_route(path, not_configured, methods=["POST"], include_in_schema=False)
        return
    handler = ThreadedSlackRequestHandler(build_bolt(advisor, settings, metrics))
    handler.verifier = SignatureVerifier(settings.slack_signing_secret)

    async def slack_endpoint(req: Request):
        return await handler.handle(req)

    for path in paths:
        app.add_api_route(path, slack_endpoint, methods=["POST"], include_in_schema=False)
