"""realpolitik_classifier: the learned layer over the rules (off by default; ``Settings(use_model=True)``).

For each sentence it scores every event type with the shipped model
(:mod:`realpolitik.learn.model`) from the sentence's words, its main verb, and what the
lexicon rules found, and writes ``doc._.type_probs`` (sentence start -> {type: probability}).
The event stage turns those probabilities into calibrated confidences. The model also

* fills in the mode of an event whose rule gave none, when it is sure enough;
* proposes an event at the main verb when the rules found none in the sentence (or only
  types the model finds implausible) and the model is confident: its rule reads
  ``model:TYPE`` and its source and target are the main verb's subject and object.

Example::

    >>> import realpolitik
    >>> coder = realpolitik.Coder.shared(realpolitik.Settings(use_model=True))
    >>> doc = coder.parse("Iran condemned the Israeli strike.")
    >>> max(doc._.type_probs[0].items(), key=lambda kv: kv[1])[0]
    'ACCUSE'
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span

from ..learn.features import main_verb, sentence_features
from ..learn.model import EventModel
from ..lexicon import LexEntry
from ..ontology import Ontology
from . import extensions  # noqa: F401
from .context import refs_of
from .frame import Frame, Step
from .modality import modality_of
from .resources import Resources
from .roles import base_frame

__all__ = ["EventClassifier", "make_classifier"]


class EventClassifier:
    """The classifier component: it returns new frames and never changes those it reads."""

    def __init__(self, model: EventModel, ontology: Ontology, propose_at: float = 0.6, mode_at: float = 0.55,
                 override_below: float = 0.15):
        self.model = model
        self.override_below = override_below
        self.onto = ontology
        self.propose_at = propose_at
        self.mode_at = mode_at
        self._entries = {t: LexEntry(pos="verb", lemma="", particle=None, mods=(), prep=None, type=t, mode=None,
                                     contexts=(), cameo=ontology.types[t].cameo, with_=(), without=(),
                                     source=(), target=(), operator=None, when_source=(),
                                     target_from_place=False, weight=0.5, rule=f"model:{t}")
                         for t in ontology.types}

    def __call__(self, doc: Doc) -> Doc:
        triggers = list(doc.spans["triggers"]) if "triggers" in doc.spans else []
        actor_tokens = refs_of(doc.spans["actors"]) if "actors" in doc.spans else {}
        probs_by_sent: dict[int, dict[str, float]] = {}
        added: list[Span] = []
        for sent in doc.sents:
            spans = [s for s in triggers if sent.start <= s.start < sent.end]
            frames = [f for s in spans for f in s._.frames]
            mods = [m for s in spans for m in (s._.modality or ())]
            feats = sentence_features(sent, frames, mods)
            probs = self.model.probabilities(feats)
            probs_by_sent[sent.start] = probs
            for s in spans:
                old = s._.frames
                new = tuple(self._with_mode(f, feats) for f in old)
                if any(a is not b for a, b in zip(old, new, strict=True)):
                    s._.frames = new
            best_type, best_p = max(probs.items(), key=lambda kv: kv[1])
            if best_type == "NONE" or best_p < self.propose_at:
                continue
            if frames and max(probs.get(f.type, 0.0) for f in frames) >= self.override_below:
                continue
            span = self._propose(doc, sent, best_type, actor_tokens, feats)
            if span is not None:
                added.append(span)
        doc._.type_probs = probs_by_sent
        known = {(s.start, s.end) for s in triggers}
        added = [s for s in added if (s.start, s.end) not in known]
        if added:
            doc.spans["triggers"] = sorted(triggers + added, key=lambda s: s.start)
        return doc

    def _with_mode(self, f: Frame, feats: list[str]) -> Frame:
        """The frame with the model's mode when its rule gave none and the model is sure enough."""
        if f.mode is not None or not self.onto.types[f.type].modes:
            return f
        mode, p = self.model.mode(feats, f.type, list(self.onto.types[f.type].modes))
        if mode is None or p < self.mode_at:
            return f
        return f.but(Step("mode", "model"), mode=mode, cameo=self.onto.cameo_for(f.type, mode, f.contexts),
                     key=f"{f.key} +mode:model")

    def _propose(self, doc: Doc, sent: Span, etype: str, actor_tokens: dict, feats: list[str]) -> Span | None:
        verb = main_verb(sent)
        if verb.pos_ not in ("VERB", "AUX", "NOUN"):
            return None
        pos = "noun" if verb.pos_ == "NOUN" else "verb"
        frame = base_frame(verb, pos, self._entries[etype], actor_tokens, step=Step("model", etype))
        mode = frame.mode
        if self.onto.types[etype].modes:
            found, p = self.model.mode(feats, etype, list(self.onto.types[etype].modes))
            if found is not None and p >= self.mode_at:
                mode = found
        frame = frame.but(mode=mode, cameo=self.onto.cameo_for(etype, mode, ()))
        span = doc[verb.i:verb.i + 1]
        modality, cue = modality_of(frame)
        # span extensions are keyed by offsets: a trigger already there keeps its frames
        span._.frames = (*(span._.frames or ()), frame)
        span._.modality = (*(span._.modality or ()), modality)
        span._.modality_cue = (*(span._.modality_cue or ()), cue)
        return span


@Language.factory(
    "realpolitik_classifier",
    assigns=["doc._.type_probs", "doc.spans"],
    requires=["doc.spans", "span._.frames", "span._.modality"],
    default_config={"actor_files": [], "shipped": True, "lexicon_files": []},
)
def make_classifier(nlp: Language, name: str, actor_files: list[str], shipped: bool,
                    lexicon_files: list[str]) -> EventClassifier:
    r = Resources.of(actor_files, shipped, lexicon_files)
    return EventClassifier(r.model, r.ontology)
