"""Pure helpers over the dependency parse: who is the subject, the object, the dative of a
word; what a preposition governs; whether a verb is passive; whose a noun is.

Example::

    >>> import spacy
    >>> from spacy.tokens import Doc
    >>> from realpolitik.nlp.parse import subject, object_of
    >>> doc = Doc(spacy.blank("en").vocab, words=["Iran", "seized", "a", "tanker"], heads=[1, 1, 3, 1],
    ...           deps=["nsubj", "ROOT", "det", "dobj"], pos=["PROPN", "VERB", "DET", "NOUN"],
    ...           tags=["NNP", "VBD", "DT", "NN"])
    >>> subject(doc[1])[0].text, object_of(doc[1]).text
    ('Iran', 'tanker')

Every function takes tokens and returns tokens (or None), reads nothing but the parse and
the word classes of ``lexicon/data/grammar.yaml``, and changes nothing: they can be tested
on hand-built ``Doc`` objects without the English model. The second value of
:func:`subject` says how the subject was found (``subj``, ``by``, ``relcl``, ``control``,
``shared``...), which the trail and the later stages read.
"""

from __future__ import annotations

from collections.abc import Container

from spacy.tokens import Token

from ..lexicon.grammar import GRAMMAR as G
from .phrases import dateline_end, lemma

__all__ = ["passive", "prep_objects", "prep_map", "subject", "governor_subject", "object_of", "dative", "noun_subject",
           "owner", "between", "made_to_act", "gives_time", "RELATIVE"]

RELATIVE = G.words("relative")
_PARTICLE_ADVERBS = G.words("particle_adverbs")
_PARTICLE_PREPS = G.words("particle_preps")
_STATIVE_PASSIVES = G.words("stative_passive")
_OBJECT_CONTROL = G.words("object_control")
_REPORTING = G.words("saying", "report")
_CONTROL_PREPS = G.words("control_preps")
_BLAMED_FOR = G.words("blamed_for")
_PARTY_ENTITIES = ("GPE", "NORP", "ORG", "PERSON")
_CONTROL_PREP_VERBS = G.words("control_prep_verbs")
_LEADING = G.words("leader_participles")
_OWNING = G.words("ownership_participles")
_MEANS_PREPS = G.words("means_preps")
_MESSAGES = G.words("message_nouns")


def passive(tok: Token) -> bool:
    """A passive verb: with a passive subject or auxiliary, or a bare past participle modifier."""
    if any(c.dep_ in ("nsubjpass", "auxpass") for c in tok.children):
        return True
    return tok.tag_ == "VBN" and tok.dep_ in ("acl", "amod", "relcl") and not any(
        c.dep_ in ("aux", "nsubj") for c in tok.children) and not _main_verb_as_modifier(tok)


def _main_verb_as_modifier(tok: Token) -> bool:
    """A sentence's only verb parsed as a modifier of its subject ('Japan and its partners
    called Friday for ...'): no verb heads the sentence, and the participle has an object
    or a bare day after it, which a reduced passive ('five soldiers killed in Mosul') has not."""
    root = tok.sent.root
    if tok.dep_ != "acl":
        return False
    noun = tok.head.head if tok.head.dep_ == "conj" else tok.head
    if not (noun == root and root.pos_ in ("NOUN", "PROPN")) and not (
            noun.dep_ == "nsubj" and noun.head == root and tok.i < root.i):
        return False  # ('... called Friday for X and warned of Y': the subject of the verb after it)
    return any(c.dep_ == "dobj" or (c.dep_ == "npadvmod" and c.ent_type_ == "DATE" and c.i == tok.i + 1)
               for c in tok.children)


def _verb_as_modifier(tok: Token) -> bool:
    """A finite verb the parser hung on its object as a modifier ('Myanmar's military seized
    power', with 'military' read as an adjective): the noun it modifies is what it was done to."""
    return tok.tag_ == "VBD" and tok.dep_ == "amod" and tok.head.pos_ in ("NOUN", "PROPN") and tok.i < tok.head.i


def prep_objects(tok: Token, word: str) -> list[Token]:
    """The objects of ``tok``'s preposition ``word`` ('sanctions *on* Iran'), and of a
    two-word preposition ending in it ('pulled *out of* Syria')."""
    return prep_map(tok).get(word, [])


def prep_map(tok: Token) -> dict[str, list[Token]]:
    """:func:`prep_objects` of every preposition of ``tok`` at once, by the preposition."""
    out: dict[str, list[Token]] = {}
    for c in tok.children:
        if c.dep_ in ("prep", "agent", "dative", "prt"):
            out.setdefault(c.lower_, []).extend(g for g in c.children if g.dep_ in ("pobj", "pcomp"))
        if c.dep_ in ("prt", "prep", "advmod") and c.lower_ in _PARTICLE_ADVERBS:
            for g in c.children:
                if g.lower_ in _PARTICLE_PREPS:
                    out.setdefault(g.lower_, []).extend(g2 for g2 in g.children if g2.dep_ == "pobj")
    return out


def subject(tok: Token, depth: int = 0) -> tuple[Token | None, str]:
    """The agent of a verb: its subject, the by-phrase of a passive, or one it inherits
    (relative clauses, control, coordination, copulas), with how it was found."""
    if depth > 6:
        return None, ""
    is_passive = passive(tok)
    if not is_passive:
        found = _own_subject(tok)
        if found is not None:
            return found
        if _verb_as_modifier(tok):
            mods = [c for c in tok.head.children if c.i < tok.i and c.dep_ in ("amod", "compound", "nmod", "poss")]
            owner = [c for c in mods if c.dep_ == "poss"]  # "Myanmar's military": Myanmar's
            return ((owner or mods)[-1], "subj") if mods else (None, "")
        if tok.tag_ in ("VBD", "VBZ", "VBP") and not any(c.dep_ in ("nsubj", "csubj", "expl") for c in tok.children):
            left = _name_on_the_left(tok)
            if left is not None:
                return left, "subj"
    if is_passive:
        for c in tok.children:
            if c.dep_ == "agent":
                for g in c.children:
                    if g.dep_ == "pobj":
                        return g, "by"
        # "was hit with a water cannon by the coast guard": the by-phrase hangs from the means
        for c in tok.children:
            if c.dep_ == "prep" and c.lower_ in _MEANS_PREPS:
                for o in c.children:
                    agent = next(iter(prep_objects(o, "by")), None) if o.dep_ == "pobj" else None
                    if agent is not None:
                        return agent, "by"
        if lemma(tok) in _STATIVE_PASSIVES:  # "Israel is opposed to", "Vietnam is committed to"
            subj = next((c for c in tok.children if c.dep_ == "nsubjpass"), None)
            if subj is not None:
                return subj, "stative"
        return None, ""
    return _inherited_subject(tok, depth)


def _own_subject(tok: Token) -> tuple[Token | None, str] | None:
    """The verb's own subject; with several (a misparsed name) the nearest heads the phrase."""
    subjects = [c for c in tok.children if c.dep_ in ("nsubj", "csubj")]
    if not subjects:
        return None
    c = min(subjects, key=lambda x: abs(tok.i - x.i))
    if c.i < dateline_end(tok.sent):
        # "MOGADISHU, Somalia -- A U.S. airstrike killed": the dateline is no subject
        named = next((g for g in c.subtree if g.dep_ == "appos" and g.i >= dateline_end(tok.sent)), None)
        return (named, "subj") if named is not None else (None, "")
    if c.lower_ in RELATIVE and tok.dep_ == "relcl":
        return tok.head, "relcl"
    return c, "subj"


def _name_on_the_left(tok: Token) -> Token | None:
    """A name the parser took for a modifier ("USAID provided ...", tagged as an adverb)."""
    doc = tok.doc
    j = tok.i - 1
    while j >= 0 and doc[j].dep_ in ("aux", "neg") or (j >= 0 and doc[j].pos_ == "ADV" and doc[j].is_lower):
        j -= 1
    if j < 0:
        return None
    left = doc[j]
    if left.head == tok and left.dep_ in ("advmod", "npadvmod", "amod", "nmod", "dep") and \
            (left.is_upper or left.is_title) and left.pos_ in ("PROPN", "ADJ", "NOUN") and \
            j >= tok.sent.start and left.ent_type_ not in ("DATE", "TIME", "CARDINAL"):
        return left
    return None


def _inherited_subject(tok: Token, depth: int) -> tuple[Token | None, str]:
    """A subject taken from the clause the verb hangs from."""
    dep = tok.dep_
    head = tok.head
    if dep == "relcl":
        return head, "relcl"
    if dep == "amod" and tok.tag_ == "VBG" and head.pos_ in ("NOUN", "PROPN"):
        return head, "acl"  # "striking miners", "retreating troops": the noun does it
    if dep == "acl" and tok.tag_ == "VBG" and lemma(head) in _MESSAGES:
        return governor_subject(head, depth + 1)  # "issued a statement severing ties": who issued it
    if dep == "acl" and (tok.tag_ in ("VBG", "VBD") or _main_verb_as_modifier(tok)):
        return (head.head if head.dep_ == "conj" else head), "acl"  # "groups donating aid"; a finite verb parsed as a modifier
    if dep == "xcomp":
        return _controller(tok, depth)
    if dep in ("acomp", "attr", "oprd") and head.pos_ in ("VERB", "AUX"):
        s, via = subject(head, depth + 1)  # "Syria is willing to": the copula's subject
        return s, "copula" if s is not None else via
    if dep in ("conj", "advcl", "pcomp", "ccomp") and head.pos_ in ("VERB", "AUX"):
        if dep == "ccomp":
            return None, ""
        if dep == "conj" and head.dep_ == "ccomp" and lemma(head.head) in _REPORTING and (
                lemma(tok) in _OBJECT_CONTROL or lemma(tok) in _REPORTING):
            # "Canada said the vote was rigged and urged Minsk to ...": the speaker urged
            s, via = subject(head.head, depth + 1)
            return s, "shared" if s is not None else via
        s, via = subject(head, depth + 1)
        return s, "shared" if s is not None else via
    if dep in ("pcomp", "pobj") and head.dep_ == "prep":
        # "interest in purchasing": the noun's possessor; "by attacking": the verb's subject
        owner_ = head.head
        if owner_.pos_ in ("NOUN", "PROPN"):
            for c in owner_.children:
                if c.dep_ == "poss":
                    return c, "poss"
            return governor_subject(owner_, depth + 1)
        if owner_.pos_ in ("VERB", "AUX"):
            blamed = _party_object(owner_) if head.lower_ in _BLAMED_FOR else None
            if blamed is not None:
                return blamed, "control"  # "rebuked Guatemala for shutting the post": Guatemala shut it
            s, _ = subject(owner_, depth + 1)
            return s, "shared"
    return None, ""


def _party_object(verb: Token) -> Token | None:
    """The verb's direct object when it names a party (a name, a people, an organization, a
    person), not a thing ("signed a deal for supplying jets")."""
    for c in verb.children:
        if c.dep_ == "dobj" and (c.pos_ == "PROPN" or c.ent_type_ in _PARTY_ENTITIES):
            return c
    return None


def _controller(tok: Token, depth: int) -> tuple[Token | None, str]:
    """Who would do what an open complement says: 'called on Turkey to halt' (Turkey), 'urged
    X to' (X), else the governing verb's subject."""
    head = tok.head
    for c in head.children:
        if c.dep_ == "prep" and c.lower_ in _CONTROL_PREPS and lemma(head) in _CONTROL_PREP_VERBS:
            for g in c.children:
                if g.dep_ == "pobj":
                    return g, "control"
    if lemma(head) in _OBJECT_CONTROL:
        for c in head.children:
            if c.dep_ == "dobj":
                return c, "control"
    if passive(head) and lemma(head) in G.words("raising_passives"):
        for c in head.children:
            if c.dep_ == "nsubjpass":
                return c, "control"  # "the gunmen are believed to have kidnapped": the gunmen
    s, via = subject(head, depth + 1)
    return s, "control" if s is not None else via


def governor_subject(noun: Token, depth: int = 0) -> tuple[Token | None, str]:
    """Subject of the verb a noun is the object of ('Baghdad launched strikes')."""
    h = noun
    for _ in range(3):
        if h.dep_ in ("dobj", "nsubjpass", "attr") and h.head.pos_ in ("VERB", "AUX"):
            s, _via = subject(h.head, depth + 1)
            return s, "governor"
        if h.dep_ == "pobj" and h.head.dep_ == "prep" and h.head.head.pos_ in ("VERB", "AUX"):
            s, _via = subject(h.head.head, depth + 1)
            return s, "governor"
        if h.dep_ == "conj":
            h = h.head
            continue
        break
    return None, ""


def object_of(tok: Token) -> Token | None:
    """What a verb is done to: its direct object, the subject of a passive, or the noun a
    relative clause hangs from ("the regime that Moscow supported")."""
    if passive(tok):
        for c in tok.children:
            if c.dep_ == "nsubjpass":
                return c
        if tok.dep_ in ("acl", "amod") and tok.tag_ == "VBN":
            return tok.head
        return None
    for c in tok.children:
        if c.dep_ in ("dobj",):
            if c.lower_ in RELATIVE and tok.dep_ == "relcl":
                return tok.head
            return c
    if _verb_as_modifier(tok):
        return tok.head
    if lemma(tok) in G.words("small_clause"):  # "let the monitors enter", "found him guilty": the clause's subject
        for c in tok.children:
            if c.dep_ == "ccomp":
                return next((g for g in c.children if g.dep_ == "nsubj"), None)
    if tok.dep_ == "relcl" and not any(c.dep_ == "dobj" for c in tok.children):
        subj = [c for c in tok.children if c.dep_ == "nsubj"]
        if subj and subj[0].lower_ not in RELATIVE:
            return tok.head
    return None


def gives_time(verb: Token) -> bool:
    """Whether a verb has a span of time as its object ("gave the attaché two days", "a week"),
    as the parser hangs it (object or adverbial noun): the time someone is given to act."""
    return any(c.dep_ in ("dobj", "npadvmod") and lemma(c) in G.words("deadline_nouns") for c in verb.children)


def dative(tok: Token) -> Token | None:
    """The indirect object: 'gave *Iraq* helicopters', or the object of a dative 'to'."""
    for c in tok.children:
        if c.dep_ == "dative":
            if c.pos_ in ("ADP",):
                for g in c.children:
                    if g.dep_ == "pobj":
                        return g
                continue
            return c
    return None


def made_to_act(tok: Token) -> list[Token]:
    """Who a verb lets or makes act: the subjects of its complement clauses ('allow *the
    airlines* to land', 'demanded that *the government* resign')."""
    return [g for c in tok.children if c.dep_ in ("ccomp", "xcomp") for g in c.children if g.dep_ == "nsubj"]


def noun_subject(tok: Token, actor_tokens: Container[int]) -> Token | None:
    """An actor named in a noun's own modifiers: 'Iraqi air strikes', 'U.S. withdrawal',
    'a Saudi-led strike'."""
    best = None
    for c in tok.children:
        if c.i < tok.i and c.dep_ in ("compound", "amod", "nmod", "npadvmod") and c.i in actor_tokens \
                and (best is None or c.i > best.i):
            best = c
        if best is None and c.dep_ == "amod" and c.lower_ in _LEADING:
            best = next((g for g in c.children if g.dep_ in ("npadvmod", "compound", "nmod")
                         and g.i in actor_tokens), None)
    return best


def owner(obj: Token | None, actor_tokens: Container[int]) -> Token | None:
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
        if c.dep_ == "amod" and c.lower_ in _OWNING:
            for g in c.children:
                if g.dep_ in ("npadvmod", "compound", "amod", "nmod") and g.i in actor_tokens:
                    return g
    return None


def between(tok: Token) -> tuple[Token, ...]:
    """The two parties of 'talks between X and Y'."""
    for p in prep_objects(tok, "between"):
        conj = [c for c in p.children if c.dep_ == "conj"]
        if conj:
            return (p, conj[0])
    return ()
