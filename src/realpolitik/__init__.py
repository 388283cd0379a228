"""realpolitik: political event data from news text.

Example::

    >>> import realpolitik
    >>> events = realpolitik.code("Russia delivered helicopters to Iraq.", date="2017-01-20")
    >>> events[0].event_type, events[0].source.country, events[0].target.country
    ('AID', 'RUS', 'IRQ')

The public API: :func:`code` and :class:`Coder` (text to events), the records
(:class:`Event`, :class:`Actor`, :class:`Place`, :class:`Document`), :class:`Settings`,
the event store (:class:`Store`, queried with :class:`EventFilter` or keyword filters),
and the error tree rooted at :class:`RealpolitikError`.
"""

from .coder import Coded, Coder, code
from .config import Settings
from .errors import (
    ConfigError,
    DataFileError,
    InputError,
    ModelError,
    NotFoundError,
    RealpolitikError,
    StoreBusyError,
    StoreError,
)
from .model import Actor, Document, Event, Place, Trigger, event_json_schema
from .store import EventFilter, Store

__version__ = "0.1.0"

__all__ = [
    "Actor",
    "Coded",
    "Coder",
    "ConfigError",
    "DataFileError",
    "Document",
    "Event",
    "InputError",
    "ModelError",
    "Place",
    "RealpolitikError",
    "Settings",
    "Store",
    "EventFilter",
    "StoreError",
    "StoreBusyError",
    "NotFoundError",
    "Trigger",
    "code",
    "event_json_schema",
    "__version__",
]
