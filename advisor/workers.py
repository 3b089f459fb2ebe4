"""The app each worker process of `advisor serve --workers N` builds (uvicorn imports it by name).

Workers share nothing in memory: conversations, feedback and rate limits live in the database
(ADVISOR_DATABASE_URL, or the SQLite file in the data dir), and each worker reloads the index when an
ingest publishes a new one. The web UI is left out: Gradio keeps its queue and sessions in one
process, so its requests must all reach the same one (serve it with one worker, see README).
"""

from __future__ import annotations


def create():
    """uvicorn factory: the HTTP API, OpenAI-compatible chat, metrics and Slack, without the UI."""
    from .api import create_app
    from .settings import Settings

    return create_app(Settings(), mount_ui=False)
