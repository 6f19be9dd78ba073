"""Bulk work's one performance switch: the cyclic garbage collector paused while it runs."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_holders = 0
_was_enabled = False


@contextmanager
def gc_paused() -> Iterator[None]:
    """The cyclic garbage collector off for a bulk step (an import, a search reindex, a bulletin), back
    on when the last such step in the process ends, if it was on before the first began.

    Bulk steps make hundreds of thousands of short-lived containers (rows, values, chart artists); the
    collector would walk them again and again as they pile up, for nothing: they hold no reference
    cycles worth finding early, and reference counting still frees what is dropped. Counted, so two
    threads of a server building at once never leave it off, nor turn it on under the other.
    """
    global _holders, _was_enabled
    with _lock:
        if _holders == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _holders += 1
    try:
        yield
    finally:
        with _lock:
            _holders -= 1
            if _holders == 0 and _was_enabled:
                gc.enable()
