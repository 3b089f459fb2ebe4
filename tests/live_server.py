"""Helpers for HTTP tests: a real uvicorn server on a free loopback port, in a background thread."""

from __future__ import annotations

import shutil
import threading
import time
from pathlib import Path
from typing import Self

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


def wait_for(predicate, timeout: float = 30.0, what: str = "condition"):
    """Poll until predicate() is truthy (a bound on waiting, not an assertion on speed)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")
