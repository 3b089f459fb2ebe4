"""The Slack door: mentions and DMs answered in-thread, /advisor answered via response_url, thumbs feedback."""

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
from .render import basis_shown, slack_blocks, slack_sources

log = logging.getLogger("advisor.slack")
CHANNEL = "slack"
_MENTION = re.compile(r"<[@#!][^>]*>")
_LINK = re.compile(r"<((?:https?|mailto):[^|>]+)(?:\|([^>]+))?>")
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_ITALIC = re.compile(r"(?<![*\w])\*(?!\*)([^*\n]+?)\*(?![*\w])")
_HEADING = re.compile(r"^#+\s*(.+)$", re.MULTILINE)
_BULLET = re.compile(r"^[-*]\s+", re.MULTILINE)
SECTION_MAX = 2900  # Slack allows 3,000 characters per section text


def escape(text: str) -> str:
    """Escape text for Slack mrkdwn: only &, < and > are control characters (Slack's own rule)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def question_text(raw: str) -> str:
    """Slack's message text as the user typed it: mentions dropped, links unwrapped, entities decoded."""
    text = _LINK.sub(lambda m: m.group(2) or m.group(1), raw or "")
    text = re.sub(r"[ \t]+", " ", _MENTION.sub(" ", text))
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&").strip()


def to_mrkdwn(markdown: str) -> str:
    """The answer's Markdown as Slack mrkdwn, escaped first so no text can become markup or a mention."""
    text = escape(markdown)
    text = _ITALIC.sub(r"_\1_", text)
    text = _BOLD.sub(r"*\1*", text)
    text = _HEADING.sub(r"*\1*", text)
    return _BULLET.sub("• ", text)


def _chunks(text: str, size: int = SECTION_MAX) -> list[str]:
    out, cur = [], ""
    for para in text.split("\n\n"):
        while len(para) > size:  # one huge paragraph: hard split
            out, para = out + ([cur] if cur else []) + [para[:size]], para[size:]
            cur = ""
        if cur and len(cur) + 2 + len(para) > size:
            out.append(cur)
            cur = para
        else:
            cur = f"{cur}\n\n{para}" if cur else para
    return out + ([cur] if cur else [])


def headline(answer: Answer, matrix=None) -> str:
    """The header line: verdict and component, or what kind of answer it is."""
    if answer.refused:
        return "Outside what I can advise on"
    if not answer.verdict:
        return "Guidance"
    comp = matrix.get(answer.component) if matrix is not None and answer.component else None
    name = getattr(comp, "name", None) or (answer.component or "").replace("-", " ")
    return f"Recommendation: {answer.verdict.capitalize()}" + (f" ({name})" if name else "")


def answer_blocks(answer: Answer, matrix=None) -> list[dict]:
    """Block Kit for an answer: verdict header, the lead, compact sections, sources as context, thumbs."""
    blocks: list[dict] = [{"type": "header", "text": {"type": "plain_text", "text": headline(answer, matrix)[:150]}}]
    if basis_shown(answer):  # next to the verdict: this verdict is our framework, not the articles' word
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": f"_{answer.provenance.line}_"}]})
    if answer.lead:
        blocks += slack_blocks(answer)[:45]
    else:  # an answer without structure (stored before it existed): its text, sources cut off
        body = re.split(r"\n+\*\*Sources\*\*\n", answer.text, maxsplit=1)[0]
        blocks += [{"type": "section", "text": {"type": "mrkdwn", "text": part}} for part in _chunks(to_mrkdwn(body))][:40]
        if answer.citations:
            blocks.append(slack_sources(answer.citations))
    value = json.dumps({"c": answer.conversation_id, "t": answer.turn})
    blocks.append({"type": "actions", "block_id": "advisor_feedback", "elements": [
        {"type": "button", "action_id": "advisor_feedback_up", "value": value,
         "text": {"type": "plain_text", "text": ":+1: Helpful", "emoji": True}},
        {"type": "button", "action_id": "advisor_feedback_down", "value": value,
         "text": {"type": "plain_text", "text": ":-1: Not helpful", "emoji": True}}]})
    return blocks


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

    def reply(say_blocks, question: str, key: str | None) -> None:
        try:
            result = answer(question, key)
            say_blocks(text=escape(headline(result, advisor.matrix)), blocks=answer_blocks(result, advisor.matrix))
        except AdvisorError as exc:
            say_blocks(text=escape(f"Sorry: {exc.message}" + (f" ({exc.hint})" if exc.hint else "")), blocks=None)
        except Exception:
            log.exception("slack answer failed")
            say_blocks(text="Sorry, something went wrong answering that; it was logged.", blocks=None)

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

        def say_blocks(text, blocks):
            client.chat_postMessage(channel=event["channel"], thread_ts=thread, text=text, blocks=blocks)

        reply(say_blocks, question, key)

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

        def say_blocks(text, blocks):
            respond(text=text, blocks=blocks, response_type="in_channel", replace_original=False)

        reply(say_blocks, question, None)

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
        except ValueError:  # signed, but not the JSON or form body Slack sends
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
