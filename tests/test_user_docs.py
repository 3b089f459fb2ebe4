"""The user's own documents in answers: a section of their own, cited, marked, never moving the verdict."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ROOT, make_settings

from advisor.chain import Advisor
from advisor.index import KnowledgeIndex
from advisor.render import markdown, slack_blocks
from advisor.slack_blocks import answer_blocks
from advisor.terminal import plain_text
from advisor.ui_render import sources_panel

DOCS = ROOT / "evals" / "datasets" / "your_documents.docs"


@pytest.fixture
def with_docs(settings, embeddings):
    KnowledgeIndex(settings, embeddings).ingest([DOCS], progress=False)
    return Advisor(settings, embeddings=embeddings)


def section(answer):
    return next((s for s in answer.sections if s.kind == "documents"), None)


def test_a_stated_figure_is_quoted_cited_and_marked_as_the_users(with_docs, built_data_dir, tmp_path, embeddings):
    import shutil

    plain = Advisor(make_settings(shutil.copytree(built_data_dir, tmp_path / "plain")), embeddings=embeddings)
    question = "A vendor quoted us for a managed vector database. Should we buy it or run our own?"
    answer = with_docs.ask(question)
    mine = section(answer)
    assert mine is not None and mine.title == "From your documents"
    assert any("$3,400" in item for item in mine.items)
    yours = [c for c in answer.citations if c.yours]
    assert yours and {c.doc_id for c in yours} == {"quote-vector-search"}
    assert all(f"[{c.n}]" in " ".join(mine.items) for c in yours)
    assert all(not c.yours for c in answer.citations if c.doc_id != "quote-vector-search")
    # Informs, never overrides: the verdict and the lead are the matrix's, as without the documents.
    without = plain.ask(question)
    assert (answer.verdict, answer.lead) == (without.verdict, without.lead)
    assert section(without) is None
    assert "your document" in markdown(answer)


def test_every_door_renders_the_section(with_docs):
    answer = with_docs.ask("What latency target does our fraud scoring RFP set for model serving?")
    assert section(answer) is not None and "p99" in " ".join(section(answer).items)
    assert "From your documents" in markdown(answer)
    assert "From your documents" in plain_text(answer) and "your document" in plain_text(answer)
    assert "From your documents" in str(slack_blocks(answer)) and "From your documents" in str(answer_blocks(answer))
    assert "src-yours" in sources_panel(answer.citations)


def test_documents_that_do_not_bear_on_the_question_stay_out(with_docs):
    answer = with_docs.ask("Should we buy an experiment tracker or build one?")
    assert section(answer) is None and not any(c.yours for c in answer.citations)


def test_an_eval_dataset_ingests_its_own_documents(tmp_path, data_dir, embeddings):
    from advisor.evaluation import run_eval

    settings = make_settings(data_dir)
    before = KnowledgeIndex(settings, embeddings).count()
    run = run_eval(settings, datasets=[ROOT / "evals" / "datasets" / "your_documents.yaml"],
                   out=tmp_path / "run")
    assert run.summary["cite_rate"] == 1.0 and run.summary["verdict_accuracy"] == 1.0, run.summary
    assert all(r["passed"] for r in run.results), [r["checks"] for r in run.results if not r["passed"]]
    assert KnowledgeIndex(settings, embeddings).count() == before  # the user's data dir is untouched
    assert Path(DOCS).is_dir()


def test_the_document_settings_change_what_is_quoted(with_docs, settings, embeddings, monkeypatch):
    from pydantic import ValidationError

    from advisor.settings import Settings

    def ask(question, **env):
        for name, value in env.items():
            monkeypatch.setenv(f"ADVISOR_{name.upper()}", str(value))
        try:
            return Advisor(make_settings(settings.data_dir), embeddings=embeddings).ask(question)
        finally:
            for name in env:
                monkeypatch.delenv(f"ADVISOR_{name.upper()}")

    quote = "A vendor quoted us for a managed vector database. Should we buy it or run our own?"
    assert section(with_docs.ask(quote)) is not None  # the defaults: 3 passages, similarity >= 0.35
    # No passages at all, or a similarity no passage reaches: the section and its citations go.
    for env in ({"document_passages": 0}, {"document_min_similarity": 0.99}):
        answer = ask(quote, **env)
        assert section(answer) is None and not any(c.yours for c in answer.citations), env
    # At most one passage.
    answer = ask(quote, document_passages=1, document_min_similarity=0.0)
    assert len(section(answer).items) == 1 and len({c.n for c in answer.citations if c.yours}) == 1
    # No floor: documents that do not bear on the question (they stay out by default) are quoted.
    off = "Should we buy an experiment tracker or build one?"
    assert section(with_docs.ask(off)) is None
    assert section(ask(off, document_min_similarity=0.0)) is not None
    for bad in ({"document_passages": -1}, {"document_passages": 21}, {"document_min_similarity": 1.5},
                {"document_min_similarity": -0.1}):
        with pytest.raises(ValidationError):
            Settings(_env_file=None, **bad)
