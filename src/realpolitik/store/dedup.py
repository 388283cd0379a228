"""Identity and likeness of documents and events: content hashes, MinHash signatures for
near-duplicate (syndicated) articles, and the key that groups reports of one event.

Example::

    >>> from realpolitik.store.dedup import content_id, minhash, similarity
    >>> content_id("Iraq  signed the deal.\\r\\n") == content_id("Iraq signed the deal.")
    True
    >>> a = minhash("Iraq signed an arms deal with Russia on Tuesday, officials in Baghdad said.")
    >>> b = minhash("Iraq signed an arms deal with Russia on Tuesday, officials in Baghdad said. (Reuters)")
    >>> similarity(a, b) > 0.7
    True

A document's identity is the hash of its text with line ends, runs of spaces and Unicode
forms made uniform: the same article saved twice is one document. Syndicated copies (the
same wire story with another headline, byline or footer) have other hashes; they are found
by MinHash over word 5-grams (64 hashes, banded 16 x 4 for lookup) and linked when their
estimated Jaccard similarity is at least ``NEAR_DUPLICATE``.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
import zlib

import numpy as np

__all__ = ["content_id", "minhash", "bands", "similarity", "cluster_key", "outlet_of", "NEAR_DUPLICATE"]

NEAR_DUPLICATE = 0.8
"""Estimated Jaccard similarity of word 5-grams from which two documents are copies."""

_PERMS = 64
_BANDS = 16
_ROWS = _PERMS // _BANDS
_SHINGLE = 5
_rng = np.random.default_rng(20190110)  # fixed: signatures must be the same in every process
_A = _rng.integers(1, 2**64 - 1, size=_PERMS, dtype=np.uint64, endpoint=True) | np.uint64(1)
_B = _rng.integers(0, 2**64 - 1, size=_PERMS, dtype=np.uint64, endpoint=True)
_WORD = re.compile(r"\w+")
_SPACE = re.compile(r"[ \t\f\v\xa0]+")


def _normal(text: str) -> str:
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(_SPACE.sub(" ", line).strip() for line in text.strip().split("\n"))


def content_id(text: str) -> str:
    """The document id: a hash of the normalised text (``doc-`` and 20 hex digits)."""
    digest = hashlib.blake2b(_normal(text).encode("utf-8", "surrogatepass"), digest_size=10).hexdigest()
    return "doc-" + digest


def minhash(text: str) -> np.ndarray:
    """The 64-value MinHash signature (uint32) of a text's lower-cased word 5-grams."""
    words = _WORD.findall(text.lower())
    if not words:
        return np.full(_PERMS, 2**32 - 1, dtype=np.uint32)
    h = np.fromiter((zlib.crc32(w.encode("utf-8", "surrogatepass")) for w in words), dtype=np.uint64,
                    count=len(words))
    n = max(1, len(h) - _SHINGLE + 1)
    shingles = np.zeros(n, dtype=np.uint64)
    for k in range(min(_SHINGLE, len(h))):
        shingles = shingles * np.uint64(1000003) + h[k:k + n]
    x = shingles[:, None]
    with np.errstate(over="ignore"):
        hashed = (x * _A[None, :] + _B[None, :]) >> np.uint64(32)  # multiply-shift hashing, mod 2^64
    return hashed.min(axis=0).astype(np.uint32)


def bands(signature: np.ndarray) -> list[int]:
    """The 16 band keys of a signature (signed 64-bit integers) for candidate lookup."""
    out = []
    for b in range(_BANDS):
        chunk = signature[b * _ROWS:(b + 1) * _ROWS].tobytes()
        digest = hashlib.blake2b(bytes([b]) + chunk, digest_size=8).digest()
        out.append(int.from_bytes(digest, "little", signed=True))
    return out


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard similarity of two signatures (share of equal values)."""
    return float(np.mean(a == b))


def outlet_of(url: str | None, source: str | None) -> str | None:
    """Who published a document: the host of its URL, else the file or feed it came from."""
    if url:
        m = re.match(r"^[a-z][a-z0-9+.-]*://(?:www\d?\.)?([^/:?#]+)", url.strip().lower())
        if m:
            return m.group(1)
    return source


def cluster_key(day: str | None, event_type: str, source: str | None, target: str | None,
                doc_id: str | None) -> str:
    """The id of the real-world event a report belongs to: same day, type, source and target.

    ``source``/``target`` are the actors' codes (or countries); an event with no known
    day cannot be matched with others and keeps a cluster of its own document.
    """
    parts = [day or f"nodate:{doc_id}", event_type, source or "-", target or "-"]
    return "cl-" + hashlib.blake2b("|".join(parts).encode("utf-8"), digest_size=8).hexdigest()
