"""The Slack door over real HTTP: requests signed like Slack's, Web API calls sent to a local mock Slack."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode

import httpx
import pytest
from conftest import free_port
from live_server import serve, wait_for

SECRET = "test-signing-secret"
FEATURE_STORE = "Should we build or buy a feature store?"
PIZZA = "What is the best pizza in Rome?"  # outside what the advisor advises on: refused


def _texts(obj) -> list[str]:
    if isinstance(obj, dict):
        return ([obj["text"]] if isinstance(obj.get("text"), str) else []) + [
            t for k, v in obj.items() if k != "text" or not isinstance(v, str) for t in _texts(v)]
    return [t for v in obj for t in _texts(v)] if isinstance(obj, list) else []


def block_problems(blocks: list[dict]) -> list[str]:
    """What Slack would refuse in a message's blocks: Block Kit's documented limits, checked one by one."""
    from slack_sdk.models.blocks import Block

    out = [] if 1 <= len(blocks) <= 50 else [f"{len(blocks)} blocks (1-50)"]

    def text(obj, limit: int, where: str, kind: str | None = None) -> None:
        t = obj.get("text") if isinstance(obj, dict) else None
        if not isinstance(t, str) or not 1 <= len(t) <= limit:
            out.append(f"{where}: text of {len(t or '')} characters (1-{limit})")
        if kind and obj.get("type") != kind:
            out.append(f"{where}: {obj.get('type')}, not {kind}")

    for i, b in enumerate(blocks):
        kind = b.get("type")
        if Block.parse(b) is None:
            out.append(f"{i}: unknown block type {kind}")
        if kind == "header":
            text(b.get("text"), 150, f"{i} header", "plain_text")
        elif kind == "section":
            fields = b.get("fields", [])
            if "text" in b or not fields:
                text(b.get("text"), 3000, f"{i} section")
            if len(fields) > 10:
                out.append(f"{i}: {len(fields)} fields (at most 10)")
            for f in fields:
                text(f, 2000, f"{i} field")
        elif kind == "context":
            if not 1 <= len(b.get("elements", [])) <= 10:
                out.append(f"{i}: {len(b.get('elements', []))} context elements (1-10)")
            for e in b.get("elements", []):
                text(e, 3000, f"{i} context")
        elif kind == "actions":
            for e in b.get("elements", []):
                text(e.get("text"), 75, f"{i} button", "plain_text")
                if len(e.get("value", "")) > 2000 or len(e.get("action_id", "")) > 255:
                    out.append(f"{i}: button value or action_id too long")
    total = sum(map(len, _texts(blocks)))
    if total > 12_000:  # Slack answers msg_blocks_too_long near 13,000 characters of text in all
        out.append(f"{total} characters of text in all blocks")
    return out


class MockSlack:
    """A tiny Slack Web API and response_url endpoint on loopback that records every call.

    Like Slack, it refuses a message whose blocks break Block Kit's limits (the call is still recorded, with
    its problems), and a response_url under /expired/ answers 404 as an expired one does.
    """

    def __init__(self):
        self.calls: list[dict] = []
        self.lock = threading.Lock()
        mock = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
                if "json" in (self.headers.get("Content-Type") or ""):
                    data = json.loads(raw or "{}")
                else:
                    data = {k: v[0] for k, v in parse_qs(raw).items()}
                blocks = data.get("blocks")
                if isinstance(blocks, str):
                    blocks = data["blocks"] = json.loads(blocks)
                problems = block_problems(blocks) if blocks else []
                with mock.lock:
                    mock.calls.append({"path": self.path, "data": data, "problems": problems,
                                       "auth": self.headers.get("Authorization")})
                status = 200
                if "/expired/" in self.path:
                    status, body = 404, {"ok": False, "error": "expired_url"}
                elif problems:
                    status = 200 if "/api/" in self.path else 400
                    body = {"ok": False, "error": "invalid_blocks"}
                elif self.path.endswith("/auth.test"):
                    body = {"ok": True, "user_id": "UBOT", "bot_id": "BBOT", "team_id": "T1", "user": "advisor"}
                elif self.path.endswith("/chat.postMessage"):
                    body = {"ok": True, "channel": data.get("channel"), "ts": f"{time.time():.6f}"}
                else:
                    body = {"ok": True}
                out = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(out)))
                self.end_headers()
                self.wfile.write(out)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def posts(self, path_end: str = "/chat.postMessage", **match) -> list[dict]:
        with self.lock:
            return [c["data"] for c in self.calls if c["path"].endswith(path_end)
                    and all(c["data"].get(k) == v for k, v in match.items())]

    def refused(self) -> list[dict]:
        """Every call whose blocks Slack would have refused, with what was wrong."""
        with self.lock:
            return [{"path": c["path"], "problems": c["problems"]} for c in self.calls if c["problems"]]


def sign(body: str, ts: int | None = None, secret: str = SECRET) -> dict:
    """Slack's v0 signature headers: HMAC-SHA256 of 'v0:{timestamp}:{body}'."""
    ts = int(time.time()) if ts is None else ts
    digest = hmac.new(secret.encode(), f"v0:{ts}:{body}".encode(), hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": str(ts), "X-Slack-Signature": f"v0={digest}"}


@pytest.fixture(scope="module")
def srv(tmp_path_factory, built_data_dir, embeddings, slack):
    _, advisor, server = serve(tmp_path_factory, built_data_dir, embeddings, slack_bot_token="xoxb-test",
                               slack_signing_secret=SECRET, slack_api_url=f"{slack.url}/api/")
    with server:
        server.advisor = advisor
        yield server


def post_event(srv, event: dict, event_id: str, headers: dict | None = None, ts: int | None = None):
    body = json.dumps({"token": "x", "team_id": "T1", "api_app_id": "A1", "type": "event_callback",
                       "event_id": event_id, "event_time": int(time.time()), "event": event})
    return httpx.post(f"{srv.url}/slack/events", content=body,
                      headers={"Content-Type": "application/json", **sign(body, ts), **(headers or {})}), body


def mention(text: str, ts: str, channel: str = "C1", thread_ts: str | None = None) -> dict:
    event = {"type": "app_mention", "user": "U1", "text": f"<@UBOT> {text}", "ts": ts, "channel": channel,
             "event_ts": ts}
    return {**event, "thread_ts": thread_ts} if thread_ts else event


def command(srv, text: str, response_url: str, user: str = "U1"):
    """/advisor TEXT as Slack sends it: a signed form post to /slack/commands."""
    form = urlencode({"command": "/advisor", "text": text, "response_url": response_url, "user_id": user,
                      "channel_id": "C9", "team_id": "T1", "trigger_id": "t1", "token": "x"})
    return httpx.post(f"{srv.url}/slack/commands", content=form,
                      headers={"Content-Type": "application/x-www-form-urlencoded", **sign(form)})


def click(srv, action_id: str, value: str, response_url: str, user: str = "U1", container: str = "message"):
    """A signed block_actions payload for one button, as Slack posts it to the interactivity URL."""
    payload = {"type": "block_actions", "team": {"id": "T1"}, "user": {"id": user, "team_id": "T1"},
               "api_app_id": "A1", "token": "x", "trigger_id": "t", "response_url": response_url,
               "channel": {"id": "C9"}, "container": {"type": container, "message_ts": "1.1", "channel_id": "C9",
                                                      "is_ephemeral": container == "ephemeral"},
               "actions": [{"type": "button", "action_id": action_id, "block_id": "advisor_actions",
                            "value": value, "action_ts": "1.2"}]}
    form = urlencode({"payload": json.dumps(payload)})
    return httpx.post(f"{srv.url}/slack/interactions", content=form,
                      headers={"Content-Type": "application/x-www-form-urlencoded", **sign(form)})


def of_type(blocks: list[dict], kind: str) -> list[dict]:
    return [b for b in blocks if b["type"] == kind]


def buttons(blocks: list[dict]) -> list[str]:
    return [e["action_id"] for b in of_type(blocks, "actions") for e in b["elements"]]


def test_url_verification(srv):
    body = json.dumps({"token": "x", "challenge": "c-123", "type": "url_verification"})
    r = httpx.post(f"{srv.url}/slack/events", content=body, headers={"Content-Type": "application/json", **sign(body)})
    assert r.status_code == 200 and r.json()["challenge"] == "c-123"


def test_bad_signature_and_stale_timestamp_are_rejected(srv, slack):
    body = json.dumps({"type": "url_verification", "challenge": "c"})
    bad = httpx.post(f"{srv.url}/slack/events", content=body,
                     headers={"Content-Type": "application/json", **sign(body, secret="wrong-secret")})
    assert bad.status_code == 401
    old = int(time.time()) - 6 * 60  # correctly signed, but older than Slack's five minutes
    stale, _ = post_event(srv, mention(FEATURE_STORE, "50.1", channel="CSTALE"), "EvStale", ts=old)
    assert stale.status_code == 401
    array = json.dumps([{"type": "url_verification"}])  # signed, but a JSON array, not Slack's object
    garbled = httpx.post(f"{srv.url}/slack/events", content=array, headers={"Content-Type": "application/json",
                                                                            **sign(array)})
    assert garbled.status_code == 400
    unsigned = httpx.post(f"{srv.url}/slack/events", content=body, headers={"Content-Type": "application/json"})
    assert unsigned.status_code == 401
    assert not slack.posts(channel="CSTALE")


def test_mention_is_answered_in_thread_with_blocks_and_follow_ups_continue(srv, slack):
    r, body = post_event(srv, mention(f"{FEATURE_STORE} <!channel> a &lt;b&gt;", "100.1"), "Ev100")
    assert r.status_code == 200
    reply = wait_for(lambda: slack.posts(channel="C1", thread_ts="100.1"), what="thread reply")[0]
    blocks = reply["blocks"]
    # Block Kit: the verdict as a plain_text header, the lead, one compact section per part, the sources as
    # a context block, then the thumbs; within every Slack limit (the mock refuses what Slack would).
    assert [b["type"] for b in blocks[:2]] == ["header", "section"] and blocks[0]["text"]["type"] == "plain_text"
    assert blocks[0]["text"]["text"] == "Recommendation: Depends (feature store)"
    ref = json.loads(of_type(blocks, "actions")[0]["elements"][0]["value"])
    assert ref["t"] == 1 and srv.advisor.store.turns(ref["c"])[0]["question"] == f"{FEATURE_STORE} a <b>"
    stored = srv.advisor.store.turns(ref["c"])[0]["answer"]
    sections = [b["text"]["text"] for b in of_type(blocks, "section")]
    assert sections[0] == stored["lead"] and len(sections) == 1 + len(stored["sections"])
    assert [s.split("\n", 1)[0] for s in sections[1:]] == [f"*{s['title']}*" for s in stored["sections"]]
    # The header line is said once: never again in the body, and the body is mrkdwn, not Markdown.
    rest = json.dumps(blocks[1:])
    assert "Recommendation" not in rest and "**" not in rest
    sources = of_type(blocks, "context")[-1]["elements"]
    assert [e["text"].split(" ", 1)[0] for e in sources] == [f"[{c['n']}]" for c in stored["citations"]]
    assert buttons(blocks) == ["advisor_feedback_up", "advisor_feedback_down", "advisor_adr"] and blocks[-1]["type"] == "actions"
    # The text fallback (notifications, clients without blocks) reads as the answer: header line, then the lead.
    assert reply["text"].startswith("Recommendation: Depends (feature store)\n\n" + stored["lead"][:60])
    assert "[1] " in reply["text"] and "**" not in reply["text"]
    assert not slack.refused()

    # A mention inside the thread continues that thread's conversation.
    r, _ = post_event(srv, mention("What if we are regulated?", "100.2", thread_ts="100.1"), "Ev101")
    assert r.status_code == 200
    wait_for(lambda: len(slack.posts(channel="C1", thread_ts="100.1")) == 2, what="follow-up reply")
    turns = srv.advisor.store.turns(ref["c"])
    assert len(turns) == 2 and turns[1]["answer"]["component"] == "feature-store"
    assert "regulated" in turns[1]["answer"]["conditions"]

    # Slack's retry of the first event, and a verbatim replay of it, never give a second answer.
    retry, _ = post_event(srv, mention(f"{FEATURE_STORE} <!channel> a &lt;b&gt;", "100.1"), "Ev100",
                          headers={"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"})
    assert retry.status_code == 200
    replay = httpx.post(f"{srv.url}/slack/events", content=body,
                        headers={"Content-Type": "application/json", **sign(body)})
    assert replay.status_code == 200
    # A later question in the same thread is answered; by then the duplicates would have been too.
    post_event(srv, mention("And if we are a startup?", "100.3", thread_ts="100.1"), "Ev102")
    wait_for(lambda: len(srv.advisor.store.turns(ref["c"])) >= 3, what="third turn")
    wait_for(lambda: len(slack.posts(channel="C1", thread_ts="100.1")) >= 3, what="third reply")
    assert [t["question"] for t in srv.advisor.store.turns(ref["c"])] == [
        f"{FEATURE_STORE} a <b>", "What if we are regulated?", "And if we are a startup?"]
    assert len(slack.posts(channel="C1", thread_ts="100.1")) == 3


def test_direct_messages_answered_channel_chatter_and_own_messages_ignored(srv, slack):
    chatter = {"type": "message", "channel_type": "channel", "user": "U2", "text": FEATURE_STORE, "ts": "200.1",
               "channel": "CCHAT"}
    own = {"type": "message", "channel_type": "im", "user": "UBOT", "bot_id": "BBOT", "text": FEATURE_STORE,
           "ts": "200.2", "channel": "DSELF"}
    dm = {"type": "message", "channel_type": "im", "user": "U2", "text": "Should we buy experiment tracking?",
          "ts": "200.3", "channel": "D1"}
    for i, event in enumerate((chatter, own, dm)):
        assert post_event(srv, event, f"Ev20{i}")[0].status_code == 200
    reply = wait_for(lambda: slack.posts(channel="D1"), what="DM reply")[0]
    assert reply["thread_ts"] == "200.3" and "experiment tracking" in reply["blocks"][0]["text"]["text"].lower()
    assert not slack.posts(channel="CCHAT") and not slack.posts(channel="DSELF")


def test_mention_refusal_is_answered_in_thread_without_thumbs(srv, slack):
    r, _ = post_event(srv, mention(PIZZA, "150.1", channel="CREF"), "Ev150")
    assert r.status_code == 200
    reply = wait_for(lambda: slack.posts(channel="CREF"), what="refusal reply")[0]
    assert reply["thread_ts"] == "150.1" and reply["blocks"][0]["text"]["text"] == "Outside what I can advise on"
    assert not of_type(reply["blocks"], "actions") and "Try asking" in reply["text"]


def test_slash_command_answer_is_private_shows_the_question_and_can_be_shared(srv, slack):
    question = "Should we build or buy a prompt management tool?"
    r = command(srv, question, f"{slack.url}/response/cmd1")
    assert r.status_code == 200 and r.json()["response_type"] == "ephemeral"
    assert r.json()["text"] == f"Thinking about: {question}"
    private = wait_for(lambda: slack.posts("/response/cmd1"), what="response_url answer")[0]
    # Only the asker sees it, under their question, with a button to share it and the thumbs.
    assert private["response_type"] == "ephemeral" and private["replace_original"] is False
    blocks = private["blocks"]
    assert blocks[0]["type"] == "header" and blocks[0]["text"]["text"].startswith("Recommendation: ")
    assert f"*You asked:* {question}" in [e["text"] for b in of_type(blocks, "context") for e in b["elements"]]
    assert buttons(blocks) == ["advisor_share", "advisor_feedback_up", "advisor_feedback_down", "advisor_adr"]
    assert private["text"].startswith(blocks[0]["text"]["text"] + "\n\n") and question in private["text"]
    share = of_type(blocks, "actions")[0]["elements"][0]
    assert share["text"]["text"] == "Share to channel" and share["style"] == "primary"

    # "Share to channel": the same answer is posted for everyone, saying who asked what, then the private
    # copy is deleted; both through the response_url of the click.
    assert click(srv, "advisor_share", share["value"], f"{slack.url}/response/share1",
                 container="ephemeral").status_code == 200
    calls = wait_for(lambda: len(slack.posts("/response/share1")) >= 2 and slack.posts("/response/share1"),
                     what="the shared answer and the deletion")
    shared, deleted = calls
    assert shared["response_type"] == "in_channel" and shared["replace_original"] is False
    assert deleted["delete_original"] is True and "blocks" not in deleted
    assert shared["blocks"][0] == blocks[0]
    asked = [e["text"] for b in of_type(shared["blocks"], "context") for e in b["elements"]]
    assert f"*<@U1> asked:* {question}" in asked and "You asked" not in json.dumps(shared)
    assert buttons(shared["blocks"]) == ["advisor_feedback_up", "advisor_feedback_down", "advisor_adr"]
    assert of_type(shared["blocks"], "section") == of_type(blocks, "section")
    assert shared["text"].startswith(blocks[0]["text"]["text"]) and question in shared["text"]
    assert not slack.refused()

    empty = command(srv, "  ", f"{slack.url}/response/cmd2")
    assert empty.status_code == 200 and "empty" in empty.json()["text"] and "/advisor QUESTION" in empty.json()["text"]


def test_decision_record_button_returns_the_conversation_as_a_madr_record(srv, slack):
    answer = srv.advisor.ask("We're a regulated bank. Feature store: build or buy?", channel="slack")
    value = json.dumps({"c": answer.conversation_id, "t": answer.turn})
    assert click(srv, "advisor_adr", value, f"{slack.url}/response/adr1").status_code == 200
    record = wait_for(lambda: slack.posts("/response/adr1"), what="the decision record")[0]
    assert record["response_type"] == "ephemeral" and record["replace_original"] is False
    assert record["blocks"][0]["type"] == "header" and "Feature store" in record["blocks"][0]["text"]["text"]
    body = "\n".join(b["text"]["text"] for b in of_type(record["blocks"], "section"))
    for heading in ("*Context and Problem Statement*", "*Decision Drivers*", "*Considered Options*",
                    "*Decision Outcome*", "*Consequences*"):
        assert heading in body
    assert "regulated bank" in body and "##" not in body
    bogus = json.dumps({"c": "no-such-conversation", "t": 1})
    assert click(srv, "advisor_adr", bogus, f"{slack.url}/response/adr2").status_code == 200
    said = wait_for(lambda: slack.posts("/response/adr2"), what="the refusal")[0]
    assert "could not be made" in said["text"] and "blocks" not in said
    assert not slack.refused()


def test_slash_command_refusal_stays_private_without_buttons_and_cannot_be_shared(srv, slack):
    assert command(srv, PIZZA, f"{slack.url}/response/cmd-pizza").status_code == 200
    private = wait_for(lambda: slack.posts("/response/cmd-pizza"), what="refusal")[0]
    assert private["response_type"] == "ephemeral" and private["blocks"][0]["text"]["text"] == "Outside what I can advise on"
    assert not of_type(private["blocks"], "actions")
    # Even a share click made up for a refusal (its conversation and turn) posts nothing in the channel.
    refusal = srv.advisor.ask(PIZZA, channel="slack")
    assert refusal.refused
    value = json.dumps({"c": refusal.conversation_id, "t": refusal.turn})
    assert click(srv, "advisor_share", value, f"{slack.url}/response/share-pizza").status_code == 200
    said = wait_for(lambda: slack.posts("/response/share-pizza"), what="the reply to the click")
    assert len(said) == 1 and said[0]["response_type"] == "ephemeral" and "cannot be shared" in said[0]["text"]


def test_share_that_slack_refuses_keeps_the_private_answer(srv, slack):
    answer = srv.advisor.ask(FEATURE_STORE, channel="slack")
    value = json.dumps({"c": answer.conversation_id, "t": answer.turn})
    assert click(srv, "advisor_share", value, f"{slack.url}/expired/share2").status_code == 200
    calls = wait_for(lambda: len(slack.posts("/expired/share2")) >= 2 and slack.posts("/expired/share2"),
                     what="the attempt and the apology")
    assert calls[0]["response_type"] == "in_channel" and "did not accept" in calls[1]["text"]
    assert not any(c.get("delete_original") for c in calls)  # the private copy stays


def test_thumbs_buttons_record_feedback(srv, slack):
    answer = srv.advisor.ask(FEATURE_STORE, channel="slack")
    value = json.dumps({"c": answer.conversation_id, "t": answer.turn})
    payload = {"type": "block_actions", "team": {"id": "T1"}, "user": {"id": "U1", "team_id": "T1"},
               "api_app_id": "A1", "token": "x", "trigger_id": "t", "response_url": f"{slack.url}/response/fb1",
               "channel": {"id": "C1"}, "container": {"type": "message", "message_ts": "1.1", "channel_id": "C1"},
               "actions": [{"type": "button", "action_id": "advisor_feedback_down", "block_id": "advisor_feedback",
                            "value": value, "action_ts": "1.2"}]}
    form = urlencode({"payload": json.dumps(payload)})
    r = httpx.post(f"{srv.url}/slack/events", content=form,
                   headers={"Content-Type": "application/x-www-form-urlencoded", **sign(form)})
    assert r.status_code == 200
    rows = [f for f in srv.advisor.store.feedback() if f["conversation_id"] == answer.conversation_id]
    assert len(rows) == 1 and rows[0]["rating"] == "down" and rows[0]["channel"] == "slack"
    assert rows[0]["question"] == FEATURE_STORE
    assert "Thanks" in wait_for(lambda: slack.posts("/response/fb1"), what="thanks")[0]["text"]


def test_slack_is_off_without_its_settings(tmp_path_factory, built_data_dir, embeddings):
    _, _, server = serve(tmp_path_factory, built_data_dir, embeddings)
    with server:
        r = httpx.post(f"{server.url}/slack/events", json={"type": "url_verification", "challenge": "c"})
    assert r.status_code == 404 and "ADVISOR_SLACK_BOT_TOKEN" in r.json()["hint"]


# -- formatting -------------------------------------------------------------------------------------
def test_answers_never_render_user_markup_as_markup():
    from advisor.models import Answer, Citation
    from advisor.slack import answer_blocks, question_text, to_mrkdwn

    assert question_text("<@UBOT> is &lt;b&gt; &amp; <https://x.io|x.io> ok?") == "is <b> & x.io ok?"
    assert to_mrkdwn("**Buy** <!channel> & <@U1> *if* - list") == "*Buy* &lt;!channel&gt; &amp; &lt;@U1&gt; _if_ - list"
    # An answer stored before answers had a lead: its Markdown text, whose first line is the verdict.
    answer = Answer(text="**Recommendation: Buy** (feature store)\n\n<!here> **buy** it\n\n**Sources**\n[1] A <b>",
                    verdict="buy", component="feature-store", subject="feature store <b>", conversation_id="c1",
                    turn=1, citations=[Citation(n=1, doc_id="d", title="T <!everyone>", section="S&P", source="k/d.md")])
    blocks = answer_blocks(answer)
    text = json.dumps(blocks)
    assert "<!here>" not in text and "<!everyone>" not in text and "[1] A" not in text and "<b>" not in text
    assert blocks[0]["text"]["text"] == "Recommendation: Buy (feature store &lt;b&gt;)"
    assert blocks[1]["text"]["text"] == "&lt;!here&gt; *buy* it"  # the header line is not said twice
    assert blocks[2]["elements"][0]["text"] == "[1] T &lt;!everyone&gt; — S&amp;P (`k/d.md`)"


def test_framework_basis_is_shown_under_the_verdict_header():
    from advisor.models import Answer, Provenance
    from advisor.slack import answer_blocks

    line = "Basis: our application of the source articles' four questions."
    answer = Answer(text="x", lead="Buy a vector store.", verdict="buy", component="vector-database",
                    provenance=Provenance(basis="framework", line=line), conversation_id="c1", turn=1)
    blocks = answer_blocks(answer)
    assert blocks[0]["type"] == "header" and "Buy" in blocks[0]["text"]["text"]
    assert blocks[1] == {"type": "context", "elements": [{"type": "mrkdwn", "text": f"_{line}_"}]}
    sourced = answer.model_copy(update={"provenance": Provenance(basis="source", source="A", line="Basis: A.")})
    assert all("Basis" not in json.dumps(b) for b in answer_blocks(sourced))


def long_answer(lead_reps: int = 70, sections: int = 40, section_reps: int = 30, items: int = 2,
                rows: int = 23, **overrides):
    """An answer past Slack's limits: a lead over 3,000 characters, many sections, a big table, many sources."""
    from advisor.models import Answer, Citation, Section, Table

    rep = "Feast & Tecton <differ> in *how* features are served; **plan** for upkeep. [1] "
    parts = [Section(kind="guidance", title=f"Part {i} & more", text=rep * section_reps,
                     items=[f"**Point {i}.{j}** {rep}" for j in range(items)]) for i in range(sections)]
    table = [[f"**Option {i}** [2]", "self-hosted", "yes", "free & open", "x" * 90, "low"] for i in range(rows)]
    parts[:0] = [Section(kind="comparison", title="Side by side", table=Table(
        columns=["Option", "Hosting", "Open source", "Pricing", "Strengths", "Lock-in"], rows=table))] if rows else []
    fields = {"text": "x", "lead": rep * lead_reps, "sections": parts, "verdict": "hybrid",
              "component": "feature-store", "subject": "feature store for a team that " + "also serves real time " * 10,
              "citations": [Citation(n=n, doc_id=f"d{n}", title=f"Doc {n} <x>", section="S" * 100, source="k.md")
                            for n in range(1, 15)], "conversation_id": "c1", "turn": 1, **overrides}
    return Answer(**fields)


def test_block_kit_limits_hold_for_any_answer():
    from advisor.slack_blocks import BLOCKS_TEXT_MAX, answer_message, split_text

    message = answer_message(long_answer(), question="q " * 2000, asker="U1", share=True)
    blocks = message["blocks"]
    assert block_problems(blocks) == [] and len(message["text"]) <= 3000
    assert sum(map(len, _texts(blocks))) <= BLOCKS_TEXT_MAX + 200  # the buttons' labels are not budgeted
    header = blocks[0]["text"]["text"]
    assert len(header) <= 150 and header.startswith("Recommendation: Hybrid (feature store") and header.endswith("…")
    assert blocks[1]["elements"][0]["text"].startswith("*<@U1> asked:* q q") and len(_texts(blocks[1])[0]) < 1100
    # A lead too long for one section is split between words, never inside an &entity; or a *bold* span.
    lead = [b["text"]["text"] for b in blocks if b["type"] == "section"]
    assert len(lead) >= 2 and all(len(t) <= 3000 for t in lead) and lead[0].startswith("Feast &amp; Tecton &lt;")
    for piece in lead:
        assert piece.count("*") % 2 == 0 and "&am" not in piece.replace("&amp;", "") and not piece.endswith("&")
    # What does not fit is said, not silently dropped; the sources and the buttons are kept.
    assert [b["type"] for b in blocks[-3:]] == ["context", "context", "actions"]
    assert "too long for one Slack message" in blocks[-3]["elements"][0]["text"]
    assert blocks[-2]["elements"][0]["text"].startswith("[1] Doc 1 &lt;x&gt;") and len(blocks[-2]["elements"]) == 10
    assert buttons(blocks) == ["advisor_share", "advisor_feedback_up", "advisor_feedback_down", "advisor_adr"]

    # Many short parts: cut at Slack's 50 blocks, still ending with the note, the sources and the buttons.
    blocks = answer_message(long_answer(lead_reps=1, sections=80, section_reps=1, items=0, rows=0))["blocks"]
    assert block_problems(blocks) == [] and len(blocks) == 50
    assert [b["type"] for b in blocks[-3:]] == ["context", "context", "actions"]

    # A comparison table: one field per option, two side by side, at most 10 fields to a section.
    blocks = answer_message(long_answer(lead_reps=1, sections=0))["blocks"]
    table = [b for b in blocks if b.get("fields")]
    assert block_problems(blocks) == [] and not any("too long" in t for t in _texts(blocks))
    assert [len(b["fields"]) for b in table] == [10, 10, 3] and table[0]["text"]["text"] == "*Side by side*"
    assert table[0]["fields"][0]["text"].startswith("*Option 0* [2]\nHosting: self-hosted\nOpen source: yes")

    # Splitting loses nothing: the pieces put back together are the text.
    text = " ".join(["word&amp;" * 40] * 100) + "\n\n" + "y" * 7000
    pieces = split_text(text, 3000)
    assert all(len(p) <= 3000 for p in pieces) and "".join(pieces).replace(" ", "").replace("\n", "") == \
        text.replace(" ", "").replace("\n", "")
    assert all(not p.endswith(("&", "&a", "&am", "&amp")) for p in pieces)


def test_a_long_answer_over_http_is_cut_to_what_slack_accepts(srv, slack, monkeypatch):
    real_ask = srv.advisor.ask

    def ask(question, conversation_id=None, channel=""):  # the real answer, then made far too long
        answer = real_ask(question, conversation_id, channel)
        return long_answer(conversation_id=answer.conversation_id, turn=answer.turn)

    monkeypatch.setattr(srv.advisor, "ask", ask)
    r, _ = post_event(srv, mention(FEATURE_STORE, "400.1", channel="CLONG"), "Ev400")
    assert r.status_code == 200
    reply = wait_for(lambda: [c for c in slack.calls if c["data"].get("channel") == "CLONG"], what="long reply")[0]
    assert reply["problems"] == [] and len(reply["data"]["blocks"]) <= 50
    assert reply["data"]["blocks"][0]["text"]["text"].startswith("Recommendation: Hybrid")
    assert "too long for one Slack message" in json.dumps(reply["data"]["blocks"])


def test_the_documented_manifest_points_at_the_mounted_paths(tmp_path):
    import re
    from pathlib import Path

    import yaml
    from conftest import make_settings
    from fastapi import FastAPI

    from advisor.slack import mount_slack

    doc = (Path(__file__).resolve().parent.parent / "docs" / "slack.md").read_text()
    manifest = yaml.safe_load(re.search(r"```yaml\n(.*?)```", doc, re.DOTALL).group(1))
    settings = manifest["settings"]
    urls = [settings["event_subscriptions"]["request_url"], manifest["features"]["slash_commands"][0]["url"],
            settings["interactivity"]["request_url"]]
    app = FastAPI()
    mount_slack(app, None, make_settings(tmp_path, slack_bot_token="xoxb-t", slack_signing_secret="s"))
    assert [u.removeprefix("https://YOUR-HOST") for u in urls] == [r.path for r in app.routes][-3:] == [
        "/slack/events", "/slack/commands", "/slack/interactions"]
    assert settings["event_subscriptions"]["bot_events"] == ["app_mention", "message.im"]
    assert settings["interactivity"]["is_enabled"] is True  # the thumbs and Share buttons need it
