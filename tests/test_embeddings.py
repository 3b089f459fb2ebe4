"""The ONNX export gives the same vectors as sentence-transformers, and the snapshot path works."""

import numpy as np
import pytest

from advisor.embeddings import LocalEmbeddings, export_onnx, onnx_export_matches


@pytest.mark.slow
def test_onnx_export_matches_sentence_transformers(tmp_path, embeddings):
    out = export_onnx("bundled", tmp_path / "onnx")
    assert out is not None and onnx_export_matches(out, "bundled")
    fast = LocalEmbeddings(onnx_dir=out)
    assert fast.active_backend == "onnx"
    texts = ["Should we build a feature store?", "GPU training at scale " * 200, "é ü 漢字 🚀"]
    ref = np.array(embeddings.embed_documents(texts))
    got = np.array(fast.embed_documents(texts))
    assert np.allclose((ref * got).sum(axis=1), 1.0, atol=1e-4)


def test_auto_backend_falls_back_to_torch_without_export(tmp_path):
    emb = LocalEmbeddings(onnx_dir=tmp_path / "missing")
    assert emb.active_backend == "torch"
    assert not onnx_export_matches(tmp_path / "missing", "bundled")


def test_query_cache_returns_identical_vectors(embeddings):
    assert embeddings.embed_query("cache me") == embeddings.embed_query("cache me")


def test_advisor_answers_from_the_snapshot_without_chroma(advisor, settings, embeddings):
    from advisor.chain import Advisor

    assert settings.snapshot_path.is_file()
    fresh = Advisor(settings, embeddings=embeddings)
    answer = fresh.ask("Should we build or buy ML monitoring?")
    assert answer.verdict == "buy"
    assert fresh.loader._index is None  # answering never opened Chroma


def test_ingest_publishes_a_new_snapshot_that_a_running_advisor_picks_up(advisor, tmp_path):
    before = len(advisor.retriever.corpus)
    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "gpu-notes.md").write_text("---\nid: gpu-notes\ntitle: GPU notes\n---\n# GPU notes\n\n"
                                        "Spot instances cut GPU training costs for interruptible jobs.\n")
    advisor.index.ingest([extra], progress=False)
    advisor.ask("Should we build or buy training infrastructure?")  # refresh happens per question
    assert len(advisor.retriever.corpus) == before + 1
    assert "gpu-notes" in advisor.retriever.corpus.by_doc
