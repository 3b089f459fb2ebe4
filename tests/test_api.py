"""The HTTP API over real HTTP: uvicorn on loopback, the real model and index, httpx and the openai client."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import openai
import pytest
from live_server import serve

FEATURE_STORE = "Should we build or buy a feature store?"
CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="module")
def srv(tmp_path_factory, built_data_dir, embeddings):
    """An open server (no API keys) shared by this module's tests."""
    _, advisor, server = serve(tmp_path_factory, built_data_dir, embeddings)
    with server:
        server.advisor = advisor
        yield server


@pytest.fixture(scope="module")
def secured(tmp_path_factory, built_data_dir, embeddings):
    """A server with API keys, a low per-key rate limit and CORS for one origin."""
    _, _, server = serve(tmp_path_factory, built_data_dir, embeddings, api_keys=["alpha", "beta", "gamma"],
                         rate_limit_per_minute=4, cors_origins=["https://intranet.example"])
    with server:
        yield server


@pytest.fixture
def http(srv):
    with httpx.Client(base_url=srv.url, timeout=120) as client:
        yield client


def parse_sse(text: str) -> list[tuple[str, dict]]:
    """Split an event stream into (event, data) pairs, checking the framing as a client would."""
    events = []
    assert text.endswith("\n\n"), "every event ends with a blank line"
    for block in text.strip("\n").split("\n\n"):
        fields = dict(line.split(": ", 1) for line in block.split("\n"))
        assert set(fields) == {"event", "data"}, block
        events.append((fields["event"], json.loads(fields["data"])))
    return events


# -- health, docs -----------------------------------------------------------------------------------
def test_health_and_ready(http):
    assert http.get("/healthz").json() == {"status": "ok"}
    ready = http.get("/readyz")
    assert ready.status_code == 200 and ready.json()["ready"] is True and ready.json()["chunks"] > 100


def test_openapi_lists_every_route(http):
    paths = http.get("/openapi.json").json()["paths"]
    for path in ("/api/v1/ask", "/api/v1/ask/stream", "/api/v1/conversations/{conversation_id}", "/api/v1/feedback",
                 "/api/v1/sources", "/healthz", "/readyz", "/metrics", "/v1/chat/completions", "/v1/models"):
        assert path in paths, path


@pytest.mark.browser
@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium at /usr/bin/chromium")
def test_docs_render_in_a_browser_with_every_other_host_blocked(srv):
    """/docs and /redoc load their assets from this server: with the network cut off they still render."""
    from playwright.sync_api import sync_playwright

    asked, blocked = [], []

    def loopback_only(route):
        url = route.request.url
        asked.append(url)
        if urlsplit(url).hostname == "127.0.0.1":
            route.continue_()
        else:
            blocked.append(url)
            route.abort("internetdisconnected")

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run"])
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 1000})
            context.set_default_timeout(120_000)  # a bound on waiting for a busy machine, not a speed check
            context.route("**/*", loopback_only)
            page = context.new_page()
            page.goto(f"{srv.url}/docs")
            page.wait_for_selector(".opblock-summary-path")
            operations = {(m.strip().upper(), path.strip()) for m, path in zip(
                page.locator(".opblock-summary-method").all_inner_texts(),
                page.locator(".opblock-summary-path").all_inner_texts(), strict=True)}
            title = page.locator(".info .title").first.inner_text()
            # An operation opens and shows its request schema, rendered from /openapi.json.
            page.locator("#operations-advisor-ask_api_v1_ask_post .opblock-summary").click()
            page.wait_for_selector("#operations-advisor-ask_api_v1_ask_post .opblock-body")
            # The body opens before its schema is drawn: wait for the schema's own words, not a fixed time.
            page.locator("#operations-advisor-ask_api_v1_ask_post").filter(has_text="question").wait_for()
            opened = page.locator("#operations-advisor-ask_api_v1_ask_post").inner_text()
            docs_blocked = list(blocked)

            page.goto(f"{srv.url}/redoc")
            page.wait_for_selector("h1:has-text('Build-or-Buy Advisor')")
            redoc = page.locator("body").inner_text()
        finally:
            browser.close()
    assert docs_blocked == [], docs_blocked  # /docs asks nothing of any other host
    # ReDoc renders too; the only thing it asks elsewhere is its decorative "powered by" logo.
    assert all(u.startswith("https://cdn.redoc.ly/") and u.endswith("logo-mini.svg") for u in blocked), blocked
    assert any(u.endswith("/static-offline-docs/swagger-ui-bundle.js") for u in asked)
    assert "Build-or-Buy Advisor" in title
    assert {("POST", "/api/v1/ask"), ("POST", "/api/v1/ask/stream"), ("POST", "/v1/chat/completions"),
            ("GET", "/v1/models"), ("GET", "/healthz")} <= operations, operations
    assert "question" in opened and "conversation_id" in opened
    assert "Build-or-Buy Advisor" in redoc and "/v1/chat/completions" in redoc


def test_readyz_is_503_with_an_empty_index(tmp_path, embeddings):
    from conftest import make_settings
    from live_server import LiveServer

    from advisor.api import create_app
    from advisor.chain import Advisor

    settings = make_settings(tmp_path / "empty")
    with LiveServer(create_app(settings, Advisor(settings, embeddings=embeddings), mount_ui=False)) as server:
        ready = httpx.get(f"{server.url}/readyz")
        assert ready.status_code == 503 and ready.json()["error"] == "IndexNotReadyError"
        assert "advisor ingest" in ready.json()["hint"]
        ask = httpx.post(f"{server.url}/api/v1/ask", json={"question": FEATURE_STORE}, timeout=60)
        assert ask.status_code == 503 and ask.json()["error"] == "IndexNotReadyError"
        assert httpx.get(f"{server.url}/healthz").status_code == 200


# -- ask, follow-up, conversations --------------------------------------------------------------------
def test_ask_returns_the_answer_json(http):
    r = http.post("/api/v1/ask", json={"question": FEATURE_STORE})
    assert r.status_code == 200
    body = r.json()
    assert body["answer"] == body["text"] and "Recommendation" in body["answer"]
    assert body["component"] == "feature-store" and body["verdict"] in ("buy", "build", "hybrid", "depends")
    assert body["refused"] is False and body["conversation_id"] and body["turn"] == 1
    assert body["citations"], "answers cite their sources"
    for c in body["citations"]:
        assert {"n", "doc_id", "title", "section", "source", "snippet"} <= set(c)
        assert f"[{c['n']}]" in body["answer"]


def test_follow_up_by_conversation_id(http):
    first = http.post("/api/v1/ask", json={"question": FEATURE_STORE}).json()
    follow = http.post("/api/v1/ask", json={"question": "What if we are regulated?",
                                            "conversation_id": first["conversation_id"]}).json()
    assert follow["conversation_id"] == first["conversation_id"] and follow["turn"] == 2
    assert follow["component"] == "feature-store"
    assert "regulated" in follow["conditions"] and "regulated" not in first["conditions"]
    # Without the id the same words are a new, context-free question.
    fresh = http.post("/api/v1/ask", json={"question": "What if we are regulated?"}).json()
    assert fresh["conversation_id"] != first["conversation_id"] and fresh["component"] != "feature-store"

    conv = http.get(f"/api/v1/conversations/{first['conversation_id']}")
    assert conv.status_code == 200
    turns = conv.json()["turns"]
    assert [t["question"] for t in turns] == [FEATURE_STORE, "What if we are regulated?"]
    assert turns[1]["answer"]["conditions"] == follow["conditions"]


def test_unknown_conversation_is_404(http):
    r = http.get("/api/v1/conversations/no-such-id")
    assert r.status_code == 404 and r.json()["error"] == "NotFoundError" and "no-such-id" in r.json()["message"]
    r = http.post("/api/v1/ask", json={"question": FEATURE_STORE, "conversation_id": "no-such-id"})
    assert r.status_code == 404 and "unknown conversation id" in r.json()["message"]
    assert r.json()["hint"]


# -- validation --------------------------------------------------------------------------------------
@pytest.mark.parametrize("payload, status, error, says", [
    ({"question": ""}, 422, "InputError", "empty"),
    ({"question": "   \n "}, 422, "InputError", "empty"),
    ({"question": "x" * 4001}, 422, "InputError", "4001 characters"),
    ({"question": 123}, 422, "ValidationError", "question: Input should be a valid string"),
    ({"question": ["a"]}, 422, "ValidationError", "question"),
    ({}, 422, "ValidationError", "question: Field required"),
    ({"question": FEATURE_STORE, "conversation_id": 5}, 422, "ValidationError", "conversation_id"),
    ({"question": FEATURE_STORE, "mood": "happy"}, 422, "ValidationError", "mood"),
    ([FEATURE_STORE], 422, "ValidationError", "valid dictionary"),
])
def test_bad_questions_get_a_json_4xx_saying_what_is_wrong(http, payload, status, error, says):
    for route in ("/api/v1/ask", "/api/v1/ask/stream"):
        r = http.post(route, json=payload)
        assert r.status_code == status, (route, r.text)
        assert r.headers["content-type"].startswith("application/json")
        body = r.json()
        assert body["error"] == error and says in body["message"], body
        assert body["hint"] and "Traceback" not in r.text


@pytest.mark.parametrize("body, ctype, says", [
    (b'{"question": ', "application/json", "the body is not valid JSON: Expecting value at character 13"),
    (b"Should we buy a feature store?", "application/json", "the body is not valid JSON"),
    (b"\xff\xfe\x00", "application/json", "the body is not valid JSON"),
    (b"Should we buy a feature store?", "text/plain", "the body is not JSON (it was sent as text/plain)"),
    (b"question=feature+store", "application/x-www-form-urlencoded", "application/x-www-form-urlencoded"),
    (b'{"question": "x"}', None, "the body is not JSON (it was sent without a Content-Type)"),
    (b"", None, "the request has no body"),
])
def test_a_body_that_is_not_json_is_a_400_saying_so(http, body, ctype, says):
    headers = {"content-type": ctype} if ctype else {}
    for route in ("/api/v1/ask", "/api/v1/ask/stream", "/api/v1/feedback"):
        r = http.post(route, content=body, headers=headers)
        assert r.status_code == 400, (route, r.text)
        assert r.json()["error"] == "BodyNotJSONError" and says in r.json()["message"], r.json()
        assert "application/json" in r.json()["hint"] and "details" not in r.json()
    err = http.post("/v1/chat/completions", content=body, headers=headers).json()["error"]
    assert err["type"] == "invalid_request_error" and err["code"] == "BodyNotJSONError" and says in err["message"]


def test_json_of_the_wrong_shape_stays_a_422(http):
    for body in (b"null", b"[]", b'"question"'):
        r = http.post("/api/v1/ask", content=body, headers={"content-type": "application/json"})
        assert r.status_code == 422 and r.json()["error"] == "ValidationError", r.text


def test_question_at_the_limit_is_accepted(http):
    r = http.post("/api/v1/ask", json={"question": ("Should we buy a feature store? " * 200)[:4000]})
    assert r.status_code == 200 and r.json()["component"] == "feature-store"


def test_oversized_bodies_get_413(http):
    big = json.dumps({"question": "x" * 70_000}).encode()
    r = http.post("/api/v1/ask", content=big, headers={"content-type": "application/json"})
    assert r.status_code == 413 and r.json()["error"] == "PayloadTooLargeError" and "64000" in r.json()["message"]

    def chunked():  # no Content-Length: the limit must hold while reading
        for _ in range(8):
            yield b"x" * 10_000

    r = http.post("/api/v1/ask", content=chunked(), headers={"content-type": "application/json"})
    assert r.status_code == 413 and r.json()["error"] == "PayloadTooLargeError"


def test_unknown_routes_are_json_404(http):
    for method, path in (("GET", "/api/v1/nope"), ("POST", "/v1/nope")):
        r = http.request(method, path)
        assert r.status_code == 404 and "no such API route" in r.text
    r = http.get("/api/v1/ask")
    assert r.status_code == 405 and r.json()["error"] == "MethodNotAllowed" and r.headers["allow"] == "POST"


def test_a_bug_is_a_generic_500_without_details(srv, http, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("secret internals /etc/passwd")

    monkeypatch.setattr(srv.advisor, "ask", broken)
    r = http.post("/api/v1/ask", json={"question": FEATURE_STORE})
    assert r.status_code == 500 and r.json()["error"] == "InternalError"
    assert "secret" not in r.text and "Traceback" not in r.text


# -- streaming -------------------------------------------------------------------------------------
def test_sse_streams_tokens_then_the_answer(http):
    with http.stream("POST", "/api/v1/ask/stream", json={"question": FEATURE_STORE}) as r:
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/event-stream")
        text = "".join(r.iter_text())
    events = parse_sse(text)
    kinds = [e for e, _ in events]
    assert kinds[-1] == "answer" and kinds.count("answer") == 1
    assert len(kinds) > 2 and set(kinds[:-1]) == {"token"}
    final = events[-1][1]
    assert "".join(d["text"] for e, d in events if e == "token") == final["answer"]
    assert final["component"] == "feature-store" and final["citations"] and final["conversation_id"]

    # The stream's conversation continues like any other.
    follow = http.post("/api/v1/ask/stream", json={"question": "What if we are regulated?",
                                                   "conversation_id": final["conversation_id"]})
    answer = parse_sse(follow.text)[-1][1]
    assert answer["component"] == "feature-store" and "regulated" in answer["conditions"]


# -- feedback, sources -------------------------------------------------------------------------------
def test_feedback_is_recorded_in_the_store(srv, http):
    ans = http.post("/api/v1/ask", json={"question": FEATURE_STORE}).json()
    r = http.post("/api/v1/feedback", json={"conversation_id": ans["conversation_id"], "turn": ans["turn"],
                                            "rating": "down", "comment": "missing Feast pricing"})
    assert r.status_code == 201 and r.json()["ok"] is True
    row = next(f for f in srv.advisor.store.feedback() if f["id"] == r.json()["id"])
    assert row["rating"] == "down" and row["channel"] == "api" and row["comment"] == "missing Feast pricing"
    assert row["question"] == FEATURE_STORE

    bad = http.post("/api/v1/feedback", json={"conversation_id": ans["conversation_id"], "turn": 1,
                                              "rating": "meh"})
    assert bad.status_code == 422 and "rating" in bad.json()["message"]
    missing = http.post("/api/v1/feedback", json={"conversation_id": ans["conversation_id"], "turn": 9,
                                                  "rating": "up"})
    assert missing.status_code == 404 and "no turn 9" in missing.json()["message"]


def test_sources_lists_indexed_documents(http):
    docs = http.get("/api/v1/sources").json()
    by_id = {d["doc_id"]: d for d in docs}
    assert len(docs) > 10 and "feature-store" in by_id
    assert by_id["feature-store"]["chunks"] > 0 and by_id["feature-store"]["file"].endswith("feature-store.md")


# -- OpenAI-compatible chat ----------------------------------------------------------------------
def test_openai_client_non_stream_and_history_follow_up(srv):
    client = openai.OpenAI(base_url=f"{srv.url}/v1", api_key="unused", max_retries=0)
    assert [m.id for m in client.models.list()] == ["build-or-buy-advisor", "advisor"]
    first = client.chat.completions.create(model="build-or-buy-advisor",
                                           messages=[{"role": "user", "content": FEATURE_STORE}])
    content = first.choices[0].message.content
    assert first.choices[0].finish_reason == "stop" and "Recommendation" in content
    assert first.model_extra["advisor"]["component"] == "feature-store"

    # A chat client resends the whole history: the follow-up keeps the thread's component.
    follow = client.chat.completions.create(model="build-or-buy-advisor", messages=[
        {"role": "system", "content": "You are helpful."},
        {"role": "user", "content": FEATURE_STORE},
        {"role": "assistant", "content": content},
        {"role": "user", "content": [{"type": "text", "text": "What if we are regulated?"}]}])
    extra = follow.model_extra
    assert extra["conversation_id"] == first.model_extra["conversation_id"]
    assert extra["advisor"]["component"] == "feature-store" and "regulated" in extra["advisor"]["conditions"]


def test_openai_history_from_another_server_is_replayed(srv):
    client = openai.OpenAI(base_url=f"{srv.url}/v1", api_key="unused", max_retries=0)
    follow = client.chat.completions.create(model="advisor", messages=[
        {"role": "user", "content": FEATURE_STORE},
        {"role": "assistant", "content": "(an answer this server never gave)"},
        {"role": "user", "content": "What if we are regulated?"}])
    assert follow.model_extra["advisor"]["component"] == "feature-store"
    assert "regulated" in follow.model_extra["advisor"]["conditions"]
    assert follow.model_extra["advisor"]["turn"] == 2


def test_openai_client_streams(srv):
    client = openai.OpenAI(base_url=f"{srv.url}/v1", api_key="unused", max_retries=0)
    stream = client.chat.completions.create(model="build-or-buy-advisor", stream=True,
                                            messages=[{"role": "user", "content": FEATURE_STORE}])
    chunks = list(stream)
    assert chunks[0].choices[0].delta.role == "assistant"
    text = "".join(c.choices[0].delta.content or "" for c in chunks)
    assert chunks[-1].choices[0].finish_reason == "stop"
    assert "Recommendation" in text and "[1]" in text
    assert chunks[-1].model_extra["advisor"]["component"] == "feature-store"
    assert len(chunks) > 3


def test_openai_errors_are_openai_shaped(srv):
    client = openai.OpenAI(base_url=f"{srv.url}/v1", api_key="unused", max_retries=0)
    model = "build-or-buy-advisor"
    with pytest.raises(openai.UnprocessableEntityError) as exc:
        client.chat.completions.create(model=model, messages=[{"role": "user", "content": "  "}])
    assert "empty" in exc.value.message
    with pytest.raises(openai.UnprocessableEntityError) as exc:
        client.chat.completions.create(model=model, messages=[{"role": "user", "content": FEATURE_STORE},
                                                              {"role": "assistant", "content": "hi"}])
    assert "last message must be from the user" in exc.value.message
    with pytest.raises(openai.NotFoundError):
        client.chat.completions.create(model=model, messages=[{"role": "user", "content": FEATURE_STORE}],
                                       extra_body={"conversation_id": "no-such-id"})


@pytest.mark.parametrize("stream", [False, True])
def test_openai_other_model_names_get_model_not_found(srv, http, stream):
    def conversations() -> int:
        return srv.advisor.store._conn().execute("SELECT count(*) FROM conversations").fetchone()[0]

    before = conversations()
    r = http.post("/v1/chat/completions", json={"model": "gpt-4o", "stream": stream,
                                                "messages": [{"role": "user", "content": FEATURE_STORE}]})
    assert r.status_code == 404 and r.headers["content-type"].startswith("application/json")
    err = r.json()["error"]
    assert {k: err[k] for k in ("type", "param", "code")} == {
        "type": "invalid_request_error", "param": "model", "code": "model_not_found"}
    assert "'gpt-4o'" in err["message"] and "build-or-buy-advisor" in err["message"]
    assert conversations() == before, "nothing was answered"

    client = openai.OpenAI(base_url=f"{srv.url}/v1", api_key="unused", max_retries=0)
    with pytest.raises(openai.NotFoundError) as exc:
        client.chat.completions.create(model="gpt-4o", stream=stream,
                                       messages=[{"role": "user", "content": FEATURE_STORE}])
    assert exc.value.code == "model_not_found" and exc.value.param == "model"


def test_openai_every_listed_model_answers_and_is_echoed(srv):
    client = openai.OpenAI(base_url=f"{srv.url}/v1", api_key="unused", max_retries=0)
    listed = [m.id for m in client.models.list()]
    for model in listed:
        r = client.chat.completions.create(model=model, messages=[{"role": "user", "content": FEATURE_STORE}])
        assert r.model == model and r.model_extra["advisor"]["component"] == "feature-store"
    # Leaving the model out (as some clients do) is the advisor's own model.
    r = httpx.post(f"{srv.url}/v1/chat/completions", timeout=120,
                   json={"messages": [{"role": "user", "content": FEATURE_STORE}]})
    assert r.status_code == 200 and r.json()["model"] == "build-or-buy-advisor"


# -- metrics -------------------------------------------------------------------------------------
def test_metrics_count_requests_latency_and_verdicts(http):
    verdict = http.post("/api/v1/ask", json={"question": "Should we build or buy experiment tracking?"}).json()
    http.post("/api/v1/ask", json={"question": ""})
    text = http.get("/metrics").text
    assert 'advisor_http_requests_total{method="POST",route="/api/v1/ask",status="200"}' in text
    assert 'advisor_http_requests_total{method="POST",route="/api/v1/ask",status="422"}' in text
    assert 'advisor_http_request_duration_seconds_bucket{le="0.5",method="POST",route="/api/v1/ask"}' in text
    assert f'advisor_answers_total{{door="api",verdict="{verdict["verdict"]}"}}' in text
    assert "advisor_ready 1.0" in text
    assert "/api/v1/conversations/no-such-id" not in text, "route templates, not raw paths"


# -- auth, rate limit, CORS ----------------------------------------------------------------------------
def test_auth_off_needs_no_key_and_sends_no_cors(http):
    r = http.get("/api/v1/sources", headers={"Origin": "https://intranet.example"})
    assert r.status_code == 200 and "access-control-allow-origin" not in r.headers


def test_auth_on_requires_a_valid_bearer_key(secured):
    url = secured.url
    assert httpx.get(f"{url}/healthz").status_code == 200
    assert httpx.get(f"{url}/readyz").status_code == 200
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": "Basic alpha"},
                    {"Authorization": "Bearer"}, {"Authorization": "alpha"}):
        for method, path in (("POST", "/api/v1/ask"), ("GET", "/api/v1/sources"), ("GET", "/metrics"),
                             ("POST", "/v1/chat/completions")):
            r = httpx.request(method, f"{url}{path}", headers=headers, json={"question": FEATURE_STORE})
            assert r.status_code == 401, (headers, path)
            assert r.headers["www-authenticate"] == "Bearer" and "key" in r.text.lower()
    ok = httpx.post(f"{url}/api/v1/ask", headers={"Authorization": "Bearer alpha"},
                    json={"question": FEATURE_STORE}, timeout=120)
    assert ok.status_code == 200 and ok.json()["component"] == "feature-store"
    client = openai.OpenAI(base_url=f"{url}/v1", api_key="beta", max_retries=0)
    assert client.chat.completions.create(model="advisor", messages=[{"role": "user", "content": FEATURE_STORE}])
    with pytest.raises(openai.AuthenticationError):
        openai.OpenAI(base_url=f"{url}/v1", api_key="nope", max_retries=0).models.list()


def test_rate_limit_is_per_key_with_retry_after(secured):
    gamma = {"Authorization": "Bearer gamma"}
    codes = [httpx.get(f"{secured.url}/api/v1/sources", headers=gamma).status_code for _ in range(4)]
    assert codes == [200] * 4
    limited = httpx.get(f"{secured.url}/api/v1/sources", headers=gamma)
    assert limited.status_code == 429 and limited.json()["error"] == "RateLimitError"
    assert int(limited.headers["retry-after"]) >= 1 and "4 requests per minute" in limited.json()["message"]
    # Another key has its own allowance.
    assert httpx.get(f"{secured.url}/api/v1/sources", headers={"Authorization": "Bearer alpha"}).status_code == 200


def test_cors_only_for_configured_origins(secured):
    pre = httpx.options(f"{secured.url}/api/v1/ask", headers={
        "Origin": "https://intranet.example", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization,content-type"})
    assert pre.status_code == 200 and pre.headers["access-control-allow-origin"] == "https://intranet.example"
    other = httpx.options(f"{secured.url}/api/v1/ask", headers={
        "Origin": "https://evil.example", "Access-Control-Request-Method": "POST"})
    assert other.headers.get("access-control-allow-origin") != "https://evil.example"


def test_token_bucket_refills_over_time():
    from advisor.guard import TokenBucket

    now = [0.0]
    bucket = TokenBucket(2, clock=lambda: now[0])
    assert bucket.take("k") == 0 and bucket.take("k") == 0
    wait = bucket.take("k")
    assert wait == pytest.approx(30.0)  # 2 per minute: one token every 30 s
    now[0] += 30
    assert bucket.take("k") == 0 and bucket.take("other") == 0


def test_token_buckets_of_past_callers_are_forgotten_but_limited_ones_kept():
    from advisor.guard import TokenBucket

    now = [0.0]
    bucket = TokenBucket(2, clock=lambda: now[0])
    bucket.take("busy")
    bucket.take("busy")  # empty now
    for i in range(10_001):
        bucket.take(f"ip:{i}")
    now[0] += 0.5  # the busy caller is still limited; the one-request callers refill within the minute
    bucket.take("ip:late")
    now[0] += 30
    bucket.take("trigger")
    assert len(bucket._buckets) < 100  # not every address ever seen
    assert "busy" in bucket._buckets  # a caller still short of tokens is never forgotten early
