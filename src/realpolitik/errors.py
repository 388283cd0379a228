"""The exception tree of realpolitik.

Every error the library raises on purpose is a :class:`RealpolitikError`; catch that
to catch them all. Messages say what went wrong and what to do about it.

::

    RealpolitikError
    ├── ConfigError              a setting is unknown or has a bad value
    ├── DataFileError            a shipped or user data file is invalid
    │   ├── ActorFileError       an actor dictionary (``--actors FILE``)
    │   ├── LexiconError         an event lexicon file
    │   ├── OntologyError        a PLOVER/CAMEO table
    │   ├── GazetteerError       a place table
    │   ├── SourcesFileError     a watch list of feeds (``realpolitik watch SOURCES``)
    │   └── AlertRulesError      a file of alert rules (``--alerts RULES``)
    ├── ModelError               the English model cannot be loaded
    ├── OutputError              an output file would overwrite an input or a store, or cannot be written
    ├── FetchError               a feed or page could not be fetched (refused, timed out, too big, 4xx/5xx)
    │   └── RobotsUnavailableError  its host's robots.txt cannot be read just now
    ├── DeliveryError            an alert could not be delivered to one of its sinks
    ├── StoreError               the event store cannot be opened or used
    │   ├── StoreBusyError       another process held the store longer than the timeout
    │   ├── DamagedStoreError    the store file is cut short or corrupt; nothing is written to it
    │   └── NotFoundError        no event, document or actor by that name in the store
    └── InputError               one input document cannot be coded
        ├── EmptyInputError      no text at all
        ├── BinaryInputError     the bytes are not text
        ├── EncodingError        the text cannot be decoded
        ├── MalformedRecordError a JSONL/CSV record is not valid
        ├── DocumentTooLargeError more characters than ``max_chars``
        └── NotEnglishError      the text is not in English

``InputError`` carries ``source`` (a file name or ``"<stdin>"``) and ``line`` (1-based,
or ``None``) so that a batch can report ``file:line: message`` and go on with the rest.

Example::

    >>> from realpolitik.errors import EmptyInputError
    >>> str(EmptyInputError("no text", source="a.txt", line=3))
    'a.txt:3: no text'
"""

from __future__ import annotations

__all__ = [
    "RealpolitikError",
    "ConfigError",
    "DataFileError",
    "ActorFileError",
    "LexiconError",
    "OntologyError",
    "GazetteerError",
    "SourcesFileError",
    "AlertRulesError",
    "ModelError",
    "OutputError",
    "FetchError",
    "RobotsUnavailableError",
    "DeliveryError",
    "StoreError",
    "StoreBusyError",
    "DamagedStoreError",
    "NotFoundError",
    "InputError",
    "EmptyInputError",
    "BinaryInputError",
    "EncodingError",
    "MalformedRecordError",
    "DocumentTooLargeError",
    "NotEnglishError",
]


class RealpolitikError(Exception):
    """Base class of every error realpolitik raises on purpose."""


class ConfigError(RealpolitikError):
    """A setting is unknown or has a value that cannot be used."""


class DataFileError(RealpolitikError):
    """A data file (shipped or the user's own) is not valid.

    ``path`` names the file and ``problems`` lists each problem found, so that a
    user can fix them all in one pass.
    """

    def __init__(self, message: str, path: str | None = None, problems: list[str] | None = None):
        self.path = path
        self.problems = list(problems or [])
        detail = "".join(f"\n  - {p}" for p in self.problems)
        where = f"{path}: " if path else ""
        super().__init__(f"{where}{message}{detail}")


class ActorFileError(DataFileError):
    """An actor dictionary file is not valid; run ``realpolitik actors check FILE``."""


class LexiconError(DataFileError):
    """An event lexicon file is not valid."""


class OntologyError(DataFileError):
    """A PLOVER or CAMEO table is not valid."""


class GazetteerError(DataFileError):
    """A place table is not valid."""


class SourcesFileError(DataFileError):
    """A watch list of feeds and sitemaps is not valid; each problem names its line."""


class AlertRulesError(DataFileError):
    """A file of alert rules is not valid; each problem names the rule."""


class FetchError(RealpolitikError):
    """A feed, sitemap or page could not be fetched: ``url``, the HTTP ``status`` when there was
    an answer, and why (refused by a rule or robots.txt, timed out, too big, an error status).
    The watcher records it against the source or entry and tries again later."""

    def __init__(self, message: str, url: str, status: int | None = None, retry: bool = True):
        self.message, self.url, self.status, self.retry = message, url, status, retry
        super().__init__(f"{url}: {message}")

    def __reduce__(self):  # keep its fields when pickled across processes
        return (self.__class__, (self.message, self.url, self.status, self.retry))


class RobotsUnavailableError(FetchError):
    """A page whose host's robots.txt cannot be read just now (a server error, a timeout): the
    page itself was not asked for, so the watcher tries it again later without counting the
    attempt."""


class DeliveryError(RealpolitikError):
    """An alert could not be delivered to one sink (a webhook refusing it or out of reach, a
    file that cannot be written); it is tried again at the next check."""


class ModelError(RealpolitikError):
    """The English language model cannot be loaded."""


class OutputError(RealpolitikError):
    """An output file cannot be written where asked: it is one of the command's inputs, the store,
    another DuckDB database, or its folder cannot be made. Nothing was written."""


class StoreError(RealpolitikError):
    """The event store cannot be opened or used (no such store, a newer schema, a bad query)."""


class StoreBusyError(StoreError):
    """Another process held the store's write lock for longer than the timeout; try again."""


class DamagedStoreError(StoreError):
    """The store file is cut short or corrupt (a copy broken off, a full disk, a crash of the disk).

    Nothing is written into it: restore the file from a backup, or build a new store from the
    same inputs (``realpolitik ingest`` and ``realpolitik import`` with another ``--db``).
    """


class NotFoundError(StoreError):
    """No event, document or actor by that name in the store."""


class InputError(RealpolitikError):
    """One input document cannot be coded; the rest of a batch goes on.

    ``source`` is the file it came from (``"<stdin>"`` for standard input, ``None`` for
    text passed in Python) and ``line`` the 1-based line of a JSONL/CSV record.
    """

    def __init__(self, message: str, source: str | None = None, line: int | None = None):
        self.message = message
        self.source = source
        self.line = line
        super().__init__(self.located())

    def located(self) -> str:
        """The message prefixed with ``source:line:`` where known."""
        if self.source is None:
            return self.message
        if self.line is None:
            return f"{self.source}: {self.message}"
        return f"{self.source}:{self.line}: {self.message}"

    def __reduce__(self):  # keep source and line when pickled across processes
        return (self.__class__, (self.message, self.source, self.line))


class EmptyInputError(InputError):
    """The document has no text (empty file, blank record, only whitespace)."""


class BinaryInputError(InputError):
    """The bytes are not text (an image, an archive, a compiled file...)."""


class EncodingError(InputError):
    """The bytes are text but cannot be decoded with any supported encoding."""


class MalformedRecordError(InputError):
    """A JSONL line or CSV row is not a valid document record."""


class DocumentTooLargeError(InputError):
    """The document is longer than the ``max_chars`` setting; raise it or split the file."""


class NotEnglishError(InputError):
    """The text does not look like English, which is the only language coded."""
