"""Where the chunks live: Chroma embedded on disk, or a Chroma server (picked by settings)."""

from __future__ import annotations

from contextlib import suppress
from typing import TYPE_CHECKING, Protocol

from langchain_core.embeddings import Embeddings

from .errors import IndexDamagedError, IndexNotReadyError, InputError
from .settings import Settings

if TYPE_CHECKING:  # chromadb takes a second or more to import: only the paths that write need it
    from langchain_chroma import Chroma


class VectorStoreFactory(Protocol):
    """Opens the Chroma collection: embedded on disk, or a Chroma server."""

    def __call__(self, settings: Settings, embeddings: Embeddings) -> Chroma: ...


def _embedded(settings: Settings, embeddings: Embeddings) -> Chroma:
    import chromadb
    from langchain_chroma import Chroma

    client = None
    try:
        settings.chroma_dir.mkdir(parents=True, exist_ok=True)
        client = chromadb.PersistentClient(path=str(settings.chroma_dir),
                                           settings=chromadb.Settings(anonymized_telemetry=False))
        return Chroma(client=client, collection_name=settings.collection, embedding_function=embeddings,
                      collection_metadata={"hnsw:space": "cosine"})
    except Exception as exc:  # chromadb raises many types for a damaged dir; all mean the same
        if client is not None:
            with suppress(Exception):
                client.close()
        forget_system(str(settings.chroma_dir))  # a later open (after --rebuild) must start afresh
        raise IndexDamagedError(f"the Chroma index in {settings.chroma_dir} cannot be opened "
                                f"({type(exc).__name__}: {exc})") from exc


def forget_system(path: str, force: bool = False) -> None:
    """Drop chromadb's cached per-path system when nothing in this process uses it (or `force`)."""
    from chromadb.api.shared_system_client import SharedSystemClient

    if not force and SharedSystemClient._identifier_to_refcount.get(path, 0) > 0:
        return
    system = SharedSystemClient._identifier_to_system.pop(path, None)
    SharedSystemClient._identifier_to_refcount.pop(path, None)
    if system is not None:
        with suppress(Exception):
            system.stop()


def _server(settings: Settings, embeddings: Embeddings) -> Chroma:
    from urllib.parse import urlparse

    import chromadb
    from langchain_chroma import Chroma

    url = urlparse(settings.chroma_url or "")
    if not url.hostname:
        raise InputError(f"ADVISOR_CHROMA_URL is not a URL: {settings.chroma_url!r}", "use http://host:port")
    try:
        client = chromadb.HttpClient(host=url.hostname, port=url.port or 8000, ssl=url.scheme == "https",
                                     settings=chromadb.Settings(anonymized_telemetry=False))
        client.heartbeat()
    except Exception as exc:
        raise IndexNotReadyError(f"cannot reach the Chroma server at {settings.chroma_url}: {exc}",
                                 "start it with `chroma run` or unset ADVISOR_CHROMA_URL") from exc
    return Chroma(client=client, collection_name=settings.collection, embedding_function=embeddings,
                  collection_metadata={"hnsw:space": "cosine"})


STORES: dict[str, VectorStoreFactory] = {"embedded": _embedded, "server": _server}


def store_kind(settings: Settings) -> str:
    return "server" if settings.chroma_url else "embedded"
