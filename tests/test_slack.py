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


class MockSlack:
    """A tiny Slack Web API and response_url endpoint on loopback that records every call."""

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
                with mock.lock:
                    mock.calls.append({"path": self.path, "data": data,
                                       "auth": self.headers.get("Authorization")})
                if self.path.endswith("/auth.test"):
                    body = {"ok": True, "user_id": "UBOT", "bot_id": "BBOT", "team_id": "T1", "user": "advisor"}
                elif self.path.endswith("/chat.postMessage"):
                    body = {"ok": True, "channel": data.get("channel"), "ts": f"{time.time():.6f}"}
                else:
                    body = {"ok": True}
                out = json.dumps(body).encode()
                self.send_response(200)
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
    unsigned = httpx.post(f"{srv.url}/slack/events", content=body, headers={"Content-Type": "application/json"})
    assert unsigned.status_code == 401
    assert not slack.posts(channel="CSTALE")


def test_mention_is_answered_in_thread_with_blocks_and_follow_ups_continue(srv, slack):
    r, body = post_event(srv, mention(f"{FEATURE_STORE} <!channel> a &lt;b&gt;", "100.1"), "Ev100")
    assert r.status_code == 200
    reply = wait_for(lambda: slack.posts(channel="C1", thread_ts="100.1"), what="thread reply")[0]
    blocks = reply["blocks"]
    assert blocks[0]["type"] == "header" and blocks[0]["text"]["type"] == "plain_text"
    assert blocks[0]["text"]["text"].startswith("Recommendation:") and "feature store" in blocks[0]["text"]["text"].lower()
    sections = [b["text"]["text"] for b in blocks if b["type"] == "section"]
    # The header carries the verdict once; the first section is the direct answer, in Slack's mrkdwn.
    assert sections and not sections[0].startswith("*Recommendation:") and "**" not in "".join(sections)
    context = next(b for b in blocks if b["type"] == "context")
    assert context["elements"][0]["text"].startswith("[1] ")
    actions = next(b for b in blocks if b["type"] == "actions")
    assert [e["action_id"] for e in actions["elements"]] == ["advisor_feedback_up", "advisor_feedback_down"]
    ref = json.loads(actions["elements"][0]["value"])
    assert ref["t"] == 1 and srv.advisor.store.turns(ref["c"])[0]["question"] == f"{FEATURE_STORE} a <b>"

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


def test_slash_command_acked_then_answered_via_response_url(srv, slack):
    form = urlencode({"command": "/advisor", "text": "Should we build or buy a prompt management tool?",
                      "response_url": f"{slack.url}/response/cmd1", "user_id": "U1", "channel_id": "C9",
                      "team_id": "T1", "trigger_id": "t1", "token": "x"})
    r = httpx.post(f"{srv.url}/slack/commands", content=form,
                   headers={"Content-Type": "application/x-www-form-urlencoded", **sign(form)})
    assert r.status_code == 200 and r.json()["response_type"] == "ephemeral"
    assert "Thinking about" in r.json()["text"]
    answer = wait_for(lambda: slack.posts("/response/cmd1"), what="response_url answer")[0]
    assert answer["response_type"] == "in_channel" and answer["blocks"][0]["type"] == "header"
    assert any(b["type"] == "actions" for b in answer["blocks"])

    empty = urlencode({"command": "/advisor", "text": "  ", "response_url": f"{slack.url}/response/cmd2",
                       "user_id": "U1", "channel_id": "C9", "team_id": "T1", "trigger_id": "t2"})
    r = httpx.post(f"{srv.url}/slack/commands", content=empty,
                   headers={"Content-Type": "application/x-www-form-urlencoded", **sign(empty)})
    assert r.status_code == 200 and "empty" in r.json()["text"] and "/advisor QUESTION" in r.json()["text"]


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
    answer = Answer(text="**Recommendation: Buy** <!here>\n\n**Sources**\n[1] A <b>", verdict="buy",
                    component="feature-store", conversation_id="c1", turn=1,
                    citations=[Citation(n=1, doc_id="d", title="T <!everyone>", section="S&P", source="k/d.md")])
    blocks = answer_blocks(answer)
    text = json.dumps(blocks)
    assert "<!here>" not in text and "<!everyone>" not in text and "[1] A" not in text
    assert blocks[1]["text"]["text"] == "*Recommendation: Buy* &lt;!here&gt;"
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
