"""Shared fixtures: the real model loaded once, a real Chroma index built once and copied per test."""

from __future__ import annotations

import os
import shutil
import socket
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

ROOT = Path(__file__).resolve().parent.parent
KNOWLEDGE = ROOT / "knowledge"


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch):
    """Tests never see a developer's ADVISOR_* variables."""
    for key in list(os.environ):
        if key.startswith("ADVISOR_"):
            monkeypatch.delenv(key, raising=False)


@pytest.fixture(scope="session")
def embeddings():
    """The real bundled embedding model, loaded once per test session."""
    from advisor.embeddings import LocalEmbeddings

    emb = LocalEmbeddings()
    emb.embed_query("warm up")
    return emb


def make_settings(data_dir: Path, knowledge_dir: Path = KNOWLEDGE, **overrides):
    from advisor.settings import Settings

    return Settings(data_dir=data_dir, knowledge_dir=knowledge_dir, _env_file=None, **overrides)


@pytest.fixture(scope="session")
def built_data_dir(tmp_path_factory, embeddings) -> Path:
    """A data dir with knowledge/ ingested once; tests get copies, never this one."""
    from advisor.index import KnowledgeIndex

    data = tmp_path_factory.mktemp("built") / "data"
    idx = KnowledgeIndex(make_settings(data), embeddings)
    report = idx.ingest([KNOWLEDGE], progress=False)
    assert report.ok and report.chunks > 100, report
    del idx
    return data


@pytest.fixture
def data_dir(tmp_path, built_data_dir) -> Path:
    """This test's own copy of the built index (cheap: a few MB)."""
    dest = tmp_path / "data"
    shutil.copytree(built_data_dir, dest)
    return dest


@pytest.fixture
def settings(data_dir):
    return make_settings(data_dir)


@pytest.fixture
def advisor(settings, embeddings):
    """A ready advisor over this test's copy of the index, with the default composer."""
    from advisor.chain import Advisor

    return Advisor(settings, embeddings=embeddings)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def postgres():
    """A real Postgres (Debian's binaries, initdb in a temp dir) for one test module; skips when absent."""
    from pgserver import Postgres

    pg = Postgres()
    pg.start()
    yield pg
    pg.close()


@pytest.fixture
def fake():
    """A local fake OpenAI-compatible LLM server (the only fake: no LLM weights exist here)."""
    from test_llm import FakeLLM

    with FakeLLM() as f:
        yield f


@pytest.fixture(scope="module")
def slack():
    """A mock Slack Web API on loopback that records what the advisor posts."""
    from test_slack import MockSlack

    mock = MockSlack()
    yield mock
    mock.server.shutdown()
