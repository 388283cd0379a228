"""Checks that a text can be coded: not empty, not too long, English.

Example::

    >>> from realpolitik.textcheck import looks_english, not_english_reason
    >>> looks_english("Turkey and Russia agreed on a ceasefire in the north of the country.")
    True
    >>> looks_english("La Turquie et la Russie ont conclu un cessez-le-feu dans le nord du pays.")
    False
    >>> not_english_reason("北京和莫斯科周一签署了一项新的天然气协议。")
    'most of its letters are CJK, not Latin'

The language is told cheaply, from the first 4,000 characters, with no model:

1. **Script.** When most letters are not Latin (Cyrillic, Greek, Arabic, Hebrew, CJK, kana,
   Hangul, Thai, Devanagari...), the text is not English, however short. A few names in another
   script inside English prose do not matter.
2. **Function words** (``data/function_words.csv``: English and other languages written in Latin
   script). A name particle (``data/name_particles.csv``) right before a capitalised word is part
   of a name ("de Mistura", "da Silva", "von der Leyen", "al-Assad") and is not counted; a capitalised one
   counts only at the start of a sentence ("Le ministre a..."). The text is not
   English when it holds at least two foreign function words and more of them than English
   ones, or one foreign and no English one in three words or more.
3. **Long texts** (40 words or more) need English function words in at least 5 % of their
   words.

Shorter or ambiguous texts are given the benefit of the doubt, so that English news full of
foreign names (Erdoğan, Sánchez, Łukaszenka, Xi Jinping, Mohammed bin Salman) is accepted.
The ``check_language`` setting turns the check off.
"""

from __future__ import annotations

import csv
import functools
import io
import re
import unicodedata
from collections import Counter
from importlib import resources

from .errors import DocumentTooLargeError, EmptyInputError, NotEnglishError

__all__ = ["check_text", "looks_english", "not_english_reason", "split_pieces"]

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_SAMPLE = 4000


def _data(name: str) -> list[dict[str, str]]:
    text = resources.files("realpolitik").joinpath("data", name).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


@functools.cache
def _particles() -> frozenset[str]:
    """Lower-case words that start names ("de Mistura", "bin Salman")."""
    return frozenset(row["word"] for row in _data("name_particles.csv"))


@functools.cache
def _function_words() -> tuple[frozenset[str], dict[str, str]]:
    """English function words, and the other languages' ones (word -> language)."""
    english: set[str] = set()
    foreign: dict[str, str] = {}
    for row in _data("function_words.csv"):
        if row["language"] == "English":
            english.add(row["word"])
        else:
            foreign.setdefault(row["word"], row["language"])
    return frozenset(english), {w: lang for w, lang in foreign.items() if w not in english}


_LETTER = re.compile(r"[^\W\d_]")
# letters outside Basic Latin to Latin Extended-B and Latin Extended Additional
_NOT_LATIN = re.compile(r"[^\W\d_\x00-\u024f\u1e00-\u1eff]")


def _script(ch: str) -> str:
    """The script of a letter, as the first word of its Unicode name (CYRILLIC, GREEK, CJK...)."""
    return unicodedata.name(ch, "OTHER").split()[0]


def _starts_sentence(text: str, at: int) -> bool:
    before = text[:at].rstrip(" \t\n\"'«“(")
    return not before or before[-1] in ".!?:;"


def not_english_reason(text: str, sample: int = _SAMPLE) -> str | None:
    """Why ``text`` does not look like English (the rules in the module docstring), or None."""
    head = text[:sample]
    other = [] if head.isascii() else _NOT_LATIN.findall(head)
    if other and len(other) * 2 > len(_LETTER.findall(head)):
        script = Counter(_script(ch) for ch in other).most_common(1)[0][0]
        return f"most of its letters are {script}, not Latin"
    found_words = list(_WORD.finditer(head))
    words = [m.group() for m in found_words]
    english_words, foreign_words = _function_words()
    english = 0
    foreign: Counter[str] = Counter()
    for k, word in enumerate(words):
        low = word.lower()
        if low in english_words:
            english += 1
        elif low in foreign_words and (word == low or (len(word) > 1 and word == low.capitalize() and _starts_sentence(
                head, found_words[k].start()))):
            following = words[k + 1] if k + 1 < len(words) else ""
            if not (low in _particles() and following[:1].isupper()):  # "de Mistura", "al-Assad", "La Paz"
                foreign[foreign_words[low]] += 1
    found = sum(foreign.values())
    # one foreign word in a short English headline is a loan ("de facto", "en masse"), not a language
    if (found >= 2 and found > english) or (found == 1 and english == 0 and len(words) >= 8):
        language = foreign.most_common(1)[0][0]
        return f"{found} function words of other languages (mostly {language}) against {english} of English"
    if len(words) >= 40 and english / len(words) < 0.05:
        return f"only {english} of its first {len(words)} words are common English words"
    return None


def looks_english(text: str, sample: int = _SAMPLE) -> bool:
    """True when the text looks like English (see the module docstring)."""
    return not_english_reason(text, sample) is None


def check_text(text: str, *, max_chars: int, check_language: bool, source: str | None = None,
               line: int | None = None) -> None:
    """Raise the InputError that applies to ``text``, if any."""
    if not text or not text.strip():
        raise EmptyInputError("the document has no text", source, line)
    if len(text) > max_chars:
        raise DocumentTooLargeError(
            f"the document has {len(text):,} characters, more than max_chars={max_chars:,}; "
            "split it or raise the setting", source, line)
    if check_language:
        reason = not_english_reason(text)
        if reason is not None:
            raise NotEnglishError(f"the text does not look like English ({reason}); only English is coded "
                                  "(turn the check_language setting off, or use --any-language, to code it "
                                  "anyway)", source, line)


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
