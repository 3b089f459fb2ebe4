"""`advisor serve`: one process serving UI, API and Slack on one port (a real subprocess)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from conftest import KNOWLEDGE, free_port
from live_server import answers_200, stop, wait_for

ADVISOR = str(Path(sys.executable).with_name("advisor"))


def _env(data_dir: Path, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ADVISOR_", "GRADIO_SERVER_"))}
    env.update(ADVISOR_DATA_DIR=str(data_dir), ADVISOR_KNOWLEDGE_DIR=str(KNOWLEDGE), HF_HUB_OFFLINE="1", **extra)
    return env


@pytest.mark.slow
def test_serve_runs_ui_api_and_slack_on_one_port(data_dir, tmp_path):
    port = free_port()
    log = (tmp_path / "serve.log").open("w")
    # GRADIO_SERVER_PORT is the fallback when --port is not given.
    proc = subprocess.Popen([ADVISOR, "serve", "--host", "127.0.0.1"], stdout=log, stderr=subprocess.STDOUT,
                            env=_env(data_dir, GRADIO_SERVER_PORT=str(port), ADVISOR_API_KEYS="k1"))
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(answers_200(f"{url}/healthz"), 300, "the server to come up", proc, tmp_path / "serve.log")
        assert httpx.get(f"{url}/readyz").json()["ready"] is True
        assert httpx.post(f"{url}/api/v1/ask", json={"question": "Buy a feature store?"}).status_code == 401
        ask = httpx.post(f"{url}/api/v1/ask", json={"question": "Should we build or buy a feature store?"},
                         headers={"Authorization": "Bearer k1"}, timeout=120)
        assert ask.status_code == 200 and ask.json()["component"] == "feature-store"
        slack = httpx.post(f"{url}/slack/events", json={})
        assert slack.status_code == 404 and "not configured" in slack.json()["message"]
        home = httpx.get(f"{url}/")
        try:
            import advisor.ui  # noqa: F401
        except ImportError:
            assert home.status_code == 404
        else:
            assert home.status_code == 200 and "text/html" in home.headers["content-type"]
    finally:
        stop(proc)
        log.close()


def test_serve_rejects_a_bad_port_before_loading_anything(tmp_path):
    bad_env = subprocess.run([ADVISOR, "serve"], capture_output=True, text=True, timeout=120, check=False,
                             env=_env(tmp_path, GRADIO_SERVER_PORT="http"))
    assert bad_env.returncode == 2 and "GRADIO_SERVER_PORT='http' is not a port number" in bad_env.stderr
    bad_opt = subprocess.run([ADVISOR, "serve", "--port", "70000"], capture_output=True, text=True,
                             timeout=120, check=False, env=_env(tmp_path))
    assert bad_opt.returncode == 2 and "--port" in bad_opt.stderr


def test_serve_help_names_host_and_port():
    out = subprocess.run([ADVISOR, "serve", "--help"], capture_output=True, text=True, timeout=120, check=False)
    assert out.returncode == 0 and "--host" in out.stdout and "--port" in out.stdout
    assert "GRADIO_SERVER_PORT" in out.stdout
