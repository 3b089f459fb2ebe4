"""Helpers for HTTP tests: a real uvicorn server on a free loopback port, in a background thread."""

from __future__ import annotations

import shutil
import subprocess
import threading
import time
from pathlib import Path
from typing import Self

import httpx
import uvicorn
from conftest import free_port, make_settings


class LiveServer:
    """Runs an ASGI app under uvicorn on 127.0.0.1 until `stop()`."""

    def __init__(self, app, lifespan: str = "off"):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        # lifespan="on" when the Gradio UI is mounted: its queue starts in the app's lifespan.
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning", lifespan=lifespan)
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> Self:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


def copy_data(built: Path, dest: Path) -> Path:
    """A private copy of the session's built index for one module's server."""
    shutil.copytree(built, dest)
    return dest


def serve(tmp_path_factory, built_data_dir, embeddings, mount_ui: bool = False, **overrides):
    """(settings, advisor, LiveServer) over a fresh copy of the built index; enter the server yourself."""
    from advisor.api import create_app
    from advisor.chain import Advisor

    data = copy_data(built_data_dir, tmp_path_factory.mktemp("api") / "data")
    settings = make_settings(data, **overrides)
    advisor = Advisor(settings, embeddings=embeddings)
    app = create_app(settings, advisor, mount_ui=mount_ui)
    return settings, advisor, LiveServer(app, lifespan="on" if mount_ui else "off")


def wait_for(predicate, timeout: float = 30.0, what: str = "condition", proc: subprocess.Popen | None = None,
             log: Path | None = None):
    """Poll until predicate() is truthy (a bound on waiting, not an assertion on speed).

    With `proc`, fail at once if that process exits first, showing its output (or `log`).
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        if proc is not None and proc.poll() is not None:
            out = log.read_text(errors="replace")[-3000:] if log else (proc.stdout.read() if proc.stdout else "")
            raise AssertionError(f"process exited ({proc.returncode}) before {what}:\n{out}")
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def answers_200(url: str):
    """A predicate for wait_for: `url` answers 200 (connection errors count as not yet)."""
    def ok() -> bool:
        try:
            return httpx.get(url, timeout=5).status_code == 200
        except httpx.HTTPError:
            return False
    return ok


def stop(proc: subprocess.Popen, timeout: float = 30) -> None:
    """Terminate a server process; kill it if it has not exited after `timeout` seconds."""
    proc.terminate()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
