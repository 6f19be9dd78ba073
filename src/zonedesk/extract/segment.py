"""The working text and its sentences.

The extractor never searches the input directly. It searches a *working text* of exactly
the same length, so every index found there is an index into the input:

- normalize(): full-width → half-width, traditional → simplified;
- a full stop typed inside a number ("12。5億") becomes ".";
- a line break that only wraps a long line (as PDF and web copies do mid-sentence) becomes
  zero-width spaces, which names may contain and numbers may not.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from zonedesk.textnorm import normalize

SOFT = "\u200b"
TERMINALS = "。！？!?；;…"
# A line ending in one of these is finished; a line break after it is a real break.
_LINE_CLOSERS = TERMINALS + "”\"’'」』)）:："
_STRAY_STOP = re.compile(r"(?<=[0-9])。(?=[0-9]{1,2}[ ]?(?:[十百千]?[万亿]|元|%|亩|平方|美元))")
_BREAK_RUN = re.compile(r"[ \t\u3000\u00a0]*\r?\n(?:[ \t\u3000\u00a0]*\r?\n)*[ \t\u3000\u00a0]*")
# A wrapped line is long; a heading or a table row is short or has its own shape.
_MIN_WRAPPED_LINE = 40
_SENTENCE_END = re.compile(r"[。！？!?；;]+[”’\"')）」』]*|\n[\s\u200b]*")


def working_text(text: str) -> str:
    """Same-length working copy of text (see module docstring)."""
    work = normalize(text)
    work = _STRAY_STOP.sub(".", work)
    if "\n" not in work:
        return work
    pieces: list[str] = []
    last = 0
    for m in _BREAK_RUN.finditer(work):
        line_start = work.rfind("\n", 0, m.start()) + 1
        line = work[line_start : m.start()].strip()
        nxt = work[m.end() : m.end() + 1]
        next_end = work.find("\n", m.end())
        next_line = work[m.end() : next_end if next_end >= 0 else len(work)].strip()
        if (
            len(line) >= _MIN_WRAPPED_LINE
            and line[-1] not in _LINE_CLOSERS
            and nxt
            and not nxt.isspace()
            and not _looks_like_row(line)
            and not _ends_with_byline(line)
            and not _is_heading(next_line)
        ):
            pieces.append(work[last : m.start()])
            pieces.append(SOFT * (m.end() - m.start()))
            last = m.end()
    if not pieces:
        return work
    pieces.append(work[last:])
    return "".join(pieces)


_BYLINE = re.compile(r"[。！？!?”][ \u3000]*[\u4e00-\u9fff]{2,4}(?:[ \u3000]+[\u4e00-\u9fff]{2,4})*$")


def _ends_with_byline(line: str) -> bool:
    # News pages end a story with the reporter's name after the last full stop: "…突破。 靳晓姝".
    return _BYLINE.search(line) is not None


def _is_heading(line: str) -> bool:
    # A short next line without a sentence end is a title, not the rest of a wrapped sentence.
    return 0 < len(line) < 30 and not any(c in line for c in TERMINALS + "，,")


def _looks_like_row(line: str) -> bool:
    # Table rows flattened into text keep their own lines: tabs, bars or many spaced cells.
    return "\t" in line or "|" in line or line.count(" ") >= 3


def sentence_spans(work: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence, trimmed of whitespace, terminator included."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _SENTENCE_END.finditer(work):
        end = m.end() if not m.group().startswith("\n") else m.start()
        _add(work, start, end, spans)
        start = m.end()
    _add(work, start, len(work), spans)
    return spans


def _add(work: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    while start < end and (work[start].isspace() or work[start] == SOFT):
        start += 1
    while end > start and (work[end - 1].isspace() or work[end - 1] == SOFT):
        end -= 1
    if end > start:
        spans.append((start, end))


class SentenceIndex:
    """Which sentence holds a position, in O(log n)."""

    def __init__(self, spans: list[tuple[int, int]]):
        self.spans = spans
        self._starts = [s for s, _ in spans]

    def of(self, pos: int) -> int:
        i = bisect_right(self._starts, pos) - 1
        return max(i, 0)
