"""Checking a question before it is answered, and one-turn-at-a-time locks per conversation."""

from __future__ import annotations

import re
import threading

from .errors import InputError
from .lexicon import normalize

_SURROGATE = re.compile(r"[\ud800-\udfff]")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # C0/C1 controls except tab and newline
_ALNUM = re.compile(r"[a-z0-9]")
_VISIBLE = re.compile(r"[\s\u200b-\u200f\u2028-\u202f\u2060-\u206f\ufeff]+")  # blanks and zero-width marks


def clean_question(question: object, max_chars: int) -> str:
    """The question, trimmed and with control characters blanked; InputError saying what is wrong if unusable."""
    if not isinstance(question, str):
        raise InputError("the question must be text", "send a string")
    if _SURROGATE.search(question):
        # Only reachable through JSON \ud800-style escapes; the tokenizer and SQLite both reject them.
        raise InputError("the question is not valid Unicode text (it has unpaired surrogate code points)",
                         "send the question as plain UTF-8 text")
    q = _CONTROL.sub(" ", question).strip()
    ask = "ask about building or buying a piece of ML infrastructure"
    if not _VISIBLE.sub("", q):
        raise InputError("the question is empty", ask)
    if len(q) > max_chars:
        raise InputError(f"the question is {len(q)} characters; the limit is {max_chars}",
                         "shorten it to the essentials")
    if not any(ch.isalnum() for ch in q):
        raise InputError("the question has no words, only punctuation, symbols or emoji", ask)
    if not _ALNUM.search(normalize(q)):
        raise InputError("the question has no words the advisor can read: it understands English only",
                         "ask in English, e.g. 'Should we build or buy a feature store?'")
    return q


class KeyedLocks:
    """One lock per key while anyone holds or waits for it (plain Locks: a stream may finish on another thread)."""

    def __init__(self) -> None:
        self._guard = threading.Lock()
        self._locks: dict[str, list] = {}  # key -> [lock, holders and waiters]

    def acquire(self, key: str, timeout: float) -> bool:
        with self._guard:
            entry = self._locks.setdefault(key, [threading.Lock(), 0])
            entry[1] += 1
        if entry[0].acquire(timeout=timeout):
            return True
        self._drop(key)
        return False

    def release(self, key: str) -> None:
        self._locks[key][0].release()
        self._drop(key)

    def _drop(self, key: str) -> None:
        with self._guard:
            entry = self._locks[key]
            entry[1] -= 1
            if entry[1] == 0:
                del self._locks[key]
