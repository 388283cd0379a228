"""realpolitik_triggers: find event triggers, their arguments, and compose operators.

Writes ``doc.spans["triggers"]``: one span per word that expresses an event, with
``span._.frames`` holding :class:`Frame` objects: the event type, mode and CAMEO code, the
tokens that head its source and target phrases, and the chain of operators that shaped
it. Operators are words that govern another event: "Iraqi lawmakers *called for* the
withdrawal of U.S. troops" == a REQUEST built from the RETREAT that "withdrawal"
expresses; "Moscow *agreed to* deliver" turns AID into AGREE; "Ankara *condemned* the
strike" codes ACCUSE against whoever struck, and keeps the strike. The lexicon
(``lexicon/data``) says which words are triggers and operators.

Arguments are read from the dependency parse: subject and object in active and passive
voice, agents ("by"), datives, prepositional objects named by the lexicon entry,
possessors and modifiers of nouns ("Trump's visit", "Iraqi air strikes", "the U.S.
withdrawal"), relative clauses ("forces that support Assad", "the support that Moscow
lent Damascus"), and subjects shared through coordination, control ("urged X to") and
light verbs ("launched strikes").
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from ..lexicon import LexEntry, Lexicon, load_lexicon
from ..ontology import Ontology, load_ontology
from . import extensions  # noqa: F401
from .actors import refs_of
from .phrases import dateline_end, lemma

__all__ = ["Frame", "TriggerFinder", "make_triggers", "COOPERATIVE", "CONFLICTUAL", "intended_type"]

COOPERATIVE = frozenset({"AGREE", "CONSULT", "SUPPORT", "COOPERATE", "AID"})
CONFLICTUAL = frozenset({"ASSAULT", "COERCE", "SANCTION", "MOBILIZE", "THREATEN"})

_VERB_TARGET = ("obj", "dative")
_NOUN_SOURCE = ("poss", "subj", "by")
_NOUN_TARGET = ("against", "on", "to", "with", "toward", "towards", "at", "into", "upon", "for")
_PREVENT = frozenset({"prevent", "block", "bar", "ban", "thwart", "foil", "stop", "disperse", "break", "forbid",
                      "prohibit", "outlaw", "suppress", "crush", "quell"})
_MEANS_PREPS = frozenset({"in", "during", "with", "through", "via", "for"})
_MOTION = frozenset({"return", "travel", "come", "go", "arrive", "head", "fly", "meet", "gather", "sit", "convene",
                     "assemble", "leave", "depart", "visit", "be", "stay", "remain"})
_RELATIVE = frozenset({"that", "which", "who", "whom", "whose"})
_OBJECT_CONTROL = frozenset({"urge", "ask", "order", "force", "allow", "help", "encourage", "invite",
                             "persuade", "press", "instruct", "compel", "implore", "beg",
                             "permit", "authorize", "tell", "warn", "pressure", "push"})
_LIGHT_REL = frozenset({"lend", "give", "provide", "offer", "extend", "deliver", "send", "grant",
                        "launch", "carry", "conduct", "make", "show", "express", "pledge", "enjoy",
                        "forge", "build", "form", "maintain", "have", "share", "sign", "reach",
                        "hold", "stage", "wage"})
_STATIVE_PASSIVES = frozenset({"oppose", "commit", "determine", "prepare", "set", "poise", "resolve",
                               "dedicate", "devote", "disappoint", "concern", "alarm", "satisfy",
                               "interest", "inclined", "incline", "obligate", "oblige", "bind",
                               "demobilize", "demobilise", "disarm"})
_TRANSPARENT_NOUNS = frozenset({"increase", "boost", "expansion", "resumption", "continuation", "start",
                                "launch", "extension", "surge", "escalation", "intensification",
                                "round", "series", "wave", "spate", "number", "package", "batch"})
_ARG_PREPS = frozenset({"of", "for", "to", "on", "in", "with", "into", "against", "at", "from", "about",
                        "over", "upon", "toward", "towards", "as"})
_AGREEING = frozenset({"agree", "accept", "consent", "commit", "offer", "invite", "propose", "volunteer"})
_COMPLEMENT_PREPS = frozenset({"for", "to", "on", "in", "of", "against", "about", "over", "into",
                               "from", "with", "at", "toward"})


@dataclass
class Frame:
    """One analysed event: type, roles and how the words combined to give them."""

    token: Token
    """The trigger word reported in the output."""
    anchor: Token
    """The outermost word of the construction (modality and dates are read from here)."""
    entry: LexEntry
    type: str
    mode: str | None
    contexts: tuple[str, ...]
    cameo: str | None
    source: Token | None = None
    target: Token | None = None
    source_via: str = ""
    target_via: str = ""
    between: tuple[Token, ...] = ()
    chain: list[tuple[Token, LexEntry]] = field(default_factory=list)
    """Operators applied, innermost first."""
    rule: str = ""
    cues: list[tuple[str, str]] = field(default_factory=list)
    """Modality cues set by operators: (modality, word)."""
    emit: bool = True
    depth: int = 0
    inner: Frame | None = None
    obj: Token | None = None
    """The object that selected the lexicon entry ('sanctions' in 'impose sanctions')."""

    @property
    def tokens(self) -> list[Token]:
        """The trigger, then each operator word outward."""
        return [self.token] + [t for t, _ in self.chain]


class TriggerFinder:
    """The trigger component."""

    def __init__(self, lexicon: Lexicon, ontology: Ontology):
        self.lex = lexicon
        self.onto = ontology

    # -- candidates -----------------------------------------------------------------------

    def _pos(self, tok: Token, named: set[int]) -> str | None:
        if tok.i in named:
            return None  # part of a name: 'Popular Mobilization Forces', 'the Cold War'
        if tok.ent_type_ in ("DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY"):
            return None  # 'March' the month
        lem = lemma(tok)
        if tok.pos_ in ("VERB", "AUX") or tok.tag_.startswith("VB"):
            if tok.tag_ == "VBN" and tok.dep_ == "amod" and tok.lower_ in self.lex.adjs:
                return "adj"
            if lem in self.lex.verbs:
                return "verb"
            if tok.lower_ in self.lex.adjs:
                return "adj"
            return None
        if tok.pos_ in ("NOUN", "PROPN") and (lem in self.lex.nouns or tok.lower_ in self.lex.nouns):
            if tok.dep_ == "compound" and tok.head.pos_ in ("NOUN", "PROPN"):
                return None  # a modifier: 'attack helicopters', 'protest movement'
            return "noun"
        if tok.pos_ == "ADJ" and (tok.lower_ in self.lex.adjs or lem in self.lex.adjs):
            return "adj"
        return None

    def _entries(self, tok: Token, pos: str) -> list[LexEntry]:
        key = tok.lower_ if pos == "adj" else lemma(tok)
        out = self.lex.entries_for(pos, key)
        if not out and pos == "noun":
            out = self.lex.entries_for(pos, tok.lower_)
        if not out and pos == "adj":
            out = self.lex.entries_for(pos, lemma(tok))
        return out

    # -- argument helpers -----------------------------------------------------------------

    @staticmethod
    def _passive(tok: Token) -> bool:
        if any(c.dep_ in ("nsubjpass", "auxpass") for c in tok.children):
            return True
        return tok.tag_ == "VBN" and tok.dep_ in ("acl", "amod", "relcl") and not any(
            c.dep_ in ("aux", "nsubj") for c in tok.children)

    @staticmethod
    def _prep_objects(tok: Token, word: str) -> list[Token]:
        out: list[Token] = []
        for c in tok.children:
            if c.dep_ in ("prep", "agent", "dative", "prt") and c.lower_ == word:
                out.extend(g for g in c.children if g.dep_ in ("pobj", "pcomp"))
            # two-word prepositions: "on behalf of" is rare; "out of" is common
            if c.dep_ in ("prt", "prep", "advmod") and c.lower_ in ("out", "away", "off", "back", "down") and word in ("of", "from"):
                out.extend(g2 for g in c.children if g.lower_ == word for g2 in g.children if g2.dep_ == "pobj")
        return out

    def _subject(self, tok: Token, depth: int = 0) -> tuple[Token | None, str]:
        """The agent of a verb: its subject, the by-phrase of a passive, or an inherited one."""
        if depth > 6:
            return None, ""
        passive = self._passive(tok)
        if not passive:
            # with several subjects (a misparsed name), the one nearest the verb heads the phrase
            subjects = [c for c in tok.children if c.dep_ in ("nsubj", "csubj")]
            if subjects:
                c = min(subjects, key=lambda x: abs(tok.i - x.i))
                if c.i < dateline_end(tok.sent):
                    # "MOGADISHU, Somalia -- A U.S. airstrike killed": the dateline is no subject
                    named = next((g for g in c.subtree if g.dep_ == "appos" and g.i >= dateline_end(tok.sent)), None)
                    return (named, "subj") if named is not None else (None, "")
                if c.lower_ in _RELATIVE and tok.dep_ == "relcl":
                    return tok.head, "relcl"
                return c, "subj"
        if not passive and tok.tag_ in ("VBD", "VBZ", "VBP") and not any(
                c.dep_ in ("nsubj", "csubj", "expl") for c in tok.children):
            # a name the parser took for a modifier ("USAID provided ...", tagged as an adverb)
            j = tok.i - 1
            while j >= 0 and tok.doc[j].dep_ in ("aux", "neg") or (j >= 0 and tok.doc[j].pos_ == "ADV"
                                                                   and tok.doc[j].is_lower):
                j -= 1
            if j >= 0:
                left = tok.doc[j]
                if left.head == tok and left.dep_ in ("advmod", "npadvmod", "amod", "nmod", "dep") and \
                        (left.is_upper or left.is_title) and left.pos_ in ("PROPN", "ADJ", "NOUN") and \
                        j >= tok.sent.start and left.ent_type_ not in ("DATE", "TIME", "CARDINAL"):
                    return left, "subj"
        for c in tok.children:
            if passive and c.dep_ == "agent":
                for g in c.children:
                    if g.dep_ == "pobj":
                        return g, "by"
        if passive:
            if lemma(tok) in _STATIVE_PASSIVES:  # "Israel is opposed to", "Vietnam is committed to"
                subj = next((c for c in tok.children if c.dep_ == "nsubjpass"), None)
                if subj is not None:
                    return subj, "stative"
            return None, ""
        dep = tok.dep_
        head = tok.head
        if dep == "relcl":
            return head, "relcl"
        if dep == "acl" and tok.tag_ in ("VBG", "VBD"):
            return head, "acl"  # "groups donating aid"; a finite verb parsed as a modifier
        if dep == "xcomp":
            for c in head.children:
                if c.dep_ == "prep" and c.lower_ in ("on", "upon") and lemma(head) in ("call", "prevail"):
                    for g in c.children:  # "called on Turkey to halt": Turkey would halt
                        if g.dep_ == "pobj":
                            return g, "control"
            if lemma(head) in _OBJECT_CONTROL:
                for c in head.children:
                    if c.dep_ in ("dobj",):
                        return c, "control"
            s, via = self._subject(head, depth + 1)
            return s, "control" if s is not None else via
        if dep in ("acomp", "attr", "oprd") and head.pos_ in ("VERB", "AUX"):
            s, via = self._subject(head, depth + 1)  # "Syria is willing to": the copula's subject
            return s, "copula" if s is not None else via
        if dep in ("conj", "advcl", "pcomp", "ccomp") and head.pos_ in ("VERB", "AUX"):
            if dep == "ccomp":
                return None, ""
            s, via = self._subject(head, depth + 1)
            return s, "shared" if s is not None else via
        if dep in ("pcomp", "pobj") and head.dep_ == "prep":
            # "interest in purchasing": the noun's possessor; "by attacking": the verb's subject
            owner = head.head
            if owner.pos_ in ("NOUN", "PROPN"):
                for c in owner.children:
                    if c.dep_ == "poss":
                        return c, "poss"
                return self._noun_governor_subject(owner, depth + 1)
            if owner.pos_ in ("VERB", "AUX"):
                s, _ = self._subject(owner, depth + 1)
                return s, "shared"
        return None, ""

    def _noun_governor_subject(self, noun: Token, depth: int) -> tuple[Token | None, str]:
        """Subject of the verb a noun is the object of ('Baghdad launched strikes')."""
        h = noun
        for _ in range(3):
            if h.dep_ in ("dobj", "nsubjpass", "attr") and h.head.pos_ in ("VERB", "AUX"):
                s, _via = self._subject(h.head, depth + 1)
                return s, "governor"
            if h.dep_ == "pobj" and h.head.dep_ == "prep" and h.head.head.pos_ in ("VERB", "AUX"):
                s, _via = self._subject(h.head.head, depth + 1)
                return s, "governor"
            if h.dep_ == "conj":
                h = h.head
                continue
            break
        return None, ""

    def _object(self, tok: Token) -> Token | None:
        if self._passive(tok):
            for c in tok.children:
                if c.dep_ == "nsubjpass":
                    return c
            if tok.dep_ in ("acl", "amod") and tok.tag_ == "VBN":
                return tok.head
            return None
        for c in tok.children:
            if c.dep_ in ("dobj",):
                if c.lower_ in _RELATIVE and tok.dep_ == "relcl":
                    return tok.head
                return c
        if tok.dep_ == "relcl" and not any(c.dep_ == "dobj" for c in tok.children):
            subj = [c for c in tok.children if c.dep_ == "nsubj"]
            if subj and subj[0].lower_ not in _RELATIVE:
                return tok.head  # "the regime that Moscow supported"
        return None

    def _dative(self, tok: Token) -> Token | None:
        for c in tok.children:
            if c.dep_ == "dative":
                if c.pos_ in ("ADP",):
                    for g in c.children:
                        if g.dep_ == "pobj":
                            return g
                    continue
                return c
        return None

    def _noun_subject(self, tok: Token, actor_tokens: dict[int, Span]) -> Token | None:
        """An actor named in a noun's own modifiers: 'Iraqi air strikes', 'U.S. withdrawal'."""
        best = None
        for c in tok.children:
            if c.i < tok.i and c.dep_ in ("compound", "amod", "nmod", "npadvmod") and c.i in actor_tokens \
                    and (best is None or c.i > best.i):
                best = c
            if best is None and c.dep_ == "amod" and c.lower_ in ("led", "commanded", "run"):
                # "a Saudi-led strike": the leader's
                best = next((g for g in c.children if g.dep_ in ("npadvmod", "compound", "nmod")
                             and g.i in actor_tokens), None)
        return best

    def _role(self, tok: Token, pos: str, role: str, actor_tokens: dict[int, Span]) -> Token | None:
        if role == "subj":
            if pos == "noun":
                return self._noun_subject(tok, actor_tokens)
            return self._subject(tok)[0]
        if role == "obj":
            return self._object(tok)
        if role == "dative":
            return self._dative(tok) or next(iter(self._prep_objects(tok, "to")), None)
        if role == "poss":
            for c in tok.children:
                if c.dep_ == "poss":
                    return c
            if pos == "verb":
                return self._owner(self._object(tok), actor_tokens)
            return None
        if role == "by":
            objs = self._prep_objects(tok, "by")
            if objs:
                return objs[0]
            for c in tok.children:
                if c.dep_ == "agent":
                    return next((g for g in c.children if g.dep_ == "pobj"), None)
            return None
        if role == "loc":
            return None
        objs = self._prep_objects(tok, role)
        if not objs and pos == "verb":
            obj = self._object(tok)
            if obj is not None and obj.pos_ in ("NOUN", "PROPN"):
                objs = self._prep_objects(obj, role)  # "impose sanctions on Iran"
                if not objs:
                    for of in self._prep_objects(obj, "of"):  # "the town of Tal Afar from ISIS"
                        objs = self._prep_objects(of, role)
                        if objs:
                            break
        if not objs and pos == "noun" and tok.dep_ == "dobj" and role in ("from", "against", "to"):
            objs = self._prep_objects(tok.head, role)  # "welcomed support from Moscow"
        return objs[0] if objs else None

    _TRANSPARENT = frozenset({"flagged", "owned", "registered", "operated", "run", "made", "built",
                              "controlled", "held", "backed", "based"})

    def _owner(self, obj: Token | None, actor_tokens: dict[int, Span]) -> Token | None:
        """Whose the object is: "destroyed Russia's jet", "the assets of Hezbollah financiers",
        "Russian tanks", "a British-flagged tanker"."""
        if obj is None:
            return None
        for c in obj.children:
            if c.dep_ == "poss":
                return c
        for c in obj.children:
            if c.dep_ == "prep" and c.lower_ == "of":
                for g in c.children:
                    if g.dep_ == "pobj":
                        return g
        if obj.i in actor_tokens:
            return obj
        for c in obj.children:
            if c.i < obj.i and c.dep_ in ("amod", "compound", "nmod") and c.i in actor_tokens:
                return c
            if c.dep_ == "amod" and c.lower_ in self._TRANSPARENT:
                for g in c.children:
                    if g.dep_ in ("npadvmod", "compound", "amod", "nmod") and g.i in actor_tokens:
                        return g
        return None

    def _between(self, tok: Token) -> tuple[Token, ...]:
        for p in self._prep_objects(tok, "between"):
            conj = [c for c in p.children if c.dep_ == "conj"]
            if conj:
                return (p, conj[0])
        return ()

    # -- entry constraints ----------------------------------------------------------------

    def _object_words(self, tok: Token, pos: str, entry: LexEntry) -> set[str]:
        words: set[str] = set()
        heads: list[Token] = []
        if pos == "verb":
            obj = self._object(tok) if not self._passive(tok) else None
            if obj is None:
                obj = next((c for c in tok.children if c.dep_ in ("dobj", "nsubjpass", "attr", "oprd")), None)
            if obj is not None:
                heads.append(obj)
            if entry.particle:
                last = entry.particle.split()[-1]
                heads.extend(self._prep_objects(tok, last))
            for c in tok.children:
                if c.dep_ in ("prep", "prt") and c.i > tok.i:
                    words.add(c.lower_)
                    if c.dep_ == "prep" and not entry.particle and c.lower_ in _ARG_PREPS:
                        heads.extend(g for g in c.children if g.dep_ == "pobj")
                elif c.dep_ in ("oprd", "acomp", "attr") or (c.dep_ == "xcomp" and c.pos_ in ("ADJ", "NOUN")):
                    heads.append(c)
        else:
            heads.append(tok)
            for c in tok.children:
                if c.dep_ in ("compound", "amod", "nmod", "npadvmod"):
                    words.add(lemma(c))
                    words.add(c.lower_)
                if c.dep_ == "prep" and c.lower_ == "of":
                    for g in c.children:
                        if g.dep_ == "pobj":
                            heads.append(g)
                            heads.extend(x for p in g.children if p.dep_ == "prep" and p.lower_ in ("on", "for", "as")
                                         for x in p.children if x.dep_ == "pobj")
                elif c.dep_ == "prep" and c.lower_ in ("on", "for", "as"):
                    heads.extend(g for g in c.children if g.dep_ == "pobj")
            heads.remove(tok)
        for h in list(heads):
            for c in h.children:
                if c.dep_ == "prep" and c.lower_ in ("in", "of", "worth"):
                    heads.extend(g for g in c.children if g.dep_ == "pobj")
        for h in heads:
            words.add(lemma(h))
            words.add(h.lower_)
            for c in h.children:
                if c.dep_ in ("compound", "amod", "nmod", "nummod"):
                    words.add(lemma(c))
                    words.add(c.lower_)
            for c in h.conjuncts:
                words.add(lemma(c))
        return words

    def _has_particle(self, tok: Token, particle: str) -> bool:
        parts = particle.split()
        objects = [c.right_edge.i for c in tok.children if c.dep_ in ("dobj", "dative") and c.i > tok.i]
        kids = {c.lower_: c for c in tok.children if c.dep_ in ("prt", "prep", "advmod", "dative", "agent")
                and not any(g.ent_type_ in ("DATE", "TIME") for g in c.children)
                # a preposition far after the verb, past its object, is no particle of it
                # ("gave the envoy 72 hours to leave ... in Caracas" is not "give in")
                and (c.dep_ == "prt" or c.i < tok.i or c.i - tok.i <= 4
                     or not any(o < c.i for o in objects) or any(0 < c.i - o <= 2 for o in objects))}
        first = parts[0]
        if first not in kids:
            return False
        if len(parts) == 1:
            return True
        second = parts[1]
        return second in kids or any(g.lower_ == second for g in kids[first].children)

    def _has_mods(self, tok: Token, mods: tuple[str, ...]) -> bool:
        have = {lemma(c) for c in tok.children if c.dep_ in ("compound", "amod", "nmod")}
        have |= {c.lower_ for c in tok.children if c.dep_ in ("compound", "amod", "nmod")}
        if tok.i > 0:
            have.add(tok.doc[tok.i - 1].lower_)
        return all(m in have for m in mods)

    # -- analysis -------------------------------------------------------------------------

    def __call__(self, doc: Doc) -> Doc:
        actor_tokens = refs_of(doc.spans["actors"]) if "actors" in doc.spans else {}
        named: set[int] = set()
        for s in doc.spans.get("actors", []):
            a = s._.actor
            if a is not None and a.kind in ("organization", "person") and s._.cue is not None:
                named.update(range(*s._.cue))
        for ent in doc.ents:
            if ent.label_ in ("ORG", "EVENT", "WORK_OF_ART", "LAW", "FAC", "PERSON", "PRODUCT"):
                named.update(t.i for t in ent if t.is_title or t.is_upper)
        cands: dict[int, str] = {}
        for tok in doc:
            pos = self._pos(tok, named)
            if pos is not None:
                cands[tok.i] = pos
        memo: dict[int, Frame | None] = {}
        consumed: set[int] = set()
        frames: list[Frame] = []
        for i in cands:
            f = self._analyse(doc[i], cands, memo, actor_tokens, consumed, frames)
            if f is not None:
                frames.append(f)
        frames = [self._obligation(f, consumed) for f in frames]
        # "an Israeli air strike killed six": the strike's source did the killing
        by_anchor = {f.token.i: f for f in frames if f.source is not None}
        for f in frames:
            cause = by_anchor.get(f.source.i) if f.source is not None else None
            if cause is not None and cause is not f and f.type in ("ASSAULT", "COERCE") and \
                    cause.type in ("ASSAULT", "COERCE", "MOBILIZE") and cause.source is not None:
                f.source, f.source_via = cause.source, "cause"
        # "an earthquake struck", "floods killed 200": nature's doing, not a political event
        hazards = self.lex.classes.get("hazards", frozenset())
        frames = [f for f in frames if not (f.source is not None and f.type in ("ASSAULT", "COERCE")
                                            and (lemma(f.source) in hazards or f.source.lower_ in hazards))]
        spans = []
        by_token: dict[int, list[Frame]] = {}
        seen: set[int] = set()
        objects = {f.obj.i for f in frames if f.obj is not None and f.emit}
        for f in frames:
            if f.anchor.i in objects and f.anchor.pos_ in ("NOUN", "PROPN") and f.obj is None:
                continue
            if id(f) in seen or not f.emit:
                continue
            seen.add(id(f))
            if f.anchor.i in consumed and f.emit and not any(c[0] == "presupposed" for c in f.cues):
                continue
            by_token.setdefault(f.token.i, []).append(f)
        for i, fs in sorted(by_token.items()):
            span = doc[i:i + 1]
            span._.frames = tuple(fs)
            spans.append(span)
        doc.spans["triggers"] = spans
        return doc

    def _analyse(self, tok: Token, cands: dict[int, str], memo: dict[int, Frame | None],
                 actor_tokens: dict[int, Span], consumed: set[int], out: list[Frame]) -> Frame | None:
        if tok.i in memo:
            return memo[tok.i]
        memo[tok.i] = None  # guard against cycles
        pos = cands[tok.i]
        result: Frame | None = None
        for entry in self._entries(tok, pos):
            if entry.particle and not self._has_particle(tok, entry.particle):
                continue
            if entry.mods and not self._has_mods(tok, entry.mods):
                continue
            if entry.prep and not any(c.dep_ == "prep" and c.lower_ == entry.prep for c in tok.children):
                continue
            obj_tok = None
            if entry.with_ or entry.without:
                words = self._object_words(tok, pos, entry)
                if entry.with_ and pos == "verb":
                    obj_tok = self._object(tok)
                    if obj_tok is None and entry.particle:
                        obj_tok = next(iter(self._prep_objects(tok, entry.particle.split()[-1])), None)
                if entry.with_ and not (words & self.lex.words(entry.with_)):
                    continue
                if entry.without and words & self.lex.words(entry.without):
                    continue
            if entry.operator is not None:
                inner_tok = self._complement(tok, pos, entry, cands)
                if inner_tok is not None:
                    inner = self._analyse(inner_tok, cands, memo, actor_tokens, consumed, out)
                    if inner is not None:
                        composed = self._compose(tok, pos, entry, inner, actor_tokens, consumed, out)
                        if composed is not None:
                            result = composed
                            break
                if entry.type is None:
                    continue
            base = self._base(tok, pos, entry, actor_tokens)
            base.obj = obj_tok
            if base.type in ("MOBILIZE", "CONSULT", "PROTEST"):
                self._purpose(base, cands, memo, actor_tokens, consumed, out)
            if entry.when_source:
                sector = self._sector(base.source, actor_tokens)
                if (sector or "NONE") not in entry.when_source:
                    continue
            result = base
            break
        memo[tok.i] = result
        return result

    _OBLIGATION = frozenset({"must", "should", "ought"})
    _SAYING = frozenset({"say", "tell", "reiterate", "insist", "stress", "warn", "argue", "add", "state",
                         "declare", "remind", "write", "note", "emphasize", "emphasise", "repeat",
                         "maintain", "assert", "underline", "underscore", "signal", "make", "announce",
                         "conclude", "reminder", "warning", "statement", "message", "insistence",
                         "demand", "call", "view", "position", "argument", "agree", "decide"})

    def _obligation(self, f: Frame, consumed: set[int]) -> Frame:
        """'Russia said Sudan must return the helicopter': the speaker requests the act."""
        has, clause = False, f.anchor
        for a in [f.token, *[t for t, _ in f.chain], f.anchor]:
            if a.dep_ in ("acomp", "attr") and a.head.pos_ in ("AUX", "VERB"):
                a = a.head  # "the US must be ready to mediate"
            if any(c.dep_ == "aux" and c.lower_ in self._OBLIGATION for c in a.children):
                has, clause = True, a
                break
            if a.dep_ == "xcomp" and lemma(a.head) in ("need", "have") and a.head.dep_ in ("ccomp", "acl"):
                has, clause = True, a.head
                break
        if not has or clause.dep_ not in ("ccomp", "acl") or lemma(clause.head) not in self._SAYING:
            return f
        say = clause.head
        speaker = self._subject(say)[0]
        if speaker is None or speaker == f.source:
            return f
        rule = f"operators:{lemma(say)}+obligation > {f.rule}"
        entry = replace(f.entry, operator="request", type="REQUEST", rule=rule, weight=0.75)
        req = Frame(token=say, anchor=say, entry=entry, type="REQUEST", mode=_request_mode(f),
                    contexts=f.contexts, cameo=None, chain=f.chain + [(say, entry)], rule=rule,
                    depth=f.depth + 1, inner=f)
        req.cameo = self.onto.cameo_for("REQUEST", req.mode, f.contexts)
        req.source, req.source_via = speaker, "speaker"
        req.target, req.target_via = (f.source, "obliged") if f.source is not None else (f.target, "inner-target")
        consumed.add(a.i)
        return req

    def _purpose(self, f: Frame, cands: dict[int, str], memo: dict[int, Frame | None],
                 actor_tokens: dict[int, Span], consumed: set[int], out: list[Frame]) -> None:
        """'sent troops to help the Philippine army': a deployment whose purpose is aid is aid."""
        heads = [f.token] + ([f.token.head] if f.token.dep_ in ("dobj", "pobj") else [])
        for c in (c for h in heads for c in h.children):
            if f.type == "PROTEST" and c.dep_ in ("advcl", "xcomp", "acl") and c.i in cands and c.i != f.token.i:
                inner = self._analyse(c, cands, memo, actor_tokens, consumed, out)
                if inner is not None and inner.type in ("REQUEST", "ACCUSE", "REJECT"):
                    consumed.add(c.i)  # "staged rallies to demand reforms": the demand is the protest's topic
                continue
            if c.dep_ in ("advcl", "xcomp") and c.i in cands and any(
                    g.dep_ == "aux" and g.lower_ == "to" for g in c.children):
                inner = self._analyse(c, cands, memo, actor_tokens, consumed, out)
                if inner is not None and inner.type == "AID" and f.type == "MOBILIZE":
                    f.type, f.mode, f.contexts = "AID", None, ("military",)
                    f.cameo = "074"
                    f.rule = f"{f.rule} > purpose:{inner.rule}"
                    if f.target is None:
                        f.target, f.target_via = inner.target, "purpose"
                    consumed.add(c.i)
                elif inner is not None and f.type == "CONSULT" and f.mode != "visit" and \
                        inner.type in ("SUPPORT", "ACCUSE", "REQUEST", "THREATEN", "REJECT"):
                    # "called his counterpart to express support": the message is the event
                    f.type, f.mode, f.cameo, f.contexts = inner.type, inner.mode, inner.cameo, inner.contexts
                    f.rule = f"{f.rule} > purpose:{inner.rule}"
                    consumed.add(c.i)
                return

    def _sector(self, tok: Token | None, actor_tokens: dict[int, Span]) -> str | None:
        if tok is None or tok.i not in actor_tokens:
            return None
        actor = actor_tokens[tok.i]._.actor
        return actor.sector if actor is not None else None

    def _base(self, tok: Token, pos: str, entry: LexEntry, actor_tokens: dict[int, Span]) -> Frame:
        etype = entry.type or "AGREE"
        contexts = entry.contexts
        cameo = entry.cameo or self.onto.cameo_for(etype, entry.mode, contexts)
        f = Frame(token=tok, anchor=tok, entry=entry, type=etype, mode=entry.mode, contexts=contexts,
                  cameo=cameo, rule=entry.rule)
        src_roles = entry.source or (("subj",) if pos in ("verb", "adj") else _NOUN_SOURCE)
        if entry.source == ("of",):
            src_roles = _NOUN_SOURCE + ("of",)
        tgt_roles = entry.target or (_VERB_TARGET if pos == "verb" else _NOUN_TARGET)
        if entry.target == ("of",):
            tgt_roles = ("of",) + _NOUN_TARGET
        if pos == "noun" and not entry.source and "from" not in tgt_roles:
            src_roles = (*src_roles, "from")  # "a call from Washington", "support from Moscow"
        if pos == "adj" and tok.dep_ in ("amod", "acl"):
            # 'Iranian-supported militias': the hyphenated prefix is the source, the noun the target
            prefix = next((c for c in tok.children if c.dep_ in ("npadvmod", "compound", "nmod", "amod")
                           and c.i < tok.i), None)
            by = self._role(tok, "verb", "by", actor_tokens)
            f.source, f.source_via = (prefix, "prefix") if prefix is not None else (by, "by")
            f.target, f.target_via = tok.head, "modified"
            return f
        if "between" in src_roles:
            pair = self._between(tok)
            if pair:
                f.source, f.target = pair
                f.source_via = f.target_via = "between"
                f.between = pair
        if f.source is None:
            for r in src_roles:
                if r == "between":
                    continue
                t = self._role(tok, pos, r, actor_tokens)
                if r == "subj" and pos == "noun" and t is None:
                    continue
                if t is not None:
                    f.source, f.source_via = t, r
                    break
        if f.source is None and pos == "noun" and tok.dep_ == "pobj" and tok.head.lower_ in _MEANS_PREPS:
            # "guerrillas wounded two soldiers in a bomb attack": the attack is the verb's means
            verb = tok.head.head
            purpose = tok.head.lower_ == "for" and lemma(verb) in _MOTION  # "flew to Moscow for talks"
            if verb.pos_ == "VERB" and not self._passive(verb) and (
                    purpose or (tok.head.lower_ != "for" and any(c.dep_ == "dobj" for c in verb.children))):
                subj = self._subject(verb)[0]
                if subj is not None:
                    f.source, f.source_via = subj, "means"
        if f.target is None:
            for r in tgt_roles:
                if r == "between":
                    continue
                t = self._role(tok, pos, r, actor_tokens)
                if t is not None and t != f.source:
                    f.target, f.target_via = t, r
                    break
        if f.target is None:
            for c in tok.conjuncts:
                if c.pos_ != tok.pos_:
                    continue
                for r in tgt_roles:
                    if r in ("subj", "poss", "between"):
                        continue
                    t = self._role(c, pos, r, actor_tokens)
                    if t is not None and t != f.source:
                        f.target, f.target_via = t, f"conj:{r}"
                        break
                if f.target is not None:
                    break
        if pos == "noun":
            self._noun_relcl(tok, f)
        return f

    def _noun_relcl(self, tok: Token, f: Frame) -> None:
        """'the support that Moscow lent the regime': roles from the light verb's clause."""
        for c in tok.children:
            if c.dep_ == "relcl" and lemma(c) in _LIGHT_REL:
                subj = next((g for g in c.children if g.dep_ == "nsubj" and g.lower_ not in _RELATIVE), None)
                obj = next((g for g in c.children if g.dep_ in ("dobj", "dative") and g.lower_ not in _RELATIVE), None)
                if subj is not None and f.source is None:
                    f.source, f.source_via = subj, "relcl"
                if obj is not None and f.target is None:
                    f.target, f.target_via = obj, "relcl"

    def _complement(self, tok: Token, pos: str, entry: LexEntry, cands: dict[int, str]) -> Token | None:
        """The trigger an operator governs, if any."""
        order: list[Token] = []
        if pos in ("verb", "adj"):
            order += [c for c in tok.children if c.dep_ in ("xcomp", "ccomp")]
            order += [c for c in tok.children if c.dep_ in ("dobj", "nsubjpass")]
            if entry.particle:
                order += self._prep_objects(tok, entry.particle.split()[-1])
            for c in tok.children:
                if c.dep_ in ("prep", "prt") and c.lower_ in _COMPLEMENT_PREPS:
                    order += [g for g in c.children if g.dep_ in ("pobj", "pcomp")]
            # "urged Turkey to halt": the xcomp may hang from the object
            for c in tok.children:
                if c.dep_ == "dobj":
                    order += [g for g in c.children if g.dep_ in ("xcomp", "acl")]
                    if lemma(c) in _TRANSPARENT_NOUNS:  # "announced an increase in funding"
                        order += [g for p in c.children if p.dep_ == "prep" and p.lower_ in ("in", "of")
                                  for g in p.children if g.dep_ in ("pobj", "pcomp")]
            if pos == "adj" and tok.dep_ == "amod":
                pass
        else:
            for c in tok.children:
                if c.dep_ == "prep" and c.lower_ in _COMPLEMENT_PREPS:
                    order += [g for g in c.children if g.dep_ in ("pobj", "pcomp")]
                if c.dep_ in ("acl", "relcl") and any(g.dep_ == "aux" and g.lower_ == "to" for g in c.children):
                    order.append(c)
                if c.dep_ in ("acl", "ccomp") and any(g.dep_ == "mark" and g.lower_ == "that" for g in c.children):
                    order.append(c)
        for c in order:
            if c.i in cands:
                return c
            # "calls for a total withdrawal": the noun itself, or a trigger conjoined to it
            for g in c.conjuncts:
                if g.i in cands:
                    return g
        return None

    # -- composition ----------------------------------------------------------------------

    def _compose(self, tok: Token, pos: str, entry: LexEntry, inner: Frame,
                 actor_tokens: dict[int, Span], consumed: set[int], out: list[Frame]) -> Frame | None:
        op = entry.operator
        own = self._base(tok, pos, entry, actor_tokens) if entry.type else None
        subj: Token | None
        if pos == "noun":
            subj = None
            for r in ("poss", "subj", "by"):
                subj = self._role(tok, pos, r, actor_tokens)
                if subj is not None:
                    break
            if subj is None:
                subj = self._noun_governor_subject(tok, 0)[0]
        else:
            subj = self._subject(tok)[0]
        chain = inner.chain + [(tok, entry)]
        rule = f"{entry.rule} > {inner.rule}"
        depth = inner.depth + 1
        if op in ("light", "receive", "deny", "fail", "report"):
            f = replace(inner, anchor=tok, chain=chain, rule=rule, depth=depth, cues=list(inner.cues))
            if op == "receive":
                f.target, f.target_via = subj, "receiver"
                if inner.target is not None and inner.source is None:
                    pass
                frm = self._role(tok, pos, "from", actor_tokens)
                if frm is not None:
                    f.source, f.source_via = frm, "from"
                elif inner.source == subj:
                    f.source = None
            elif f.source is None or f.source == f.target or (inner.source_via == "of" and subj is not None) or \
                    (inner.source_via == "poss" and subj is not None and inner.source is not None
                     and inner.source.pos_ == "PRON"):
                # "the rebels continued their strike": the subject is who 'their' means
                f.source, f.source_via = subj, "light"
                if f.target is None:
                    d = self._dative(tok) or next(iter(self._prep_objects(tok, "to")), None)
                    if d is not None:
                        f.target, f.target_via = d, "light"
            if op == "light" and f.target is None:
                for prep in ("against", "on", "with", "to", "for"):
                    objs = self._prep_objects(tok, prep)
                    if objs:
                        f.target, f.target_via = objs[0], prep
                        break
            if op == "deny":
                f.cues.append(("negated", tok.text))
                f.cues.append(("reported", tok.text))
            elif op == "fail":
                f.cues.append(("negated", tok.text))
            elif op == "report":
                f.cues.append(("reported", tok.text))
            consumed.add(inner.anchor.i)
            return f

        if op == "intent":
            itype = inner.type
            ntype, nmode = intended_type(inner.type, inner.mode)
            if lemma(tok) in _AGREEING and inner.type not in ("ASSAULT", "COERCE", "THREATEN"):
                ntype, nmode = "AGREE", None  # agreeing or offering to act is agreement
            if lemma(tok) in ("prepare", "ready", "poise", "poised", "prepared", "gear", "mass") and \
                    inner.type in ("ASSAULT", "MOBILIZE"):
                ntype, nmode = "MOBILIZE", "troops"  # "prepared to resume shelling": a force posture
            if inner.type == "SUPPORT" and inner.token.pos_ == "NOUN":
                ntype, nmode = "SUPPORT", inner.mode  # "pledged its support": the support itself
            f = replace(inner, anchor=tok, chain=chain, rule=rule, depth=depth, cues=list(inner.cues))
            if not (inner.type == "SUPPORT" and inner.token.pos_ == "NOUN"):
                f.cues.append(("intended", tok.text))  # pledging support is an act of support
            if ntype != itype:
                f.type, f.mode = ntype, nmode
                f.cameo = self.onto.cameo_for(ntype, nmode, inner.contexts)
                f.token = tok if (entry.type or pos != "verb") else inner.token
            if subj is not None and subj != f.target:
                f.source, f.source_via = subj, "intent"  # "Barak agreed to U.S. mediation": Barak
            elif f.source is None or f.source == f.target:
                f.source, f.source_via = subj, "intent"
            if f.target is None and own is not None and own.target is not None:
                f.target, f.target_via = own.target, own.target_via
            consumed.add(inner.anchor.i)
            return f

        if op == "request" and lemma(tok) in ("order", "instruct", "direct", "command") and \
                inner.type in ("COERCE", "ASSAULT", "SANCTION", "MOBILIZE", "RETREAT", "ACCUSE"):
            # "a judge ordered nine officials jailed": the order is the act itself
            f = replace(inner, token=tok, anchor=tok, chain=chain, rule=rule, depth=depth, cues=list(inner.cues))
            f.source, f.source_via = subj, "ordered-by"
            if inner.target is None and inner.source is not None and inner.source != subj:
                f.target, f.target_via = inner.source, "ordered"
            consumed.add(inner.anchor.i)
            return f
        if op == "request" and inner.type in ("COERCE", "SANCTION") and inner.cameo == "163":
            # "called for sanctions against Nigeria": a demand to punish is an accusation
            f = Frame(token=tok, anchor=tok, entry=entry, type="ACCUSE", mode="disapprove",
                      contexts=inner.contexts, cameo="111", chain=chain, rule=rule, depth=depth, inner=inner)
            f.source, f.source_via = subj, "subj"
            f.target, f.target_via = inner.target, "inner-target"
            consumed.add(inner.anchor.i)
            return f
        if op == "request" and inner.type == "ACCUSE" and inner.mode == "investigate":
            # "called for a full investigation into the death": demanding an inquiry accuses
            f = replace(inner, token=tok, anchor=tok, chain=chain, rule=rule, depth=depth, cues=list(inner.cues))
            f.source, f.source_via = subj, "subj"
            consumed.add(inner.anchor.i)
            return f
        if op in ("request", "reject", "threaten"):
            ntype = {"request": "REQUEST", "reject": "REJECT", "threaten": "THREATEN"}[op]
            nmode = _threat_mode(inner) if op == "threaten" else _request_mode(inner)
            f = Frame(token=tok, anchor=tok, entry=entry, type=ntype, mode=nmode,
                      contexts=inner.contexts, cameo=None, chain=chain, rule=rule, depth=depth,
                      cues=[c for c in inner.cues if c[0] in ("negated",)], inner=inner)
            f.cameo = entry.cameo if (entry.cameo and op == "threaten" and nmode is None) else \
                self.onto.cameo_for(ntype, nmode, inner.contexts)
            f.source, f.source_via = (own.source, own.source_via) if own and own.source is not None else (subj, "subj")
            if f.source == inner.source and inner.anchor.dep_ == "xcomp" and op == "request":
                f.source = subj
            addressee = own.target if own is not None else None
            if addressee is not None and addressee != inner.anchor and addressee not in inner.tokens:
                f.target, f.target_via = addressee, own.target_via if own else "addressee"
            elif op == "threaten":
                f.target, f.target_via = inner.target, "threatened"
            elif inner.source is not None and inner.source != f.source:
                f.target, f.target_via = inner.source, "inner-source"
            else:
                f.target, f.target_via = inner.target, "inner-target"
            if op == "request" and inner.anchor.dep_ == "xcomp" and f.target is None:
                ctrl = self._subject(inner.anchor)[0]
                if ctrl is not None and ctrl != f.source:
                    f.target = ctrl
            consumed.add(inner.anchor.i)
            return f

        if op == "praise" and lemma(tok) in ("approve", "authorize", "authorise", "endorse") and pos == "verb" and \
                inner.type in ("COERCE", "ASSAULT", "SANCTION", "MOBILIZE", "RETREAT", "AID", "COOPERATE"):
            # "parliament approved troop deployments in Libya": the authority's approval is the act
            f = replace(inner, token=tok, anchor=tok, chain=chain, rule=rule, depth=depth, cues=list(inner.cues))
            f.source, f.source_via = subj, "approved-by"
            consumed.add(inner.anchor.i)
            return f
        if op in ("condemn", "praise", "accuse"):
            ntype = entry.type or ("ACCUSE" if op != "praise" else "SUPPORT")
            f = Frame(token=tok, anchor=tok, entry=entry, type=ntype, mode=entry.mode,
                      contexts=inner.contexts, cameo=entry.cameo, chain=chain, rule=rule,
                      depth=depth, inner=inner)
            f.cameo = f.cameo or self.onto.cameo_for(ntype, entry.mode, inner.contexts)
            f.source, f.source_via = (own.source, own.source_via) if own and own.source is not None else (subj, "subj")
            if op == "accuse":
                accused = self._object(tok) if pos == "verb" else None
                if accused is not None and accused != inner.anchor:
                    f.target, f.target_via = accused, "obj"
                    if inner.source is None:
                        inner.source, inner.source_via = accused, "accused"
                else:
                    f.target, f.target_via = inner.source, "inner-source"
                inner.cues.append(("reported", tok.text))
            elif inner.source is not None and inner.source != f.source:
                f.target, f.target_via = inner.source, "inner-source"
            elif own is not None and own.target is not None and own.target != inner.anchor:
                f.target, f.target_via = own.target, own.target_via
            inner.cues.append(("presupposed", tok.text))
            out.append(inner)
            return f

        if op == "stop":
            itype = inner.type
            lem = lemma(tok)
            if itype == "CONSULT" and lem in ("cancel", "call", "postpone", "delay", "scrap", "abandon"):
                ntype, nmode = "REJECT", "meet"
            elif itype == "CONSULT":
                ntype, nmode = "SANCTION", "withdraw"
            elif itype in COOPERATIVE:
                ntype, nmode = "SANCTION", "discontinue"
            elif itype == "SANCTION" or itype in ("ASSAULT", "MOBILIZE", "THREATEN"):
                ntype, nmode = "RETREAT", None
            elif itype == "PROTEST" and subj is not None and (
                    (inner.source is not None and subj != inner.source and inner.source.pos_ != "PRON")
                    or lem in _PREVENT):
                ntype, nmode = "COERCE", "restrict"  # "police prevented the demonstration"
            elif itype in ("COERCE", "PROTEST", "REQUEST", "ACCUSE", "REJECT"):
                ntype, nmode = "CONCEDE", None
            else:
                return None
            f = Frame(token=tok, anchor=tok, entry=entry, type=ntype, mode=nmode,
                      contexts=inner.contexts, cameo=None, chain=chain, rule=rule, depth=depth,
                      inner=inner)
            if ntype == "RETREAT" and itype == "SANCTION":
                f.cameo = "085"
            elif ntype == "RETREAT":
                f.cameo = "087"
            else:
                f.cameo = self.onto.cameo_for(ntype, nmode, inner.contexts)
            f.source, f.source_via = subj, "subj"
            if inner.source is not None and inner.source != subj and subj is None:
                f.source, f.source_via = inner.source, "inner-source"
            tgt = inner.target if inner.target is not None else None
            if tgt is None and inner.source is not None and inner.source != f.source:
                tgt = inner.source
            f.target, f.target_via = tgt, "inner"
            consumed.add(inner.anchor.i)
            return f
        return None


def intended_type(event_type: str, mode: str | None) -> tuple[str, str | None]:
    """Events announced for the future: cooperation and retreats become AGREE (CAMEO's
    'express intent to cooperate / to yield'), force or coercion becomes THREATEN."""
    if event_type in COOPERATIVE or event_type == "RETREAT":
        return "AGREE", None  # CAMEO 03x: intent to cooperate, aid, yield, release, de-escalate
    if event_type == "CONCEDE":
        return "CONCEDE", None
    if event_type in CONFLICTUAL and event_type != "THREATEN":
        return "THREATEN", _threat_mode_of(event_type, mode)
    if event_type == "PROTEST":
        return "THREATEN", "restrict"  # "said they would boycott the vote"
    return event_type, mode


def _request_mode(inner: Frame) -> str | None:
    if inner.type in ("AID", "COOPERATE", "SUPPORT", "AGREE"):
        return "assist"
    if inner.type in ("RETREAT", "CONCEDE"):
        return "yield"
    if inner.type == "CONSULT":
        return "meet"
    return "change"


def _threat_mode(inner: Frame) -> str | None:
    return _threat_mode_of(inner.type, inner.mode)


def _threat_mode_of(t: str, m: str | None) -> str | None:
    if t in ("ASSAULT", "MOBILIZE"):
        return "violence"
    if t == "COERCE":
        return "arrest" if m == "arrest" else ("expel" if m == "deport" else "restrict")
    if t == "SANCTION":
        return "expel" if m == "expel" else ("relations" if m in ("withdraw",) else "restrict")
    if t in ("RETREAT", "REJECT", "CONSULT"):
        return "relations"
    return None


@Language.factory(
    "realpolitik_triggers",
    assigns=["doc.spans", "span._.frames"],
    requires=["token.dep", "token.lemma", "doc.spans"],
    default_config={"lexicon_files": []},
)
def make_triggers(nlp: Language, name: str, lexicon_files: list[str]) -> TriggerFinder:
    return TriggerFinder(load_lexicon(lexicon_files), load_ontology())
