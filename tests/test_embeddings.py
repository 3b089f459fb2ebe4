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


def test_span_vectors_come_from_the_same_pass_as_the_sentence_vector(embeddings):
    text = "we are a hospital, so patient data never leaves our servers, and we serve two models"
    first, second = (0, 17), (22, 59)
    [rows] = embeddings.embed_spans([text], [[first, second]])
    assert rows.shape == (3, 384)
    assert np.allclose(rows[0], embeddings.embed_documents([text])[0], atol=1e-5)  # row 0 is the usual vector
    assert np.allclose(np.linalg.norm(rows, axis=1), 1.0, atol=1e-5)
    # Each clause reads only itself (and [CLS]/[SEP]): about the vector it gets when encoded alone, and
    # not the vector of the whole turn.
    alone = np.array(embeddings.embed_documents([text[slice(*first)], text[slice(*second)]]))
    assert ((rows[1:] * alone).sum(axis=1) > 0.9).all()
    assert ((rows[1:] @ rows[0]) < 0.9).all()


def test_an_export_of_another_format_is_not_used(tmp_path):
    import json

    from advisor.embeddings import ONNX_FILE, ONNX_META

    (tmp_path / ONNX_FILE).write_bytes(b"old")
    (tmp_path / ONNX_META).write_text(json.dumps({"model": "bundled", "max_seq_length": 256}))  # format 1
    assert not onnx_export_matches(tmp_path, "bundled")
    assert LocalEmbeddings(onnx_dir=tmp_path).active_backend == "torch"


def test_a_span_cut_off_by_truncation_is_encoded_on_its_own(embeddings):
    text = "filler words here " * 120 + "our data must stay in the EU"
    tail = (text.index("our data"), len(text))
    [rows] = embeddings.embed_spans([text], [[tail]])
    alone = embeddings.embed_spans([text[tail[0]:]], [[(0, len(text) - tail[0])]])[0][1]
    assert not np.isnan(rows).any() and np.allclose(rows[1], alone, atol=1e-5)


@pytest.mark.slow
def test_onnx_and_torch_pool_the_same_spans(tmp_path, embeddings):
    fast = LocalEmbeddings(onnx_dir=export_onnx("bundled", tmp_path / "onnx"))
    texts = ["Should we build a feature store, or buy Tecton?", "x"]
    spans = [[(0, 31), (33, 47)], [(0, 1)]]
    for a, b in zip(fast.embed_spans(texts, spans), embeddings.embed_spans(texts, spans)):
        assert np.allclose((a * b).sum(axis=1), 1.0, atol=1e-4)
