"""realpolitik_events: assemble coded events from triggers, actors, dates and places.

Writes ``doc._.events``: a tuple of :class:`realpolitik.model.Event`, one per frame of
each trigger. For every frame it

* turns the source and target tokens into actors: the actor phrase that holds the token,
  an actor named in the token's own modifiers ("Russia's S-400" -> Russia), a compound
  of coordinated actors ("Tehran, Ankara, and Moscow"), or, for pronouns, the actor they
  most plausibly refer to ("its", "they");
* re-resolves office holders at the date of the event ("then-Prime Minister Haider
  al-Abadi" in December 2017 == Iraq's government);
* attaches the place ("in Anbar province") and date ("on December 26") of the clause,
  falling back on the document date and saying so;
* marks asserted events dated a year or more before the document as ``historical``;
* scores its confidence from the strength of the lexicon entry and what was found.

Example::

    >>> import realpolitik
    >>> e = realpolitik.code("Moscow delivered 20 helicopters to the Iraqi army.")[0]
    >>> (e.event_type, e.source.code, e.target.code)
    ('AID', 'RUSGOV', 'IRQMIL')
"""

from __future__ import annotations

import datetime as dt
import hashlib

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from ..actors import ActorDictionary, load_actor_dictionary
from ..actors.dictionary import AliasRef
from ..dates import DateValue
from ..learn.model import EventModel, load_model
from ..model import Actor, Event, Place, Trigger
from ..ontology import Ontology, load_ontology
from . import extensions  # noqa: F401
from .actors import refs_of
from .phrases import CHAIN_DEPS, dateline_end, phrase_bounds
from .phrases import lemma as lemma_of
from .triggers import Frame, intended_type

__all__ = ["EventAssembler", "make_events", "event_id"]

_LOC_PREPS = ("in", "at", "near", "inside", "outside", "across", "throughout", "around", "within",
              "on", "along", "into", "over")
_PRONOUNS_PLURAL = frozenset({"they", "them", "their", "themselves", "theirs"})
_PRONOUNS_PERSON = frozenset({"he", "him", "his", "himself", "she", "her", "hers", "herself"})
_PRONOUNS_THING = frozenset({"it", "its", "itself"})
_PERSON_TITLES = frozenset({"president", "minister", "king", "queen", "emir", "prince", "premier", "chancellor",
                            "leader", "chief", "spokesman", "spokeswoman", "ambassador", "envoy", "general",
                            "commander", "secretary", "governor", "mayor", "sultan", "monarch"})
_TITLE_ROLES = {
    "president": ("head_of_state", "head_of_government"),
    "prime": ("head_of_government",),
    "premier": ("head_of_government",),
    "chancellor": ("head_of_government",),
    "king": ("head_of_state",),
    "emir": ("head_of_state",),
    "foreign": ("foreign_minister",),
    "defence": ("defence_minister",),
    "defense": ("defence_minister",),
    "secretary": ("foreign_minister", "defence_minister", "igo_head"),
    "leader": ("head_of_state", "head_of_government"),
}


def event_id(doc_id: str, start: int, event_type: str, rule: str) -> str:
    """Stable id: the same document text always yields the same ids."""
    h = hashlib.blake2b(f"{doc_id}|{start}|{event_type}|{rule}".encode(), digest_size=8)
    return h.hexdigest()


class EventAssembler:
    """The event component."""

    def __init__(self, dictionary: ActorDictionary, ontology: Ontology, historical_after_days: int = 365,
                 require_actor: bool = True, model: EventModel | None = None):
        self.d = dictionary
        self.onto = ontology
        self.model = model
        self.historical_after = historical_after_days
        self.require_actor = require_actor
        self._frame_tokens: set[int] = set()

    def __call__(self, doc: Doc) -> Doc:
        actors = list(doc.spans["actors"]) if "actors" in doc.spans else []
        by_token = refs_of(actors)
        head_of = {s.root.i: s for s in actors}
        dates = {s.root.i: s for s in doc.spans["dates"]} if "dates" in doc.spans else {}
        date_tokens = {i: s for s in doc.spans.get("dates", []) for i in range(s.start, s.end)}
        places = {i: s for s in doc.spans.get("places", []) for i in range(s.start, s.end)}
        triggers = doc.spans.get("triggers", [])
        trigger_tokens = {s.start for s in triggers}
        offset = doc._.char_offset or 0
        sent_offset = doc._.sent_offset or 0
        sent_index = {}
        for k, s in enumerate(doc.sents):
            sent_index[s.start] = k
        doc_id = doc._.doc_id or "doc"
        out: list[Event] = []
        self._sole: dict[int, str | None] = {}  # sentence start -> its one country, per document
        for span in triggers:
            mods = span._.modality or ()
            cues = span._.modality_cue or ()
            for k, frame in enumerate(span._.frames):
                modality = mods[k] if k < len(mods) else "asserted"
                cue = cues[k] if k < len(cues) else None
                ev = self._event(doc, frame, modality, cue, by_token, head_of, dates, date_tokens,
                                 places, trigger_tokens, offset, sent_offset, sent_index, doc_id)
                if ev is not None:
                    out.append(ev)
        doc._.events = tuple(out)
        return doc

    # -- actors ---------------------------------------------------------------------------

    def _actor_at(self, tok: Token | None, by_token: dict[int, Span], head_of: dict[int, Span],
                  day: dt.date | None, offset: int, exclude: Token | None = None,
                  depth: int = 0, not_code: str | None = None) -> Actor | None:
        if tok is None or depth > 3:
            return None
        span = head_of.get(tok.i) or by_token.get(tok.i)
        actor: Actor | None = None
        if span is not None and tok.dep_ == "appos" and (span._.actor is None or span._.actor.code is None
                                                         or span._.actor.kind in ("group", "unknown")):
            # "the PMF, a group of ... that support": the apposition names the actor
            named = head_of.get(tok.head.i) or by_token.get(tok.head.i)
            if named is not None and named._.actor is not None and named._.actor.code is not None:
                span = named
        if span is not None and span.root.i in self._frame_tokens and span._.cue is not None:
            # "Moscow's opposition to ...": the phrase's head is the event; the actor is the name
            actor = self._cue_actor(span, day)
        elif span is not None:
            actor = self._at_date(span, day)
        elif tok.pos_ == "PRON" or tok.lower_ in _PRONOUNS_THING | _PRONOUNS_PLURAL | _PRONOUNS_PERSON:
            actor = self._pronoun(tok, by_token, day, exclude)
            if actor is not None:
                return self._shift(actor, 0)  # already shifted when built
        elif lemma_of(tok) in self._PARTITIVE or tok.like_num:
            return self._partitive(tok, by_token, head_of, day, offset, exclude, depth)
        else:
            # an actor named in the phrase's modifiers: "Russia's S-400 missile system"
            for c in sorted(tok.children, key=lambda c: -c.i):
                if c.dep_ in CHAIN_DEPS and c.i < tok.i:
                    s = head_of.get(c.i) or by_token.get(c.i)
                    if s is not None:
                        actor = self._at_date(s, day)
                        break
                    if c.pos_ == "PRON" and c.dep_ == "poss":
                        actor = self._pronoun(c, by_token, day, exclude)
                        if actor is not None and (not_code is None or actor.code != not_code):
                            return actor
                        actor = None
            if actor is None:
                for c in tok.children:
                    if c.dep_ == "prep" and c.lower_ == "of":
                        for g in c.children:
                            if g.dep_ == "pobj":
                                s = head_of.get(g.i) or by_token.get(g.i)
                                if s is not None:
                                    actor = self._at_date(s, day)
        if actor is not None and actor.country is None and actor.kind == "group":
            # "a group of Moroccan diplomats", "their forces": the country is named elsewhere
            better = self._partitive(tok, by_token, head_of, day, offset, exclude, depth)
            if better is not None:
                return better
        if actor is None and depth == 0 and tok.pos_ in ("NOUN", "PROPN") and not tok.like_num \
                and tok.ent_type_ not in ("DATE", "TIME", "MONEY", "PERCENT", "CARDINAL"):
            # a phrase no dictionary knows still says who or what was acted on
            start, end = phrase_bounds(tok)
            span = tok.doc[start:end]
            return Actor(text=span.text, start=span.start_char + offset, end=span.end_char + offset,
                         kind="unknown", resolved_by="phrase")
        if actor is None or (actor.code is None and actor.country is None and actor.sector is None
                             and actor.kind not in ("person", "organization", "unknown")):
            return None
        members = self._conjoined(tok, by_token, head_of, day, offset, actor)
        actor = self._shift(actor, offset)
        if members:
            allm = tuple(sorted((actor, *members), key=lambda m: m.start))
            text_start = min(m.start for m in allm)
            text_end = max(m.end for m in allm)
            doc_text = tok.doc.text
            return Actor(text=doc_text[text_start - offset:text_end - offset], start=text_start,
                         end=text_end, name=" and ".join(m.name or m.text for m in allm),
                         code="+".join(m.code or "?" for m in allm), kind="compound",
                         members=allm, resolved_by="compound")
        return actor

    def _object_target(self, frame: Frame, source: Actor | None, by_token: dict[int, Span],
                       head_of: dict[int, Span], places: dict[int, Span], day: dt.date | None,
                       offset: int) -> Actor | None:
        """When no role gave a target, what the verb was done to: an actor or place named in its
        object ("closed the borders with Iraqi Kurdistan", "rejected the call of the European
        Parliament"), else the object phrase itself ("captured three towns", "condemned the
        bombing"), unless the object only says what kind of event it was ("imposed sanctions")."""
        base = frame
        while base.inner is not None:  # the innermost event ("close" in "threatened to close")
            base = base.inner
        # the object is what is acted upon in attacks, arrests, accusations, refusals, demands;
        # in aid, deals or deployments it is what is given or moved, and only a foreign actor
        # named in it is the counterpart ("lifted the ban on Egyptian imports")
        patient = frame.type in _PATIENT_OBJECT
        inside = patient or frame.type in _BENEFICIARY_IN_OBJECT
        # the complement verb of an operator that governs no event: "refused to allow the airlines
        # to land", "agreed to provide Sri Lanka with technology"
        comps = [c for c in frame.anchor.children if c.dep_ == "xcomp" and c.pos_ == "VERB"] \
            if base is frame else []
        if frame.type == "AID":  # "provided $1.7 billion to support Syrian refugees in Jordan"
            comps += [c for c in base.token.children if c.dep_ in ("advcl", "xcomp") and c.pos_ == "VERB"
                      and c not in comps]
        for f, inner, tok in ((base, True, base.token), (frame, False, frame.anchor),
                              *((frame, False, c) for c in comps)):
            if not inner and f is base and tok is frame.anchor:
                continue
            if tok.pos_ not in ("VERB", "AUX"):
                continue
            obj = next((c for c in tok.children if c.dep_ in ("dobj", "nsubjpass")), None)
            if obj is None and (not inner or base is frame):
                # "allow the airlines to land", "demanded that the government resign": who is made to act
                obj = next((g for c in tok.children if c.dep_ in ("ccomp", "xcomp")
                            for g in c.children if g.dep_ == "nsubj"), None)
            if obj is None or obj.pos_ == "PRON" or (inner and obj.i in self._frame_tokens):
                continue
            if any(c.dep_ == "poss" and c.pos_ == "PRON" for c in obj.children):
                return None  # "withdrew its troops": the actor's own
            for t in obj.subtree:
                if t.i in self._frame_tokens and inner:
                    continue
                if t.i in by_token or t.i in head_of:
                    a = self._actor_at(t, by_token, head_of, day, offset)
                    if a is not None and a.kind != "unknown" and (
                            source is None or not (source.start <= a.start < source.end)) and (
                            inside or (a.country is not None and a.country != (source and source.country))):
                        return a
                p = places.get(t.i)
                if p is not None and p._.place.country and (
                        inside or p._.place.country != (source and source.country)):
                    place = self._place_record(p, offset)
                    return self._place_actor(place, "+object", sector="CVL" if place.kind == "city" else None)
            if not patient or (inner and (f.obj is obj or f.entry.with_)) or obj.like_num or \
                    lemma_of(obj) in self._EVENTISH:
                continue
            return self._actor_at(obj, by_token, head_of, day, offset)
        if frame.type == "MOBILIZE":
            # "troops stayed on alert in the border region": where forces were sent or readied
            subject = {t.i for c in base.token.children if c.dep_ in ("nsubj", "nsubjpass") for t in c.subtree}
            for c in base.token.subtree:
                if c.i in subject or not (c.dep_ == "prep" and c.lower_ in ("in", "into", "to", "along", "near")):
                    continue
                g = next((g for g in c.children if g.dep_ == "pobj" and g.pos_ in ("NOUN", "PROPN")), None)
                if g is not None and g.ent_type_ not in ("DATE", "TIME"):
                    return self._actor_at(g, by_token, head_of, day, offset)
        return None

    _EVENTISH = frozenset({"sanction", "measure", "step", "action", "move", "decision", "plan", "policy",
                           "effort", "operation", "campaign", "role", "part", "way", "time", "place"})

    @staticmethod
    def _sole_country(sent: Span, places: dict[int, Span]) -> str | None:
        """The one country a sentence names, through its actors and places, if only one; a
        sponsor's name ("Iran" in "Iran-backed") does not count."""
        found: set[str] = set()
        doc = sent.doc
        for s in doc.spans["actors"]:
            if _hyphen_prefix(s):
                continue
            if sent.start <= s.start < sent.end and s._.actor is not None:
                a = s._.actor
                for m in a.members or (a,):
                    if m.country:
                        found.add(m.country)
        if len(found) > 1:
            return None
        for i in range(sent.start, sent.end):
            p = places.get(i)
            if p is not None and p._.place.country and not _hyphen_prefix(p):
                found.add(p._.place.country)
            if len(found) > 1:
                return None
        return next(iter(found)) if found else None

    def _speaker_country(self, frame: Frame, source: Actor | None, by_token: dict[int, Span],
                         day: dt.date | None) -> Actor | None:
        """'Israel will not allow ..., the prime minister warned': an official named by title
        alone speaks for the state that is the subject of what they said."""
        if source is None or source.country is not None or source.kind != "group" or \
                source.sector not in ("GOV", "MIL", "COP", "SPY", "LEG", "JUD"):
            return source
        verb = frame.source.head if frame.source is not None else None
        if verb is None:
            return source
        for c in verb.children:
            if c.dep_ == "ccomp":
                subj = next((g for g in c.children if g.dep_ in ("nsubj", "nsubjpass")), None)
                span = by_token.get(subj.i) if subj is not None else None
                if span is not None and span._.actor is not None and span._.actor.kind == "state" \
                        and span._.actor.country:
                    country = span._.actor.country
                    return source.model_copy(update={
                        "country": country, "code": f"{country}{source.sector}",
                        "resolved_by": f"{source.resolved_by}+speaker-of:{country}"})
        return source

    _PARTITIVE = frozenset({"group", "number", "team", "delegation", "batch", "contingent", "dozen", "dozens",
                            "hundred", "hundreds", "thousand", "thousands", "million", "millions", "member",
                            "members", "some", "many", "most", "one", "two", "three", "several", "unit", "units",
                            "part", "rest", "majority", "minority", "leader", "leaders", "representative",
                            "representatives", "official", "officials", "doctor", "doctors", "worker",
                            "workers", "fighter", "fighters", "supporter", "supporters", "wing", "faction",
                            "branch", "delegate", "delegates", "envoy", "envoys", "crowd", "band", "section",
                            "contingents", "detachment", "all", "none", "each", "few", "handful"})

    def _partitive(self, tok: Token, by_token: dict[int, Span], head_of: dict[int, Span],
                   day: dt.date | None, offset: int, exclude: Token | None, depth: int) -> Actor | None:
        for c in tok.children:
            if c.dep_ == "poss" and c.pos_ == "PRON":
                a = self._pronoun(c, by_token, day, exclude)
                if a is not None and a.country:
                    base = head_of.get(tok.i) or by_token.get(tok.i)
                    if base is not None and base._.actor is not None:
                        sector = base._.actor.sector
                        return self._shift(base._.actor, offset).model_copy(update={
                            "country": a.country, "code": f"{a.country}{sector or ''}",
                            "resolved_by": f"{base._.actor.resolved_by}+pronoun"})
            if c.dep_ == "prep" and c.lower_ in ("of", "from") and lemma_of(tok) in self._PARTITIVE:
                for g in c.children:
                    if g.dep_ == "pobj":
                        inner = self._actor_at(g, by_token, head_of, day, offset, exclude, depth + 1)
                        if inner is not None and (inner.country or inner.kind in ("organization", "compound")
                                                  or head_of.get(tok.i) is None):
                            return inner
        return None

    def _cue_actor(self, span: Span, day: dt.date | None) -> Actor:
        start, end = span._.cue
        cue = span.doc[start:end]
        refs = span._.refs
        base: Actor = span._.actor
        if not refs:
            return base.model_copy(update={"text": cue.text, "start": cue.start_char, "end": cue.end_char})
        from .actors import resolve_refs

        res = resolve_refs(self.d, refs, day)
        assert res is not None
        code = f"{res.country}{res.sector or ''}" if res.kind == "state" and res.country else res.code
        return Actor(text=cue.text, start=cue.start_char, end=cue.end_char, name=res.name, code=code,
                     country=res.country, sector=res.sector, kind=res.kind, resolved_by=res.resolved_by)

    def _conjoined(self, tok: Token, by_token: dict[int, Span], head_of: dict[int, Span],
                   day: dt.date | None, offset: int, first: Actor) -> list[Actor]:
        """Actors coordinated with ``tok``: 'Iran, Turkey, and Russia'; 'Iraq and Syria's'."""
        out: list[Actor] = []
        seen = {first.code}
        cands = [c for c in tok.children if c.dep_ == "conj"]
        if cands:
            cands += [c for c in tok.children if c.dep_ == "appos" and c.pos_ == "PROPN"]
        for c in tok.children:
            if c.dep_ == "conj":
                cands += [g for g in c.children if g.dep_ == "conj"]
        # a coordinated possessor: "Iraq and Syria's partnership" parses 'Iraq' away from 's
        if tok.dep_ == "poss" and tok.i >= 2 and tok.doc[tok.i - 1].lower_ in ("and", "&"):
            prev = tok.doc[tok.i - 2]
            if (head_of.get(prev.i) or by_token.get(prev.i)) is not None:
                cands.append(prev)
        for c in sorted(set(cands), key=lambda t: t.i):
            s = head_of.get(c.i) or by_token.get(c.i)
            if s is None:
                continue
            a = self._at_date(s, day)
            if a is None or a.code in seen:
                continue
            seen.add(a.code)
            out.append(self._shift(a, offset))
        return out

    def _pronoun(self, tok: Token, by_token: dict[int, Span], day: dt.date | None,
                 exclude: Token | None) -> Actor | None:
        low = tok.lower_
        doc = tok.doc
        # a possessive or reflexive pronoun in a clause refers to the clause's subject
        if low in ("its", "their", "his", "her", "itself", "themselves", "himself", "herself"):
            v = tok.head
            for _ in range(4):
                if v.pos_ in ("VERB", "AUX"):
                    subj = next((c for c in v.children if c.dep_ in ("nsubj", "nsubjpass")), None)
                    if subj is not None and subj != tok:
                        s = by_token.get(subj.i)
                        if s is not None and self._agrees(low, s._.actor, s):
                            return self._shift(self._at_date(s, day), doc._.char_offset or 0)
                    break
                if v.head == v:
                    break
                v = v.head
        # otherwise the nearest earlier actor that agrees, in this sentence then the previous one
        sent = tok.sent
        cands = [s for s in doc.spans["actors"] if s.end <= tok.i and s.start >= max(0, sent.start - 80)]
        skip = range(exclude.left_edge.i, exclude.right_edge.i + 1) if exclude is not None else range(0)
        for s in reversed(cands):
            if s.start in skip or (exclude is not None and s.start <= exclude.i < s.end):
                continue
            if self._agrees(low, s._.actor, s):
                return self._shift(self._at_date(s, day), doc._.char_offset or 0)
        return None

    @staticmethod
    def _agrees(pron: str, actor: Actor | None, span: Span | None = None) -> bool:
        if actor is None:
            return False
        if pron in _PRONOUNS_PERSON:
            # a person, named in the dictionary or not ("Czech President Vaclav Klaus ... he")
            return actor.kind == "person" or (span is not None and actor.kind == "state" and (
                span.root.ent_type_ == "PERSON" or span.root.lower_ in _PERSON_TITLES))
        if pron in _PRONOUNS_THING:
            # "it" is a state or body, but not "Iraqi forces"; names ("the United States") are singular
            last = actor.text.split()[-1] if actor.text.split() else ""
            return actor.kind in ("state", "organization") and not (last.islower() and last.endswith("s"))
        return actor.kind in ("group", "organization", "state", "compound")

    def _at_date(self, span: Span, day: dt.date | None) -> Actor:
        """The span's actor, with office holders re-resolved at the event date."""
        actor: Actor = span._.actor
        refs: tuple[AliasRef, ...] = span._.refs
        person = next((r for r in refs if r.kind == "person"), None)
        if person is None:
            return actor
        p = self.d.people[person.key]
        roles = list(p.roles)
        # a title in the phrase names the office ("then-Prime Minister"): prefer that role
        words = {t.lower_ for t in span}
        wanted: set[str] = set()
        for w, kinds in _TITLE_ROLES.items():
            if w in words:
                wanted.update(kinds)
        former = any(w in words for w in ("former", "ex", "ex-"))
        titled = [r for r in roles if r.role in wanted] if wanted else []
        if day is None and not titled:
            return actor
        pool = titled or roles
        active = [r for r in pool if day is not None and r.contains(day)]
        if day is None:
            # an undated text that gives the title speaks of the office as held
            role, is_former = max(pool, key=lambda r: r.start), False
        elif active:
            role, is_former = active[0], False
        else:
            role = min(pool, key=lambda r: r.distance(day))
            is_former = not titled and role.end is not None and day > role.end
        if former:
            is_former = True
        if role.org is not None:
            org = self.d.organizations.get(role.org)
            country = org.country if org else None
            sector = "ELI" if is_former else (org.sector if org else "IGO")
            code = role.org
        else:
            country = role.country
            sector = "ELI" if is_former else role.sector
            code = f"{country}{sector}"
        tag = role.role + (",former" if is_former else "")
        return actor.model_copy(update={"country": country, "sector": sector, "code": code,
                                        "resolved_by": f"people:{p.name}#{tag}"})

    @staticmethod
    def _shift(actor: Actor, offset: int) -> Actor:
        if offset == 0:
            return actor
        return actor.model_copy(update={
            "start": actor.start + offset, "end": actor.end + offset,
            "members": tuple(m.model_copy(update={"start": m.start + offset, "end": m.end + offset})
                             for m in actor.members)})

    # -- places and dates -----------------------------------------------------------------

    def _place(self, frame: Frame, places: dict[int, Span], offset: int) -> tuple[Place | None, str]:
        """Where the event happened, and the preposition that said so."""
        for t in [*frame.tokens, *_participles(frame.token)]:
            for c in t.children:
                if c.dep_ == "prep" and c.lower_ in _LOC_PREPS + ("from", "to"):
                    if c.lower_ in ("from", "to") and not frame.entry.target_from_place:
                        continue
                    for g in c.children:
                        if g.dep_ == "pobj" and g.i in places:
                            return self._place_record(places[g.i], offset), c.lower_
                    # one step down: "rioted at a jail in Dili", "clashed at a checkpoint near Kirkuk"
                    for g in c.children:
                        if g.dep_ == "pobj" and c.lower_ in _LOC_PREPS:
                            for p in g.children:
                                if p.dep_ == "prep" and p.lower_ in ("in", "at", "near", "inside", "outside"):
                                    for h in p.children:
                                        if h.dep_ == "pobj" and h.i in places:
                                            return self._place_record(places[h.i], offset), c.lower_
                if c.dep_ in ("npadvmod", "compound") and c.i in places and c.i < t.i and \
                        places[c.i]._.place.kind != "country":
                    return self._place_record(places[c.i], offset), "modifier"
            # the object's location: "attacked positions in Idlib", "a visit to troops in Iraq",
            # "handed over control of Manbij"
            for c in t.children:
                if c.dep_ in ("dobj", "pobj") or (c.dep_ == "prep" and c.lower_ in ("against", "on", "of", "to")):
                    inner = [c] if c.dep_ != "prep" else [g for g in c.children if g.dep_ == "pobj"]
                    for o in inner:
                        if o.i in places and o.dep_ == "dobj" and places[o.i]._.place.kind != "country":
                            return self._place_record(places[o.i], offset), "object"
                        for p in o.children:
                            if p.dep_ == "prep" and p.lower_ in ("in", "at", "near", "inside", "of"):
                                for g in p.children:
                                    if g.dep_ == "pobj" and g.i in places:
                                        return self._place_record(places[g.i], offset), p.lower_
        return None, ""

    def _place_actor(self, place: Place, how: str = "", sector: str | None = None, code: str | None = None,
                     country_name: bool = False) -> Actor:
        """The state (or, with no country, the unknown party) a place stands for as an actor,
        named by its country when ``country_name``; ``code`` defaults to the country code."""
        c = self.d.countries.get(place.country) if country_name and place.country else None
        return Actor(text=place.text, start=place.start or 0, end=place.end or 0,
                     name=c.name if c else place.name, code=code if code is not None else place.country,
                     country=place.country, sector=sector, kind="state" if place.country else "unknown",
                     resolved_by=f"place:{place.resolved_by}{how}")

    @staticmethod
    def _place_record(span: Span, offset: int) -> Place:
        info = span._.place
        return Place(text=span.text, name=info.name, country=info.country, admin1=info.admin1,
                     lat=info.lat, lon=info.lon, kind=info.kind, start=span.start_char + offset,
                     end=span.end_char + offset, resolved_by=info.resolved_by)

    def _date(self, frame: Frame, dates: dict[int, Span], date_tokens: dict[int, Span],
              trigger_tokens: set[int]) -> Span | None:
        own = frame.tokens
        own_ids = {t.i for t in own}
        # 1. a date inside the construction, not across another trigger
        best: tuple[int, Span] | None = None
        for _root_i, span in dates.items():
            t = span.root
            dist = 0
            ok = False
            while dist < 10:
                if t.i in own_ids:
                    ok = True
                    break
                if t.head == t or (t.i in trigger_tokens and t.i not in own_ids and dist > 0):
                    break
                if t.dep_ in ("relcl", "ccomp", "advcl") and dist > 0:
                    break
                t = t.head
                dist += 1
            if ok and (best is None or dist < best[0]):
                best = (dist, span)
        if best is not None:
            return best[1]
        # 2. a date on a clause above ("It was last December when Iraq declared...")
        v = frame.anchor
        for _ in range(6):
            if v.head == v:
                break
            v = v.head
            for c in v.children:
                if c.i in date_tokens and date_tokens[c.i].root.i == c.i and c.dep_ not in ("relcl", "ccomp"):
                    return date_tokens[c.i]
                if c.dep_ == "prep" and c.lower_ in ("on", "in", "during", "since", "at"):
                    for g in c.children:
                        if g.i in date_tokens:
                            return date_tokens[g.i]
        return None

    # -- the event ------------------------------------------------------------------------

    def _event(self, doc: Doc, frame: Frame, modality: str, cue: str | None,
               by_token: dict[int, Span], head_of: dict[int, Span], dates: dict[int, Span],
               date_tokens: dict[int, Span], places: dict[int, Span], trigger_tokens: set[int],
               offset: int, sent_offset: int, sent_index: dict[int, int], doc_id: str) -> Event | None:
        doc_date: dt.date | None = doc._.doc_date
        date_span = self._date(frame, dates, date_tokens, trigger_tokens)
        method = "document"
        value: DateValue | None = date_span._.date_value if date_span is not None else None
        if value is None and frame.inner is not None and frame.token.pos_ == "NOUN":
            inner_span = self._date(frame.inner, dates, date_tokens, trigger_tokens)
            if inner_span is not None:
                value = inner_span._.date_value
                date_span = inner_span
                method = "complement"
        date: str | None
        precision: str
        if value is not None:
            date, precision = value.value, value.precision
            method = value.method if method == "document" else method
            date_text = date_span.text if date_span is not None else None
            day: dt.date | None = value.first_day
        else:
            date = doc_date.isoformat() if doc_date else None
            precision, date_text, day = "document", None, doc_date

        self._frame_tokens = {t.i for t in frame.tokens}
        source = self._actor_at(frame.source, by_token, head_of, day, offset, exclude=frame.target)
        target = self._actor_at(frame.target, by_token, head_of, day, offset, exclude=frame.source,
                                not_code=source.code if source is not None else None)
        if source is not None and target is not None and source.code == target.code and \
                source.start == target.start:
            target = None
        source = self._speaker_country(frame, source, by_token, day)
        sent = frame.token.sent
        if sent.start not in self._sole:
            self._sole[sent.start] = self._sole_country(sent, places)
        sole = self._sole[sent.start]
        if sole is not None:
            source = _with_country(source, sole, "sentence")
            target = _with_country(target, sole, "sentence")
        if (target is None or (target.kind == "unknown" and not target.country)) and source is not None \
                and len(source.members) == 2 and frame.type in _RECIPROCAL:
            # "Kuwait and its Gulf allies agreed", "Russia and Turkey's ministers met": a dyad
            source, target = source.members
        place, via = self._place(frame, places, offset)
        if place is not None and via not in ("from", "to", "object"):
            source = _with_place_country(source, place)
            target = _with_place_country(target, place)
        releasing = frame.type in ("RETREAT", "CONCEDE") and frame.mode == "release"
        expelling = frame.mode in ("expel", "deport")
        if source is None and place is not None and place.country and (frame.type == "COERCE" or releasing) and \
                (frame.token.tag_ == "VBN" or _participles(frame.token)) and \
                (via not in ("from", "to") or (via == "from" and expelling)):
            # "a missionary was arrested in Lebanon": the authorities of the place did it
            # "were released from captivity in Libya", "were expelled from North Korea": likewise
            sector = "COP" if frame.mode in ("arrest", "seize", "deport") else "GOV"
            source = self._place_actor(place, "+authority", sector=sector, code=f"{place.country}{sector}",
                                       country_name=True)
        if source is None and place is not None and place.country and \
                any(e.operator == "receive" for _, e in frame.chain) and \
                (target is None or target.country != place.country):
            # "the Iraqi Army received training in Russia": the place is the provider
            source = self._place_actor(place, country_name=True)
        if target is None and place is not None and not frame.entry.target_from_place and \
                frame.type not in ("PROTEST", "RETREAT") and via in ("in", "at", "near", "inside", "into", "object"):
            # "troops remained on alert in Manila": where it was done is what it was done to
            target = self._place_actor(place, sector="CVL" if place.kind == "city" else None)
        own_abroad = (frame.type == "CONSULT" and frame.mode == "visit" and target is not None
                      and source is not None and target.country == source.country)
        # a visit to one's own troops in Iraq is a visit to Iraq: the host is the counterpart
        if (target is None or own_abroad) and frame.entry.target_from_place and place is not None \
                and place.country and (source is None or source.country != place.country):
            target = self._place_actor(place, country_name=True)

        if target is None:
            target = self._object_target(frame, source, by_token, head_of, places, day, offset)

        if modality == "asserted" and value is not None and doc_date is not None and \
                (doc_date - value.last_day).days >= self.historical_after:
            modality, cue = "historical", date_span.text if date_span is not None else cue

        if frame.type == "ASSAULT" and (
                (source is not None and source.kind == "unknown" and source.country is None)
                or (source is None and lemma_of(frame.token) in _KILLING)) \
                and (frame.token.pos_ == "VERB" or frame.token.dep_ in ("nsubj", "nsubjpass", "ROOT")):
            # "a roadside bomb near Samarra killed two soldiers": unidentified attackers where it happened
            where = place
            if where is None or not where.country:
                spans = [p for i, p in sorted(places.items()) if dateline_end(sent) <= i < sent.end
                         and p._.place.country
                         and not (target is not None and target.start <= p.start_char + offset < target.end)]
                where = self._place_record(spans[0], offset) if spans else None
            if where is not None and where.country:
                anchor_text, a_start, a_end = ((source.text, source.start, source.end) if source is not None
                                               else (where.text, where.start or 0, where.end or 0))
                source = Actor(text=anchor_text, start=a_start, end=a_end, name=None, code=f"{where.country}UAF",
                               country=where.country, sector="UAF", kind="group",
                               resolved_by=f"place:{where.resolved_by}+unattributed")
        if self.require_actor and not any(a is not None and a.kind != "unknown" for a in (source, target)):
            return None
        etype, emode, cameo = frame.type, frame.mode, frame.cameo
        if etype == "MOBILIZE" and source is not None and (
                len({m.country for m in source.members if m.country}) > 1
                or (frame.target_via.endswith("with") and target is not None and target.country
                    and source.country and target.country != source.country)):
            etype, emode, cameo = "COOPERATE", None, "062"  # a joint exercise is cooperation
        elif etype in ("MOBILIZE", "CONSULT") and emode in (None, "troops", "visit", "deploy") and \
                _peacekeeping(frame) and source is not None and (source.country or source.kind == "organization"):
            etype, emode, cameo = "AID", None, "074"  # sending peacekeepers is military assistance
        elif etype == "RETREAT" and _to_refugees(frame):
            etype, emode, cameo = "AID", None, "075"  # "opened its borders to refugees": asylum
        elif etype == "AID" and source is not None and target is not None and source.country and \
                target.country in (source.country, None) and target.kind != "compound" and \
                "military" in frame.contexts:
            etype, emode, cameo = "MOBILIZE", "troops", "154"  # training or arming one's own forces
        if modality == "intended" and _unless(frame) and frame.type in ("RETREAT", "SANCTION", "COERCE", "ASSAULT",
                                                                        "MOBILIZE", "PROTEST", "REJECT"):
            etype, emode = "THREATEN", "relations" if frame.type in ("RETREAT", "SANCTION", "REJECT") else "violence"
            cameo = self.onto.cameo_for(etype, emode, frame.contexts)
        elif modality == "intended" and frame.type == "REJECT" and frame.token.lemma_.lower() == "boycott":
            etype, emode = "THREATEN", "relations"  # "said they will boycott the meeting"
            cameo = self.onto.cameo_for(etype, emode, frame.contexts)
        elif modality == "intended":
            etype, emode = intended_type(frame.type, frame.mode)
            if etype != frame.type:
                cameo = self.onto.cameo_for(etype, emode, frame.contexts)
        elif modality == "negated" and etype in _REFUSABLE and _refusal(frame, cue):
            # "will not release", "failed to reach a deal", "did not agree": a refusal
            emode = {"CONSULT": "meet", "RETREAT": "yield", "CONCEDE": "yield"}.get(etype, "assist")
            etype = "REJECT"
            cameo = self.onto.cameo_for(etype, emode, frame.contexts)
            modality = "asserted"
        quad = self.onto.quad(etype)
        intensity = self.onto.score(etype, emode)
        goldstein = self.onto.goldstein(cameo) if cameo else None
        confidence = _confidence(frame, source, target, self.onto, _prominence(frame))
        probs = (doc._.type_probs or {}).get(frame.token.sent.start)
        if self.model is not None and probs is not None:
            confidence = round(self.model.confidence(
                confidence, probs.get(etype, 0.0), _prominence(frame), source is not None,
                target is not None, self.onto.types[etype].needs_target,
                frame.rule.startswith("model:")), 3)
        trig = frame.token
        return Event(
            event_id=event_id(doc_id, trig.idx + offset, etype, frame.rule),
            doc_id=doc_id,
            sentence_index=sent_offset + sent_index.get(sent.start, 0),
            sentence=sent.text.strip(),
            event_type=etype,
            mode=emode,
            contexts=frame.contexts,
            cameo=cameo,
            quad_class=quad,
            intensity=intensity,
            goldstein=goldstein,
            source=source,
            target=target,
            date=date,
            date_precision=precision,
            date_text=date_text,
            date_method=method,
            location=place,
            modality=modality,
            modality_cue=cue,
            confidence=confidence,
            trigger=Trigger(text=trig.text, start=trig.idx + offset, end=trig.idx + len(trig.text) + offset),
            rule=frame.rule,
        )


_RECIPROCAL = frozenset({"CONSULT", "AGREE", "COOPERATE", "SUPPORT", "ASSAULT", "CONCEDE", "RETREAT"})
_REFUSABLE = frozenset({"AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT"})
_SAY_ROOTS = frozenset({"say", "tell", "report", "announce", "state", "add", "claim", "confirm",
                        "declare", "insist", "note", "write", "warn"})


_KILLING = frozenset({"kill", "wound", "injure", "bomb", "shoot", "explode", "detonate", "attack", "behead",
                      "assassinate", "massacre", "shell", "ambush", "stab", "kidnap", "abduct"})
_PATIENT_OBJECT = frozenset({"ASSAULT", "COERCE", "ACCUSE", "REJECT", "THREATEN", "REQUEST", "PROTEST"})
_BENEFICIARY_IN_OBJECT = frozenset({"CONCEDE", "RETREAT", "CONSULT"})  # "released prisoners", "eased curfews in Sinai"


_PEACEKEEPING = frozenset({"peacekeeper", "peacekeepers", "peacekeeping", "peace-keeping", "peace-keepers",
                          "blue helmets", "stabilization", "stabilisation"})
_REFUGEES = frozenset({"refugee", "refugees", "asylum", "displaced", "migrants", "asylum-seekers", "evacuees"})


def _hyphen_prefix(span: Span) -> bool:
    """The span is written onto a hyphen ("Iran" in "Iran-backed")."""
    doc = span.doc
    return span.end < len(doc) and doc[span.end].text == "-" and not doc[span.end - 1].whitespace_


def _peacekeeping(frame: Frame) -> bool:
    """The clause sends or brings peacekeepers ("deployment of troops on a peacekeeping mission")."""
    clause = frame.anchor.subtree if frame.anchor.dep_ != "ROOT" else frame.anchor.sent
    return any(t.lower_ in _PEACEKEEPING for t in clause)


def _to_refugees(frame: Frame) -> bool:
    """An opening "to refugees": the border opened for people fleeing."""
    return any(c.dep_ == "prep" and c.lower_ in ("to", "for") and any(t.lower_ in _REFUGEES for t in c.subtree)
               for c in frame.token.children)


def _unless(frame: Frame) -> bool:
    """The event is promised on a condition the other side must meet ('unless', 'if ... not')."""
    for t in frame.tokens:
        for c in t.children:
            if c.dep_ == "advcl" and any(g.dep_ == "mark" and g.lower_ == "unless" for g in c.children):
                return True
    return False


def _refusal(frame: Frame, cue: str | None) -> bool:
    """A negated cooperative act that is a refusal: 'will not release', 'failed to agree'."""
    low = (cue or "").lower()
    if low.startswith(("fail", "refus")):
        return True
    if low not in ("not", "n't", "never", "no"):
        return False
    return any(c.dep_ == "aux" and c.lower_ in ("will", "would", "shall", "'ll", "wo", "can", "ca")
               for t in frame.tokens for c in t.children)


def _prominence(frame: Frame) -> float:
    """How central the event is to its sentence: main clause events rank above embedded ones."""
    a = frame.anchor
    sent = a.sent
    early = -0.03 * (a.i - sent.start) / max(1, len(sent))  # ties go to the first event
    return early + _clause_rank(a)


def _clause_rank(a: Token) -> float:
    if a.dep_ == "ROOT":
        if any(c.dep_ == "ccomp" and c.i < a.i for c in a.children) and a.lemma_.lower() not in _SAY_ROOTS:
            return -0.05  # "..., a human rights group charged": an attribution after the claim
        return 0.08
    head = a.head
    if a.dep_ in ("ccomp", "conj", "xcomp") and head.dep_ == "ROOT":
        return 0.08 if (a.dep_ != "ccomp" or head.lemma_.lower() in _SAY_ROOTS) else 0.03
    if a.dep_ in ("nsubj", "nsubjpass", "dobj", "attr") and head.dep_ == "ROOT":
        return 0.0
    if a.dep_ in ("relcl", "acl", "advcl", "amod", "appos") or (a.dep_ == "pobj" and head.dep_ == "prep"):
        return -0.12
    return -0.05


def _participles(token: Token) -> list[Token]:
    """A noun trigger's past-participle modifiers: "the curfew imposed in Chad"."""
    if token.pos_ not in ("NOUN", "PROPN"):
        return []
    return [c for c in token.children if c.dep_ == "acl" and c.tag_ == "VBN"]


def _with_country(actor: Actor | None, country: str, how: str) -> Actor | None:
    """An actor with a sector but no country takes the country the sentence is about; so does an
    organization only the entity tagger found ('the Homeland Union'), which the dictionary
    does not place anywhere."""
    if actor is None or actor.country is not None or actor.members:
        return actor
    tagged_only = actor.kind == "organization" and (actor.resolved_by or "").startswith("ner:")
    if actor.kind not in ("group", "person", "unknown") and not tagged_only:
        return actor
    return actor.model_copy(update={"country": country, "code": f"{country}{actor.sector or ''}",
                                    "resolved_by": f"{actor.resolved_by}+{how}:{country}"})


def _with_place_country(actor: Actor | None, place: Place) -> Actor | None:
    """A group with no country ('protesters', 'militants') takes the country of the place."""
    if actor is None or actor.country is not None or actor.kind != "group" or not place.country:
        return actor
    return actor.model_copy(update={
        "country": place.country, "code": f"{place.country}{actor.sector or ''}",
        "resolved_by": f"{actor.resolved_by}+place:{place.resolved_by}"})


def _confidence(frame: Frame, source: Actor | None, target: Actor | None, onto: Ontology,
                prominence: float = 0.0) -> float:
    c = frame.entry.weight + prominence
    if source is not None and (source.country or source.kind in ("organization", "compound")):
        c += 0.1
    elif source is None:
        c -= 0.2
    needs_target = onto.types[frame.type].needs_target
    if target is not None:
        c += 0.05
    elif needs_target:
        c -= 0.1
    c -= 0.05 * max(0, frame.depth - 1)
    if any(kind in ("presupposed", "reported") for kind, _ in frame.cues):
        c -= 0.15  # "condemned the attack": the condemnation is the news, the attack its object
    return round(min(0.99, max(0.05, c)), 3)


@Language.factory(
    "realpolitik_events",
    assigns=["doc._.events"],
    requires=["doc.spans", "span._.frames", "span._.modality"],
    default_config={"actor_files": [], "shipped": True, "historical_after_days": 365,
                    "require_actor": True, "use_model": False},
)
def make_events(nlp: Language, name: str, actor_files: list[str], shipped: bool,
                historical_after_days: int, require_actor: bool, use_model: bool) -> EventAssembler:
    return EventAssembler(load_actor_dictionary(actor_files, shipped=shipped), load_ontology(),
                          historical_after_days, require_actor, load_model() if use_model else None)

