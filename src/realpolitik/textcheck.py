"""Checks that a text can be coded: not empty, not too long, English.

Example::

    >>> from realpolitik.textcheck import looks_english
    >>> looks_english("Turkey and Russia agreed on a ceasefire in the north of the country.")
    True
    >>> looks_english("La Turquie et la Russie ont conclu un cessez-le-feu dans le nord du pays.")
    False
"""

from __future__ import annotations

import re

from .errors import DocumentTooLargeError, EmptyInputError, NotEnglishError

__all__ = ["check_text", "looks_english", "split_pieces"]

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_STOP = frozenset(["the", "of", "and", "to", "in", "a", "is", "that", "for", "on", "was", "with", "as", "by", "at", "from", "it", "his", "her", "are", "were", "be", "has", "have", "had", "its", "their", "this", "which", "an", "or", "not", "but", "been", "will", "would", "said", "after", "over", "who", "they", "than", "more", "into", "also", "against", "about", "two", "new", "one", "says", "could", "should", "may", "while", "during", "between", "under", "before", "he", "she", "we", "our", "us", "them", "there", "what", "when", "where", "can", "all", "no", "if", "so", "up", "out", "then"])
# function words of other languages written in Latin script (none of them English words)
_FOREIGN = frozenset(["de", "la", "le", "les", "des", "du", "et", "est", "une", "un", "el", "los", "las", "del", "y", "que", "en", "por", "para", "con", "una", "al", "lo", "se", "su", "sus", "der", "die", "das", "und", "ist", "nicht", "mit", "den", "dem", "von", "zu", "ein", "eine", "auf", "für", "il", "di", "che", "non", "della", "dei", "nel", "ed", "è", "da", "och", "att", "det", "som", "för", "är", "på", "och", "ve", "bir", "ile", "bu", "için", "da", "ya", "na", "za", "wa", "kwa", "ni", "dan", "yang", "di", "ke", "dari", "untuk", "dengan", "tidak", "ini", "itu", "pe", "cu", "și", "în", "nu", "sa", "ng", "mga", "si", "ang", "sa", "ay", "het", "een", "van", "niet", "voor", "ook", "zijn"])


def looks_english(text: str, sample: int = 4000) -> bool:
    """True when enough of the words are common English function words.

    Short texts (under 8 words) are given the benefit of the doubt; texts mostly in a
    non-Latin script are not English.
    """
    head = text[:sample]
    words = _WORD.findall(head)
    if len(words) < 8:
        return True
    latin = sum(1 for w in words if all(ch.isascii() or "\u00c0" <= ch <= "\u024f" for ch in w))
    if latin < 0.5 * len(words):
        return False
    low = [w.lower() for w in words]
    english = sum(1 for w in low if w in _STOP)
    foreign = sum(1 for w in low if w in _FOREIGN)
    if foreign > english:
        return False
    # a long text with almost no English function words is not English prose
    return len(words) < 40 or english / len(words) >= 0.05


def check_text(text: str, *, max_chars: int, check_language: bool, source: str | None = None,
               line: int | None = None) -> None:
    """Raise the InputError that applies to ``text``, if any."""
    if not text or not text.strip():
        raise EmptyInputError("the document has no text", source, line)
    if len(text) > max_chars:
        raise DocumentTooLargeError(
            f"the document has {len(text):,} characters, more than max_chars={max_chars:,}; "
            "split it or raise the setting", source, line)
    if check_language and not looks_english(text):
        raise NotEnglishError("the text does not look like English; only English is coded", source, line)


def split_pieces(text: str, size: int) -> list[tuple[int, str]]:
    """Cut a long text into pieces of at most ``size`` characters at paragraph, line or
    sentence boundaries; returns (offset, piece) pairs that cover the text."""
    out: list[tuple[int, str]] = []
    start = 0
    n = len(text)
    while start < n:
        end = min(n, start + size)
        if end < n:
            cut = -1
            for sep in ("\n\n", "\n", ". ", " "):
                cut = text.rfind(sep, start + size // 2, end)
                if cut != -1:
                    end = cut + len(sep)
                    break
        out.append((start, text[start:end]))
        start = end
    return out
