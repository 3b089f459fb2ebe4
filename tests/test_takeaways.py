"""Stack review, cost break-even and decision record: the core, the CLI and the HTTP door."""

from __future__ import annotations

import json

import httpx
import pytest
from conftest import KNOWLEDGE
from live_server import serve
from typer.testing import CliRunner

from advisor.cli import app
from advisor.errors import InputError
from advisor.matrix import load_matrix, load_taxonomy
from advisor.review import parse_stack, review
from advisor.tco import TcoInputs, compute, inputs_from_text

STACK = """\
team: {engineers: 12}
conditions: [regulated]
components:
  data-pipeline: {state: built, what: cron and bash}
  feature-store: {state: built, what: homegrown Redis cache}
  experiment-tracking: {state: bought, what: Weights & Biases}
  model-serving: {state: built, what: Flask app}
  ml-monitoring: {state: none}
"""


@pytest.fixture(scope="module")
def matrix():
    return load_matrix(KNOWLEDGE / "decision_matrix.yaml"), load_taxonomy(KNOWLEDGE / "conditions.yaml")


# --- stack review ---------------------------------------------------------------------------------

def test_review_gives_every_component_a_verdict_action_and_cited_reason(matrix):
    m, t = matrix
    rv = review(parse_stack(STACK, m, t), m, t, KNOWLEDGE)
    by = {r.component: r for r in rv.rows}
    assert list(by) == ["data-pipeline", "feature-store", "experiment-tracking", "model-serving", "ml-monitoring"]
    assert by["ml-monitoring"].action == "adopt" and by["ml-monitoring"].verdict == "buy"
    assert by["experiment-tracking"].action == "keep"
    assert by["model-serving"].action == "migrate"
    # Every reason carries a marker that resolves to a cited note.
    ns = {c.n for c in rv.citations}
    for r in rv.rows:
        assert r.reason and int(r.reason.rsplit("[", 1)[1].rstrip("]")) in ns, r
    assert "regulated" in rv.conditions


def test_review_puts_a_missing_capability_first_and_keeps_nothing_in_the_priorities(matrix):
    m, t = matrix
    rv = review(parse_stack(STACK, m, t), m, t, KNOWLEDGE)
    assert rv.priorities[0].startswith("**ML monitoring**")
    assert not any("Experiment tracking" in p for p in rv.priorities)  # already right: nothing to do
    assert len(rv.priorities) <= 3


def test_a_built_component_with_a_high_migration_cost_stops_building_rather_than_migrating(matrix):
    m, t = matrix
    stack = parse_stack({"components": {"model-registry": {"state": "built", "what": "tables in Postgres"}}}, m, t)
    row = review(stack, m, t, KNOWLEDGE).rows[0]
    assert (row.verdict, row.migration_cost, row.action) == ("buy", "high", "stop-building")


def test_team_size_in_the_file_decides_early_stage(matrix):
    m, t = matrix
    small = parse_stack({"team": {"engineers": 4}, "components": {"feature-store": {"state": "none"}}}, m, t)
    large = parse_stack({"team": {"engineers": 400}, "components": {"feature-store": {"state": "none"}}}, m, t)
    assert "early-stage" in review(small, m, t, KNOWLEDGE).conditions
    assert "early-stage" not in review(large, m, t, KNOWLEDGE).conditions


@pytest.mark.parametrize("bad, names", [
    ({"components": {"feature-stor": {"state": "built"}}}, "components.feature-stor"),
    ({"components": {"feature-store": {"state": "rented"}}}, "components.feature-store.state"),
    ({"conditions": ["hipaa"], "components": {"feature-store": {"state": "built"}}}, "conditions[0]"),
    ({"components": {}}, "components"),
    ({"components": {"feature-store": {"state": "built"}}, "teams": {}}, "teams"),
    ("components: [unclosed", "not valid YAML"),
])
def test_a_bad_stack_is_rejected_naming_the_row_or_field(matrix, bad, names):
    m, t = matrix
    with pytest.raises(InputError) as err:
        parse_stack(bad, m, t, "stack.yaml")
    assert names in err.value.message and err.value.message.startswith("stack.yaml")
    assert err.value.hint


# --- cost of ownership ----------------------------------------------------------------------------

def test_an_expensive_vendor_breaks_even_and_a_late_build_breaks_even_later():
    r = compute(TcoInputs(vendor_month=20000), KNOWLEDGE)
    assert r.break_even_month is not None and 1 < r.break_even_month <= 36
    later = [s.break_even_month or 10**6 for s in r.scenarios]
    assert [s.overrun for s in r.scenarios] == [0.5, 1.0]
    assert r.break_even_month < later[0] < later[1]
    assert r.build_cumulative[r.break_even_month - 1] <= r.buy_cumulative[r.break_even_month - 1]
    assert r.build_cumulative[r.break_even_month - 2] > r.buy_cumulative[r.break_even_month - 2]


def test_a_cheap_vendor_never_breaks_even_and_the_summary_says_so():
    r = compute(TcoInputs(vendor_month=500, horizon_months=24), KNOWLEDGE)
    assert r.break_even_month is None and len(r.months) == 24
    assert "does not break even within 24 months" in r.summary


def test_only_defaults_are_listed_as_assumptions_each_with_a_cited_note():
    r = compute(TcoInputs(vendor_month=9000, build_months=3), KNOWLEDGE)
    fields = {a.field for a in r.assumptions}
    assert "vendor_month" not in fields and "build_months" not in fields and "build_engineers" in fields
    ns = {f"[{c.n}]" for c in r.citations}
    assert all(a.cite in ns for a in r.assumptions)


def test_numbers_said_in_a_conversation_become_inputs():
    got = inputs_from_text(["We reckon 3 engineers for 4 months could build it.",
                            "The vendor quoted us $8k a month, and an engineer costs $150k a year loaded."])
    assert (got.build_engineers, got.build_months, got.vendor_month, got.loaded_cost_year) == (3, 4, 8000, 150000)


@pytest.mark.parametrize(("text", "months"), [("what would it cost over three years?", 36), ("a 5-year TCO", 60),
                                              ("across the next 18 months", 18)])
def test_the_horizon_asked_for_becomes_the_months_compared(text, months):
    assert inputs_from_text([text]).horizon_months == months


@pytest.mark.parametrize(("text", "months"), [("Our architect reckons the migration would take 7-10 months.", 10),
                                              ("the rewrite will take roughly 5 months", 5),
                                              ("we'd need 3 months to migrate the jobs", 3)])
def test_how_long_a_move_or_rewrite_takes_is_the_build_time_at_the_upper_end_of_a_range(text, months):
    assert inputs_from_text([text]).build_months == months


def test_a_build_estimate_in_words_with_commas_between_is_still_one_estimate():
    got = inputs_from_text(["Four developers at roughly $110k a year each, for eight months, to write it ourselves."])
    assert (got.build_engineers, got.build_months, got.loaded_cost_year) == (4, 8, 110_000)
    assert inputs_from_text(["we have 12 engineers, and for 3 months we tried a vendor"]).build_months is None


def test_how_long_a_build_takes_is_no_horizon_and_its_people_are_the_build_team():
    got = inputs_from_text(["We'd need 2 engineers on it for 6 months."])
    assert (got.build_engineers, got.horizon_months) == (2, None)


# --- through the doors ----------------------------------------------------------------------------

@pytest.fixture
def run(data_dir):
    env = {"ADVISOR_DATA_DIR": str(data_dir)}
    return lambda *args: CliRunner().invoke(app, list(args), env=env)


def test_cli_review_file_prints_the_table_and_a_bad_row_exits_2(run, tmp_path):
    good, bad = tmp_path / "stack.yaml", tmp_path / "bad.yaml"
    good.write_text(STACK)
    bad.write_text("components:\n  feature-stor: {state: built}\n")
    out = run("review", str(good))
    assert out.exit_code == 0, out.output
    assert "| ML monitoring | none | Buy | adopt |" in out.stdout  # piped: Markdown
    as_json = json.loads(run("review", str(good), "--json").stdout)
    assert {r["component"] for r in as_json["rows"]} >= {"feature-store", "ml-monitoring"}
    err = run("review", str(bad))
    assert err.exit_code == 2 and "components.feature-stor" in err.output and "feature-store" in err.output


def test_cli_tco_writes_a_chart_and_json(run, tmp_path):
    png = tmp_path / "tco.png"
    out = run("tco", "--vendor-month", "20000", "--chart", str(png), "--json")
    assert out.exit_code == 0, out.output
    assert json.loads(out.stdout)["break_even_month"] is not None
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert run("tco", "--maintenance-share", "3").exit_code == 2


@pytest.fixture(scope="module")
def srv(tmp_path_factory, built_data_dir, embeddings):
    _, _, server = serve(tmp_path_factory, built_data_dir, embeddings)
    with server:
        yield server


def test_api_review_accepts_the_stack_shape_and_free_text(srv):
    import yaml

    with httpx.Client(base_url=srv.url, timeout=120) as http:
        r = http.post("/api/v1/review", json=yaml.safe_load(STACK))
        assert r.status_code == 200, r.text
        body = r.json()
        assert body["rows"][0]["component"] == "data-pipeline" and body["markdown"].startswith("**Do these first**")
        r = http.post("/api/v1/review", json={"text": "Airflow, a homegrown feature store, W&B, no monitoring, "
                                                      "12 engineers, HIPAA"})
        assert r.status_code == 200, r.text
        rows = {x["component"]: x for x in r.json()["rows"]}
        assert rows["ml-monitoring"]["state"] == "none" and rows["feature-store"]["state"] == "built"
        assert rows["experiment-tracking"]["state"] == "bought" and "regulated" in r.json()["conditions"]
        r = http.post("/api/v1/review", json={"components": {"feature-stor": {"state": "built"}}})
        assert r.status_code == 422 and "components.feature-stor" in r.json()["message"]


def test_api_tco_json_svg_png_and_numbers_from_the_conversation(srv):
    with httpx.Client(base_url=srv.url, timeout=120) as http:
        assert http.post("/api/v1/tco", json={}).json()["assumptions"]
        svg = http.post("/api/v1/tco?format=svg", json={"vendor_month": 20000})
        assert svg.headers["content-type"].startswith("image/svg+xml") and b"<svg" in svg.content
        png = http.post("/api/v1/tco?format=png", json={})
        assert png.content[:4] == b"\x89PNG"
        asked = http.post("/api/v1/ask", json={"question": "Feature store for our team: we think 3 engineers for "
                                                           "4 months could build it, and Tecton quoted $9k a month."})
        cid = asked.json()["conversation_id"]
        r = http.post("/api/v1/tco", json={"conversation_id": cid}).json()
        assert (r["inputs"]["build_engineers"], r["inputs"]["build_months"], r["inputs"]["vendor_month"]) == (3, 4, 9000)
        assert "vendor_month" not in {a["field"] for a in r["assumptions"]}
        assert http.post("/api/v1/tco", json={"horizon_months": 0}).status_code == 422


def test_api_and_cli_export_a_conversation_as_a_madr_record(srv, tmp_path):
    with httpx.Client(base_url=srv.url, timeout=120) as http:
        cid = http.post("/api/v1/ask", json={"question": "We're a regulated bank. Feature store: build or buy?"}
                        ).json()["conversation_id"]
        http.post("/api/v1/ask", json={"question": "Feast or Tecton?", "conversation_id": cid})
        r = http.get(f"/api/v1/conversations/{cid}/adr")
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/markdown")
        text = r.text
        for heading in ("## Context", "## Decision Drivers", "## Considered Options", "## Decision Outcome",
                        "## Consequences", "## Sources"):
            assert heading in text
        assert "regulated bank" in text and "**Feature store: Hybrid.**" in text and "Feast" in text
        assert "cost of changing course later is high" in text
        assert http.get("/api/v1/conversations/nope/adr").status_code == 404


def test_cli_adr_exports_a_conversation_and_an_unknown_id_exits_3(run, advisor, tmp_path):
    first = advisor.ask("We are 6 engineers at a seed startup. Experiment tracking: build or buy?")
    advisor.ask("W&B or MLflow?", first.conversation_id)
    out = run("adr", first.conversation_id)
    assert out.exit_code == 0, out.output
    assert out.stdout.startswith("# Build or buy: ") and "## Decision Outcome" in out.stdout
    assert "**Experiment tracking: Buy.**" in out.stdout and "early stage" in out.stdout
    target = tmp_path / "adr.md"
    assert run("adr", first.conversation_id, "-o", str(target)).exit_code == 0
    assert target.read_text() == out.stdout
    missing = run("adr", "no-such-id")
    assert missing.exit_code == 3 and "unknown conversation" in missing.output
