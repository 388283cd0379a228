"""The frozen record the coder's stages hand each other, and the trail of steps it carries.

A :class:`Frame` is one analysed event in a sentence: its trigger, type, mode and CAMEO
code, the tokens heading its source and target, the operators that shaped it, and a
``trail`` of :class:`Step` values saying which rule did what. Frames are immutable: a stage
that changes one returns a new frame with :meth:`Frame.but`, adding its step, so the coded
event can always say why it is what it is (``Event.rule`` is the rendered trail).

Example::

    >>> from realpolitik.nlp.frame import Step
    >>> " > ".join(str(s) for s in (Step("verb", "aid:deliver"), Step("intent", "operators:agree to")))
    'verb:aid:deliver > intent:operators:agree to'
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from spacy.tokens import Token

from ..lexicon import LexEntry

__all__ = ["Frame", "Draft", "Step", "trail_text"]


@dataclass(frozen=True)
class Step:
    """One rule applied to an event: the stage or rule kind, and which rule (or entry)."""

    stage: str
    """What kind of rule: a trigger's part of speech (``verb``, ``noun``, ``adj``), an
    operator (``intent``, ``request``...), ``purpose``, ``obligation``, ``cause``, ``mode``,
    ``model``, ``party`` (a rule that chose an actor), ``recode`` or ``modality``."""
    name: str
    """The lexicon entry (``aid:deliver``) or the named rule (``own-forces``)."""

    def __str__(self) -> str:
        return f"{self.stage}:{self.name}"


def trail_text(steps: tuple[Step, ...]) -> str:
    """The trail as ``Event.rule`` shows it: steps in the order they were applied."""
    return " > ".join(str(s) for s in steps)


@dataclass(frozen=True, eq=False)
class Frame:
    """One analysed event: type, roles and how the words combined to give them."""

    token: Token
    """The trigger word reported in the output."""
    anchor: Token
    """The outermost word of the construction (modality and dates are read from here)."""
    entry: LexEntry
    """The lexicon entry of the outermost word."""
    type: str
    mode: str | None
    contexts: tuple[str, ...]
    cameo: str | None
    source: Token | None = None
    """The token heading the source phrase."""
    target: Token | None = None
    """The token heading the target phrase."""
    source_via: str = ""
    """How the source was found (a role: ``subj``, ``poss``, ``by``, ``light``...)."""
    target_via: str = ""
    between: tuple[Token, ...] = ()
    chain: tuple[tuple[Token, LexEntry], ...] = ()
    """Operators applied, innermost first."""
    cues: tuple[tuple[str, str], ...] = ()
    """Modality cues set by operators: (modality, word)."""
    emit: bool = True
    depth: int = 0
    inner: Frame | None = None
    """The event an operator governs ('the strike' under 'condemned')."""
    obj: Token | None = None
    """The object that selected the lexicon entry ('sanctions' in 'impose sanctions')."""
    key: str = ""
    """The lexicon entries that built the event, outermost first; the event id is derived
    from it, so ids do not change when a rule only re-types or re-roles an event."""
    trail: tuple[Step, ...] = ()
    """Every rule applied, in order."""
    head: Token | None = None
    """The word of the act itself, kept when an operator carries the act and reports its own
    word as the trigger ('lift' in 'agreed to lift a ban')."""

    def but(self, step: Step | None = None, **changes: Any) -> Frame:
        """A copy with ``changes``, and ``step`` added to the trail."""
        if step is not None:
            changes["trail"] = (*changes.get("trail", self.trail), step)
        return replace(self, **changes)

    @property
    def tokens(self) -> list[Token]:
        """The trigger, then each operator word outward."""
        return [self.token] + [t for t, _ in self.chain]

    @property
    def rule(self) -> str:
        return trail_text(self.trail)

    @property
    def words(self) -> list[Token]:
        """Every word of the construction: the acts' own words first, then the operators'."""
        out: list[Token] = []
        f: Frame | None = self
        while f is not None:
            mine: list[Token] = []
            for t in (f.head, f.token, *(t for t, _ in f.chain)):
                if t is not None and t not in out and t not in mine:
                    mine.append(t)
            out[:0] = mine
            f = f.inner
        return out

    @property
    def innermost(self) -> Frame:
        """The event at the bottom of the operator chain ('close' in 'threatened to close')."""
        f = self
        while f.inner is not None:
            f = f.inner
        return f


@dataclass(frozen=True, eq=False)
class Draft:
    """An event being assembled from a frame: its actors, setting and final type, before it
    becomes an :class:`~realpolitik.model.Event`. The event stage's rules each return a new
    draft with their step added to ``trail``."""

    frame: Frame
    modality: str
    cue: str | None
    when: Any
    """The :class:`~realpolitik.nlp.setting.When` of the event."""
    source: Any = None
    """The source :class:`~realpolitik.model.Actor`."""
    target: Any = None
    place: Any = None
    """The :class:`~realpolitik.model.Place` of the event."""
    via: str = ""
    """How the place was attached (a preposition, ``object`` or ``modifier``)."""
    type: str = ""
    mode: str | None = None
    cameo: str | None = None
    trail: tuple[Step, ...] = ()

    def but(self, step: Step | None = None, **changes: Any) -> Draft:
        """A copy with ``changes``, and ``step`` added to the trail."""
        if step is not None:
            changes["trail"] = (*changes.get("trail", self.trail), step)
        return replace(self, **changes)
