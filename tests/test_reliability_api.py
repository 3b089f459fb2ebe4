"""Reliability and security of every door, over real HTTP on loopback with the real model and index.

Bad questions through the chain, the JSON API, the OpenAI-compatible API, Slack and the UI; error bodies
without stack traces; CORS, body limits, auth and rate limits; path traversal on the file-serving routes
of the mounted Gradio UI; Slack signatures and replays; concurrent writes to the store and a restart.
"""

from __future__ import annotations

import asyncio
import json
import re
import socket
import time
from pathlib import Path
from urllib.parse import urlencode

import httpx
import pytest
from conftest import ROOT, make_settings
from live_server import LiveServer, serve, wait_for
from test_slack import sign

from advisor import ui
from advisor.api import create_app
from advisor.chain import Advisor
from advisor.errors import InputError, NotFoundError
from advisor.store import Store

FEATURE_STORE = "Should we build or buy a feature store?"
INTRANET = "https://intranet.example"
EVIL = "https://evil.example"
TRACE_MARKERS = ("Traceback", 'File "', '.py", line', "site-packages")

# (id, question, what the question should get): ("error", substring of the message) or ("answer", fields).
BAD = [
    ("empty", "", ("error", "empty")),
    ("whitespace", " \t\n\r\n  ", ("error", "empty")),
    ("control-chars", "\x00\x01\x07\x1b\x7f", ("error", "empty")),
    ("zero-width", "\u200b\u200c\u200d\u2060\ufeff", ("error", "empty")),
    ("cjk", "我们应该自建还是购买特征存储？", ("error", "English only")),
    ("arabic", "هل يجب أن نبني أم نشتري مخزن الميزات؟", ("error", "English only")),
    ("emoji", "🚀🔥💯🤖", ("error", "only punctuation, symbols or emoji")),
    ("punctuation", "?!?! ... ,,, ;; --- ***", ("error", "only punctuation")),
    ("lone-surrogate", "Should we buy a feature store \ud800?", ("error", "Unicode")),
    ("script", "<script>alert(1)</script>", ("answer", {"refused": True})),
    ("img-onerror", '<img src=x onerror="alert(1)"> Should we build or buy a feature store?',
     ("answer", {"component": "feature-store"})),
    ("markdown", "**Should** we _build_ or [buy](javascript:alert(1)) a `feature store`? <b>#1</b> ![x](x)",
     ("answer", {"component": "feature-store"})),
    ("controls-inside", "Should we build or buy a feature\u200b store?\x00\x07",
     ("answer", {"component": "feature-store"})),
    ("mixed-scripts", "Should we buy a feature store? 🚀 特征存储 متجر الميزات", ("answer", {"component": "feature-store"})),
    ("rtl-override", "\u202eShould we build or buy experiment tracking?", ("answer", {"component": "experiment-tracking"})),
    ("entities", "&lt;b&gt; feature store &amp; build or buy?", ("answer", {"component": "feature-store"})),
    ("one-letter", "a", ("answer", {"refused": True})),
    ("digits", "12345", ("answer", {"refused": True})),
]
IDS = [b[0] for b in BAD]
HUGE = FEATURE_STORE + " " + "x" * 100_000  # 100 KB


def no_trace(text: str) -> None:
    assert not any(m in text for m in TRACE_MARKERS), text[:500]


def markup_free(text: str) -> None:
    """The question's markup is never echoed back in an answer."""
    for bad in ("<script", "<img", "onerror", "javascript:", "<b>", "<svg"):
        assert bad not in text, (bad, text[:300])


@pytest.fixture(scope="module")
def srv(tmp_path_factory, built_data_dir, embeddings):
    """The whole app, Gradio UI mounted at '/', no keys, no rate limit, no CORS origins configured."""
    settings, advisor, server = serve(tmp_path_factory, built_data_dir, embeddings, mount_ui=True,
                                      rate_limit_per_minute=0)
    with server:
        server.advisor, server.settings = advisor, settings
        yield server


@pytest.fixture(scope="module")
def http(srv):
    with httpx.Client(base_url=srv.url, timeout=120) as client:
        yield client


# -- bad questions at every door ----------------------------------------------------------------------
@pytest.mark.parametrize("name, question, expect", BAD, ids=IDS)
def test_bad_questions_in_the_chain(srv, name, question, expect):
    if expect[0] == "error":
        with pytest.raises(InputError) as err:
            srv.advisor.ask(question)
        assert expect[1] in err.value.message and err.value.hint
        return
    answer = srv.advisor.ask(question)
    assert answer.model_dump(include=set(expect[1])) == expect[1]
    markup_free(answer.text)
    stored = srv.advisor.store.turns(answer.conversation_id)[-1]["question"]
    assert stored == srv.advisor.validate(question) and "\x00" not in stored


def test_a_100_kb_question_is_a_clear_error_everywhere(srv, http):
    with pytest.raises(InputError, match="100040 characters; the limit is 4000"):
        srv.advisor.ask(HUGE)
    for path, body in (("/api/v1/ask", {"question": HUGE}), ("/api/v1/ask/stream", {"question": HUGE}),
                       ("/v1/chat/completions", {"messages": [{"role": "user", "content": HUGE}]})):
        r = http.post(path, json=body)
        assert r.status_code == 413 and r.json()["error"] == "PayloadTooLargeError", path
        assert "larger than the limit" in r.json()["message"]
    # Under the body limit but over the question limit: the question's own error.
    r = http.post("/api/v1/ask", json={"question": "y" * 5000})
    assert r.status_code == 422 and "5000 characters; the limit is 4000" in r.json()["message"]


@pytest.mark.parametrize("name, question, expect", BAD, ids=IDS)
def test_bad_questions_through_the_json_api(http, name, question, expect):
    raw = json.dumps({"question": question})  # ensure_ascii: lone surrogates travel as \ud800 escapes
    headers = {"content-type": "application/json"}
    r = http.post("/api/v1/ask", content=raw, headers=headers)
    s = http.post("/api/v1/ask/stream", content=raw, headers=headers)
    for resp in (r, s):
        assert resp.status_code < 500
        no_trace(resp.text)
    if expect[0] == "error":
        for resp in (r, s):
            body = resp.json()
            assert resp.status_code == 422 and body["error"] in ("InputError", "ValidationError"), body
            assert expect[1] in body["message"] and body["hint"]
        return
    assert r.status_code == s.status_code == 200
    body = r.json()
    assert {k: body[k] for k in expect[1]} == expect[1]
    markup_free(body["answer"])
    final = [json.loads(line[6:]) for line in s.text.splitlines() if line.startswith("data: ")][-1]
    assert {k: final[k] for k in expect[1]} == expect[1] and final["answer"] == final["text"]


@pytest.mark.parametrize("name, question, expect", BAD, ids=IDS)
def test_bad_questions_through_the_openai_api(http, name, question, expect):
    for stream in (False, True):
        raw = json.dumps({"model": "build-or-buy-advisor", "stream": stream, "messages": [{"role": "user", "content": question}]})
        r = http.post("/v1/chat/completions", content=raw, headers={"content-type": "application/json"})
        assert r.status_code < 500
        no_trace(r.text)
        if expect[0] == "error":
            err = r.json()["error"]
            assert r.status_code == 422 and err["type"] == "invalid_request_error" and expect[1] in err["message"]
            continue
        assert r.status_code == 200
        if stream:
            chunks = [json.loads(x[6:]) for x in r.text.split("\n\n") if x.startswith("data: {")]
            assert r.text.rstrip().endswith("data: [DONE]") and chunks[-1]["choices"][0]["finish_reason"] == "stop"
            text, advice = "".join(c["choices"][0]["delta"].get("content") or "" for c in chunks), chunks[-1]["advisor"]
        else:
            text, advice = r.json()["choices"][0]["message"]["content"], r.json()["advisor"]
        assert {k: advice[k] for k in expect[1]} == expect[1]
        markup_free(text)


@pytest.mark.parametrize("name, question, expect", BAD, ids=IDS)
def test_bad_questions_in_the_ui_handler(srv, name, question, expect):
    steps = list(ui.respond(srv.advisor, question, [], ui.new_session()))
    history = steps[-1][1]
    if not question.strip():  # blank input: nothing is sent, the textbox is simply cleared
        assert history == [] and steps[-1][0] == ""
        return
    user, bot = history[-2]["content"], history[-1]["content"]
    assert user == ui.escape_user(question.strip())
    assert "<" not in user.replace("&lt;", "") and "\ud800" not in user
    json.dumps(history, ensure_ascii=False).encode("utf-8")  # what Gradio must be able to send
    if expect[0] == "error":
        assert "Something went wrong" in bot and ui.html.escape(expect[1]) in bot
    else:
        assert "verdict-badge" in bot and "verdict-pending" not in bot and "Something went wrong" not in bot
        markup_free(bot.split('<details class="advisor-sources">')[0])


def test_a_lone_surrogate_comment_or_id_never_breaks_the_store(srv):
    answer = srv.advisor.ask(FEATURE_STORE)
    store = srv.advisor.store
    fid = store.add_feedback(answer.conversation_id, answer.turn, "up", "bad \ud800 text", channel="test")
    assert next(f for f in store.feedback() if f["id"] == fid)["comment"] == "bad ? text"
    store.set_feedback_comment(fid, "again \udfff")
    with pytest.raises(NotFoundError):
        store.turns("no-such-\ud800")
    with pytest.raises(NotFoundError, match="has no turn"):
        store.add_feedback(answer.conversation_id, 10**30, "up")


# -- error bodies -------------------------------------------------------------------------------------
@pytest.mark.parametrize("method, path, body, ctype, status", [
    ("GET", "/api/v1/nope", None, None, 404),
    ("POST", "/v1/nope", b"{}", "application/json", 404),
    ("PUT", "/api/v1/feedback", b"{}", "application/json", 405),
    ("POST", "/api/v1/ask", b'{"question": ', "application/json", 400),
    ("POST", "/api/v1/ask", b"[" * 60_000, "application/json", 400),
    ("POST", "/api/v1/ask", b'{"question": "\xff\xfe feature store"}', "application/json", 400),
    ("POST", "/api/v1/ask", b"question=feature+store", "application/x-www-form-urlencoded", 400),
    ("POST", "/api/v1/ask", b"", None, 400),
    ("POST", "/api/v1/ask", b"null", "application/json", 422),
    ("POST", "/api/v1/ask", b'{"question": "Should we buy a feature store?", "conversation_id": "\\ud800"}',
     "application/json", 422),
    ("POST", "/api/v1/feedback", b'{"conversation_id": "x", "turn": 1e400, "rating": "up"}', "application/json", 422),
    ("POST", "/api/v1/feedback", b'{"conversation_id": "x", "turn": 99999999999999999999999, "rating": "up"}',
     "application/json", 422),
    ("POST", "/api/v1/feedback", b'{"conversation_id": "x", "turn": 1, "rating": "up"}', "application/json", 404),
    ("GET", "/api/v1/conversations/%00%ff%ED%A0%80", None, None, 404),
    ("GET", "/api/v1/conversations/" + "a" * 5000, None, None, 404),
    ("POST", "/v1/chat/completions", b'{"messages": []}', "application/json", 422),
    ("POST", "/v1/chat/completions", b'{"messages": [{"role": "user", "content": [{"type": "text", "text": 5}]}]}',
     "application/json", 422),
    ("POST", "/v1/chat/completions", b'{"messages": [{"role": "user", "content": "hi"}], "model": "\\udfff"}',
     "application/json", 422),
    ("POST", "/v1/chat/completions", (b'{"messages": [{"role": "user", "content": "hi"}], "stream": true, '
                                      b'"conversation_id": "\\ud800"}'), "application/json", 422),
])
def test_errors_are_clear_json_without_stack_traces(http, method, path, body, ctype, status):
    r = http.request(method, path, content=body, headers={"content-type": ctype} if ctype else {})
    assert r.status_code == status, r.text[:300]
    assert r.headers["content-type"].startswith("application/json")
    err = r.json()["error"]
    message = err["message"] if isinstance(err, dict) else r.json()["message"]
    assert message and "internal error" not in message
    no_trace(r.text)


def test_a_bug_in_any_door_is_a_generic_500_without_details(srv, monkeypatch):
    def broken(*args, **kwargs):
        raise KeyError("secret internals /etc/passwd")

    monkeypatch.setattr(srv.advisor.store, "add_feedback", broken)
    monkeypatch.setattr(srv.advisor, "stream", broken)
    for path, body in (("/api/v1/feedback", {"conversation_id": "c", "turn": 1, "rating": "up"}),
                       ("/v1/chat/completions", {"messages": [{"role": "user", "content": FEATURE_STORE}]})):
        r = httpx.post(srv.url + path, json=body, timeout=120)  # a 500 closes the connection: a fresh one each
        assert r.status_code == 500 and "secret" not in r.text and "passwd" not in r.text
        no_trace(r.text)
    steps = list(ui.respond(srv.advisor, FEATURE_STORE, [], ui.new_session()))
    bot = steps[-1][1][-1]["content"]
    assert "internal error" in bot and "secret" not in bot


def test_a_bug_mid_stream_ends_the_stream_with_an_error_event_not_a_trace(srv, monkeypatch):
    def broken(question, conversation_id=None, channel=""):
        yield "**Recommendation: Buy** partial"
        raise KeyError("secret internals /etc/passwd")

    monkeypatch.setattr(srv.advisor, "stream", broken)
    api = httpx.post(f"{srv.url}/api/v1/ask/stream", json={"question": FEATURE_STORE}, timeout=120)
    assert api.status_code == 200 and "event: error" in api.text and '"InternalError"' in api.text
    chat = httpx.post(f"{srv.url}/v1/chat/completions", timeout=120,
                      json={"stream": True, "messages": [{"role": "user", "content": FEATURE_STORE}]})
    assert chat.status_code == 200 and '"InternalError"' in chat.text and chat.text.rstrip().endswith("[DONE]")
    for r in (api, chat):
        assert "secret" not in r.text and "passwd" not in r.text
        no_trace(r.text)


# -- CORS ----------------------------------------------------------------------------------------------
def _acao(r: httpx.Response) -> str | None:
    return r.headers.get("access-control-allow-origin")


@pytest.mark.parametrize("host", [None, "advisor.example.com"])
def test_cors_is_off_by_default_on_the_api_and_the_ui(srv, host):
    """No Access-Control-Allow-Origin for any origin; with a public Host header Gradio alone would echo any."""
    headers = {"Host": host} if host else {}
    for origin in (EVIL, INTRANET, "http://localhost:3000", "null"):
        for path in ("/api/v1/sources", "/healthz", "/config", "/gradio_api/info", "/"):
            r = httpx.get(srv.url + path, headers={**headers, "Origin": origin})
            assert r.status_code == 200 and _acao(r) is None, (origin, path, dict(r.headers))
            assert "access-control-allow-credentials" not in r.headers
        for path in ("/api/v1/ask", "/gradio_api/queue/join", "/v1/chat/completions"):
            pre = httpx.options(srv.url + path, headers={**headers, "Origin": origin,
                                                         "Access-Control-Request-Method": "POST"})
            assert _acao(pre) is None and pre.status_code < 500, (origin, path)


@pytest.fixture(scope="module")
def cors_srv(tmp_path_factory, built_data_dir, embeddings):
    """The whole app with one allowed origin and a per-address rate limit (no keys)."""
    _, _, server = serve(tmp_path_factory, built_data_dir, embeddings, mount_ui=True,
                         cors_origins=[INTRANET], rate_limit_per_minute=3)
    with server:
        yield server


def test_cors_allows_only_the_configured_origin_on_the_api_and_the_ui(cors_srv):
    for path in ("/config", "/healthz"):
        for host in (None, "advisor.example.com"):
            headers = {"Host": host} if host else {}
            ok = httpx.get(cors_srv.url + path, headers={**headers, "Origin": INTRANET})
            assert _acao(ok) == INTRANET
            for origin in (EVIL, "http://localhost:3000"):
                assert _acao(httpx.get(cors_srv.url + path, headers={**headers, "Origin": origin})) is None
    pre = httpx.options(cors_srv.url + "/v1/chat/completions", headers={
        "Origin": INTRANET, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization"})
    assert pre.status_code == 200 and _acao(pre) == INTRANET
    evil = httpx.options(cors_srv.url + "/gradio_api/queue/join", headers={
        "Origin": EVIL, "Access-Control-Request-Method": "POST"})
    assert _acao(evil) is None


def test_rate_limit_per_address_without_keys(cors_srv):
    codes = [httpx.get(f"{cors_srv.url}/api/v1/sources").status_code for _ in range(3)]
    limited = httpx.post(f"{cors_srv.url}/v1/chat/completions",
                         json={"messages": [{"role": "user", "content": FEATURE_STORE}]})
    assert codes == [200, 200, 200] and limited.status_code == 429
    assert limited.json()["error"]["code"] == "RateLimitError" and int(limited.headers["retry-after"]) >= 1
    no_trace(limited.text)
    # Health checks and the UI are never limited.
    assert httpx.get(f"{cors_srv.url}/healthz").status_code == 200
    assert httpx.get(f"{cors_srv.url}/config").status_code == 200


# -- body limits ----------------------------------------------------------------------------------------
def test_body_limit_on_every_api_door_and_the_ui_upload(http):
    big = b"{" + b" " * 70_000 + b"}"
    for path in ("/v1/chat/completions", "/api/v1/feedback", "/api/v1/ask/stream", "/slack/events",
                 "/slack/commands", "/metrics"):
        r = http.post(path, content=big, headers={"content-type": "application/json"})
        assert r.status_code == 413 and r.json()["error"] == "PayloadTooLargeError", path
    r = http.post("/gradio_api/upload", files={"files": ("big.txt", b"x" * 100_000)})
    assert r.status_code == 413
    small = http.post("/gradio_api/upload", files={"files": ("small.txt", b"hello upload")})
    assert small.status_code == 200
    served = http.get(f"/gradio_api/file={small.json()[0]}")
    assert served.status_code == 200 and served.text == "hello upload"  # the file route is live


def test_ui_posts_get_a_larger_but_finite_limit(http):
    mid = http.post("/gradio_api/queue/join", content=b"{" + b" " * 200_000 + b"}",
                    headers={"content-type": "application/json"})
    assert mid.status_code != 413 and mid.status_code < 500
    huge = http.post("/gradio_api/queue/join", content=b"x" * 5_000_000, headers={"content-type": "application/json"})
    assert huge.status_code == 413


# -- path traversal --------------------------------------------------------------------------------------
def raw_get(url: str, path: str) -> tuple[int, bytes]:
    """GET with the path sent byte for byte (httpx would normalise the dot segments away)."""
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=60) as sock:
        sock.sendall(f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nConnection: close\r\n\r\n".encode())
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split(b" ", 2)[1]), body


def test_path_traversal_never_serves_a_file(srv):
    data_dir = srv.settings.data_dir.resolve()
    targets = {"/etc/passwd": b"root:", str(data_dir / "advisor.sqlite"): b"SQLite format",
               str(ROOT / "pyproject.toml"): b"[project]", str(ROOT / "knowledge" / "decision_matrix.yaml"): b"slug:"}
    paths = []
    for target in targets:
        up = "../" * 12 + target.lstrip("/")
        paths += [f"/gradio_api/file={target}", f"/gradio_api/file={up}", f"/file={target}", f"/file={up}",
                  "/gradio_api/file=" + up.replace("/", "%2F"), "/gradio_api/file=" + up.replace("..", "%2e%2e"),
                  "/gradio_api/file=" + up.replace("../", "%252e%252e%252f"),
                  "/gradio_api/file=" + up.replace("../", "..%5c"), "/gradio_api/file=" + up.replace("../", "....//"),
                  f"/assets/{up}", "/assets/" + up.replace("/", "%2F"), f"/static/{up}", f"/gradio_api/static/{up}",
                  f"/{up}", "/" + up.replace("..", "%2e%2e"), f"/api/v1/sources/{up}",
                  "/api/v1/conversations/" + up.replace("/", "%2F"), f"/gradio_api/file=file://{target}"]
    paths += ["/gradio_api/file=/proc/self/environ", "/gradio_api/file=~/.bashrc", f"/gradio_api/file={ROOT}"]
    served = []
    for path in paths:
        status, body = raw_get(srv.url, path)
        assert status < 500, path
        if status < 300 and any(marker in body for marker in targets.values()):
            served.append(path)
        if path.startswith(("/gradio_api/file=", "/file=")):
            assert status in (400, 403, 404), (path, status)
    assert served == []


# -- auth and rate limits ---------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def secured(tmp_path_factory, built_data_dir, embeddings):
    _, _, server = serve(tmp_path_factory, built_data_dir, embeddings, api_keys=["k-one", "k-two"],
                         rate_limit_per_minute=3)
    with server:
        yield server


def test_every_guarded_route_needs_a_key(secured):
    routes = [("POST", "/api/v1/ask/stream", {"question": FEATURE_STORE}), ("GET", "/api/v1/conversations/x", None),
              ("POST", "/api/v1/feedback", {"conversation_id": "x", "turn": 1, "rating": "up"}),
              ("GET", "/v1/models", None), ("GET", "/api/v1/nope", None)]
    for method, path, body in routes:
        r = httpx.request(method, secured.url + path, json=body, headers={"Authorization": "Bearer k-one-but-wrong"})
        assert r.status_code in (401, 404), path  # an unknown route may say so before asking for a key
        if path != "/api/v1/nope":
            assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer"
        no_trace(r.text)
    assert httpx.get(secured.url + "/v1/models", headers={"Authorization": "Bearer k-two"}).status_code == 200


def test_guessing_keys_is_rate_limited_but_the_real_key_still_works(secured):
    codes = []
    for i in range(200):  # the allowance refills slowly, so stop at the first 429 rather than count to it
        limited = httpx.get(f"{secured.url}/v1/models", headers={"Authorization": f"Bearer guess-{i}"})
        codes.append(limited.status_code)
        if limited.status_code == 429:
            break
    assert codes[-1] == 429 and set(codes[:-1]) == {401} and len(codes) > 20
    assert "30 failed authentications per minute" in limited.json()["error"]["message"]
    assert int(limited.headers["retry-after"]) >= 1
    no_trace(limited.text)
    assert httpx.get(f"{secured.url}/api/v1/sources", headers={"Authorization": "Bearer k-one"}).status_code == 200


# -- Slack ---------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def slack_srv(tmp_path_factory, built_data_dir, embeddings, slack):
    _, advisor, server = serve(tmp_path_factory, built_data_dir, embeddings, slack_bot_token="xoxb-test",
                               slack_signing_secret="test-signing-secret", slack_api_url=f"{slack.url}/api/",
                               rate_limit_per_minute=0)
    with server:
        server.advisor = advisor
        yield server


def _event(text: str, ts: str, channel: str) -> str:
    event = {"type": "app_mention", "user": "U1", "text": f"<@UBOT> {text}", "ts": ts, "channel": channel,
             "event_ts": ts}
    return json.dumps({"token": "x", "team_id": "T1", "api_app_id": "A1", "type": "event_callback",
                       "event_id": f"Ev{channel}{ts}", "event_time": int(time.time()), "event": event})


def _command(text: str, response: str) -> str:
    return urlencode({"command": "/advisor", "text": text, "response_url": response, "user_id": "U1",
                      "channel_id": "C9", "team_id": "T1", "trigger_id": "t1", "token": "x"})


def _action(value: str, response: str) -> str:
    payload = {"type": "block_actions", "team": {"id": "T1"}, "user": {"id": "U1", "team_id": "T1"},
               "api_app_id": "A1", "token": "x", "trigger_id": "t", "response_url": response,
               "channel": {"id": "C1"}, "container": {"type": "message", "message_ts": "1.1", "channel_id": "C1"},
               "actions": [{"type": "button", "action_id": "advisor_feedback_up", "block_id": "advisor_feedback",
                            "value": value, "action_ts": "1.2"}]}
    return urlencode({"payload": json.dumps(payload)})


JSON, FORM = "application/json", "application/x-www-form-urlencoded"


@pytest.mark.parametrize("attack", ["wrong-secret", "stale", "future", "not-a-number", "tampered", "unsigned",
                                    "no-version"])
def test_slack_rejects_forged_and_replayed_requests_on_every_endpoint(slack_srv, slack, attack):
    now = int(time.time())
    requests = [("/slack/events", _event(FEATURE_STORE, f"{now}.1", f"CF{attack}"), JSON),
                ("/slack/commands", _command(FEATURE_STORE, f"{slack.url}/response/forged-{attack}"), FORM),
                ("/slack/interactions", _action('{"c": "x", "t": 1}', f"{slack.url}/response/forged-{attack}"), FORM)]
    for path, body, ctype in requests:
        headers = sign(body)
        if attack == "wrong-secret":
            headers = sign(body, secret="not-the-secret")
        elif attack == "stale":
            headers = sign(body, ts=now - 6 * 60)
        elif attack == "future":
            headers = sign(body, ts=now + 6 * 60)
        elif attack == "not-a-number":
            headers["X-Slack-Request-Timestamp"] = "yesterday"
        elif attack == "tampered":
            body = body[:-1] + ("A" if body[-1] != "A" else "B")  # one byte changed after signing
        elif attack == "unsigned":
            headers = {}
        elif attack == "no-version":
            headers["X-Slack-Signature"] = headers["X-Slack-Signature"].removeprefix("v0=")
        r = httpx.post(slack_srv.url + path, content=body, headers={"Content-Type": ctype, **headers})
        assert r.status_code == 401, (attack, path, r.status_code)
        no_trace(r.text)
    time.sleep(0.5)  # nothing below may have been answered; give a wrongly started lazy listener a moment
    assert not slack.posts(channel=f"CF{attack}") and not slack.posts(f"/response/forged-{attack}")


@pytest.mark.parametrize("path, body, ctype", [
    ("/slack/events", '{"type": "event_callback", "event": ', JSON),
    ("/slack/events", "\xff not json at all", JSON),
    ("/slack/interactions", "payload=%7Bnot+json", FORM),
])
def test_slack_signed_garbage_is_a_4xx_not_a_crash(slack_srv, path, body, ctype):
    for headers in (sign(body), {}):  # signed: 400; unsigned: 401, before the body is even parsed
        r = httpx.post(slack_srv.url + path, content=body.encode(), headers={"Content-Type": ctype, **headers})
        assert r.status_code == (400 if headers else 401), (path, headers, r.status_code)
        no_trace(r.text)


def test_slack_replay_of_a_signed_command_with_an_old_timestamp_is_rejected(slack_srv, slack):
    body = _command(FEATURE_STORE, f"{slack.url}/response/replay")
    headers = {"Content-Type": FORM, **sign(body)}
    assert httpx.post(slack_srv.url + "/slack/commands", content=body, headers=headers).status_code == 200
    wait_for(lambda: slack.posts("/response/replay"), what="the genuine command's answer")
    old = {"Content-Type": FORM, **sign(body, ts=int(time.time()) - 10 * 60)}
    assert httpx.post(slack_srv.url + "/slack/commands", content=body, headers=old).status_code == 401


SLACK_BAD = [(name, q, expect) for name, q, expect in BAD if name not in ("lone-surrogate", "whitespace")]


@pytest.mark.parametrize("name, question, expect", SLACK_BAD, ids=[b[0] for b in SLACK_BAD])
def test_bad_questions_through_slack_mentions(slack_srv, slack, name, question, expect):
    # Slack sends &, < and > as entities in message text.
    text = question.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    channel = f"CB{IDS.index(name)}"
    body = _event(text, "300.1", channel)
    r = httpx.post(slack_srv.url + "/slack/events", content=body, headers={"Content-Type": JSON, **sign(body)})
    assert r.status_code == 200
    reply = wait_for(lambda: slack.posts(channel=channel), what="the thread reply")[0]
    assert reply["thread_ts"] == "300.1"
    dump = json.dumps(reply, ensure_ascii=False)
    for field in [reply["text"], *re.findall(r'"text": "((?:[^"\\]|\\.)*)"', dump)]:
        assert "<" not in field and ">" not in field, field  # mrkdwn: never a raw tag, link or mention
    if expect[0] == "error":
        assert reply["text"].startswith("Sorry: ") and expect[1] in reply["text"] and not reply.get("blocks")
    else:
        header = reply["blocks"][0]["text"]["text"]
        assert header.startswith("Outside what I can advise on" if expect[1].get("refused") else "Recommendation:")
        markup_free(dump)


def test_slash_command_echo_is_escaped_and_bad_commands_get_usage(slack_srv, slack):
    evil = "&lt;script&gt;alert(1)&lt;/script&gt; *bold* <!channel> <@U2> &amp; feature store build or buy"
    body = _command(evil, f"{slack.url}/response/echo")
    r = httpx.post(slack_srv.url + "/slack/commands", content=body, headers={"Content-Type": FORM, **sign(body)})
    assert r.status_code == 200
    text = r.json()["text"]
    assert text.startswith("Thinking about: ") and "<" not in text and ">" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text and "&amp; feature store" in text
    answer = wait_for(lambda: slack.posts("/response/echo"), what="the command's answer")[0]
    assert "<" not in json.dumps(answer["blocks"]) and answer["blocks"][0]["text"]["text"].startswith("Recommendation")
    for question, says in (("🚀🔥", "only punctuation"), ("我们应该自建吗", "English only"), ("", "empty")):
        body = _command(question, f"{slack.url}/response/bad")
        r = httpx.post(slack_srv.url + "/slack/commands", content=body, headers={"Content-Type": FORM, **sign(body)})
        assert r.status_code == 200 and says in r.json()["text"] and "/advisor QUESTION" in r.json()["text"]
    big = _command("x" * 70_000, f"{slack.url}/response/big")
    r = httpx.post(slack_srv.url + "/slack/commands", content=big, headers={"Content-Type": FORM, **sign(big)})
    assert r.status_code == 413


@pytest.mark.parametrize("value", ["not json", "[1, 2]", '{"c": "x"}', '{"c": "x", "t": 1e400}',
                                   '{"c": "x", "t": 99999999999999999999999}', '{"c": null, "t": "one"}', ""])
def test_slack_feedback_with_a_forged_value_is_refused_politely(slack_srv, slack, value):
    where = f"/response/fb-{abs(hash(value))}"
    body = _action(value, f"{slack.url}{where}")
    r = httpx.post(slack_srv.url + "/slack/interactions", content=body, headers={"Content-Type": FORM, **sign(body)})
    assert r.status_code == 200
    assert "could not be recorded" in wait_for(lambda: slack.posts(where), what="the reply")[0]["text"]


# -- the store under concurrency, and a restart ------------------------------------------------------------
def test_200_concurrent_feedback_posts_are_all_stored_and_survive_a_restart(srv, embeddings):
    answers = [httpx.post(f"{srv.url}/api/v1/ask", json={"question": q}, timeout=120).json() for q in
               (FEATURE_STORE, "Should we build or buy experiment tracking?", "Build or buy model serving?")]
    cids = [a["conversation_id"] for a in answers]

    async def post_all():
        limits = httpx.Limits(max_connections=200, max_keepalive_connections=0)
        async with httpx.AsyncClient(base_url=srv.url, timeout=300, limits=limits) as client:
            return await asyncio.gather(*[
                client.post("/api/v1/feedback", json={"conversation_id": cids[i % 3], "turn": 1,
                                                      "rating": "up" if i % 2 else "down", "comment": f"fb-{i}"})
                for i in range(200)])

    responses = asyncio.run(post_all())
    assert [r.status_code for r in responses] == [201] * 200
    ids = {r.json()["id"] for r in responses}
    assert len(ids) == 200

    def mine(store: Store) -> list[dict]:
        return [f for f in store.feedback() if f["conversation_id"] in cids and f["comment"].startswith("fb-")]

    rows = mine(Store(srv.settings.store_db))  # a fresh connection: what is on disk
    assert len(rows) == 200 and {f["id"] for f in rows} == ids
    assert sorted(f["comment"] for f in rows) == sorted(f"fb-{i}" for i in range(200))
    assert all(f["question"] and f["answer"] and f["channel"] == "api" for f in rows)

    # Concurrent follow-ups in one conversation each get their own turn (no lost or clashing writes).
    follow = ["What if we are regulated?", "And if we are a startup?", "What about at large scale?",
              "What if budget is tight?", "And if we worry about lock-in?", "What if it is our core product?"]

    async def ask_all():
        async with httpx.AsyncClient(base_url=srv.url, timeout=300) as client:
            return await asyncio.gather(*[client.post("/api/v1/ask", json={"question": q, "conversation_id": cids[0]})
                                          for q in follow])

    asked = asyncio.run(ask_all())
    assert [r.status_code for r in asked] == [200] * len(follow)
    assert sorted(r.json()["turn"] for r in asked) == list(range(2, 2 + len(follow)))
    before = httpx.get(f"{srv.url}/api/v1/conversations/{cids[0]}").json()["turns"]
    assert [t["turn"] for t in before] == list(range(1, 2 + len(follow)))

    # A restart: a new Advisor, Store and app over the same data dir keep everything and carry on.
    settings = make_settings(srv.settings.data_dir, rate_limit_per_minute=0)
    with LiveServer(create_app(settings, Advisor(settings, embeddings=embeddings), mount_ui=False)) as again:
        turns = httpx.get(f"{again.url}/api/v1/conversations/{cids[0]}").json()["turns"]
        assert turns == before
        assert len(mine(Store(settings.store_db))) == 200
        more = httpx.post(f"{again.url}/api/v1/ask", timeout=120,
                          json={"question": "And what would change this?", "conversation_id": cids[0]}).json()
        assert more["turn"] == len(before) + 1 and more["component"] == "feature-store"
        r = httpx.post(f"{again.url}/api/v1/feedback", json={"conversation_id": cids[1], "turn": 1, "rating": "up"})
        assert r.status_code == 201 and r.json()["id"] > max(ids)


# -- the UI in a real browser -------------------------------------------------------------------------------
XSS_QUESTION = ('<img src=x onerror="window.__xss=1"> Should we build or buy a feature store? '
                '<script>window.__xss=2</script><svg onload="window.__xss=3"></svg> '
                '<iframe src="javascript:parent.__xss=4"></iframe> [click](javascript:window.__xss=5)')


@pytest.mark.browser
@pytest.mark.slow
def test_browser_question_markup_is_inert(srv):
    from test_ui_browser import CHROMIUM, _ask, _verdict, chat_page, chromium

    if not Path(CHROMIUM).exists():
        pytest.skip("needs Debian's chromium at /usr/bin/chromium")
    with chromium() as browser, chat_page(browser, srv.url + "/") as page:
        badge = _ask(page, XSS_QUESTION, 1)
        assert _verdict(badge) == "depends"  # an in-scope question: the answer renders in full
        assert page.evaluate("window.__xss") is None
        counts = page.evaluate("""() => {
            const chat = document.querySelector('#advisor-chat');
            return {img: chat.querySelectorAll('img').length, script: chat.querySelectorAll('script').length,
                    iframe: chat.querySelectorAll('iframe').length,
                    handlers: chat.querySelectorAll('[onerror], [onload]').length,
                    jsLinks: chat.querySelectorAll('a[href^="javascript"]').length,
                    svgInMessages: [...chat.querySelectorAll('.message-content svg')].length,
                    pageImgX: document.querySelectorAll('img[src="x"]').length};
        }""")
        assert counts == {"img": 0, "script": 0, "iframe": 0, "handlers": 0, "jsLinks": 0, "svgInMessages": 0,
                          "pageImgX": 0}, counts
        user = page.locator("#advisor-chat .message-content").first
        assert user.inner_text().strip() == XSS_QUESTION
        page.wait_for_timeout(500)  # an onerror/onload would have fired by now
        assert page.evaluate("window.__xss") is None


@pytest.fixture(scope="module")
def llm_ui(tmp_path_factory, built_data_dir, embeddings):
    """The UI over the LLM generator, with a fake OpenAI-compatible server whose replies carry markup."""
    from test_llm import FakeLLM

    with FakeLLM() as fake:
        _, _, server = serve(tmp_path_factory, built_data_dir, embeddings, mount_ui=True, llm="openai:test-model",
                             llm_base_url=fake.url, llm_api_key="x", rate_limit_per_minute=0)
        with server:
            server.fake = fake
            yield server


@pytest.mark.browser
@pytest.mark.slow
def test_browser_markup_in_an_llm_answer_is_inert(llm_ui):
    """An LLM may echo a question's (or a document's) markup: the answer shows it as text, never runs it."""
    from test_ui_browser import CHROMIUM, _ask, _verdict, chat_page, chromium

    if not Path(CHROMIUM).exists():
        pytest.skip("needs Debian's chromium at /usr/bin/chromium")

    llm_ui.fake.default = ('A managed tracker is quick to adopt [1]. <img src=x onerror="window.__xss=1"> '
                           '<script>window.__xss=2</script> <svg onload="window.__xss=3"></svg> '
                           '[click me](javascript:window.__xss=4) <a href="javascript:window.__xss=5">link</a> '
                           '<iframe src="javascript:parent.__xss=6"></iframe> **bold** works [2].')
    with chromium() as browser, chat_page(browser, llm_ui.url + "/") as page:
        badge = _ask(page, "Should we build or buy experiment tracking?", 1)
        assert _verdict(badge) == "buy"
        answer = page.locator("#advisor-chat .message-content").nth(1)
        text = answer.inner_text()
        assert "<img src=x" in text and "<script>" in text  # shown as text ...
        assert answer.locator("strong").count() >= 1  # ... while the answer's own Markdown still renders
        links = page.locator("#advisor-chat .message-content a")
        for i in range(links.count()):  # a link may survive as text, never with a javascript: target
            assert not (links.nth(i).get_attribute("href") or "").lower().startswith("javascript")
        counts = page.evaluate("""() => {
            const chat = document.querySelector('#advisor-chat');
            return [chat.querySelectorAll('img, script, iframe, [onerror], [onload]').length,
                    [...chat.querySelectorAll('.message-content svg')].length];
        }""")
        assert counts == [0, 0]
        for i in range(links.count()):
            links.nth(i).click()
        page.wait_for_timeout(500)  # any handler or javascript: link would have run by now
        assert page.evaluate("window.__xss") is None
