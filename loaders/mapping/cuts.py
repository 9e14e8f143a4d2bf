"""Every way a run of digits can be cut into a given number of cells (crawled text).

``5000005`` in seven cells is 5|0|0|0|0|0|5 and nothing else, because a number has no leading
zero unless it is ``0`` (SPEC, *No silent number*). The rules of a cut:

- a space (any whitespace) is a hard boundary: ``20 0 0 0 02`` cuts only inside ``20`` and ``02``;
- a number has no leading zero unless it is ``0``, and at most 12 digits (a trillion is not a
  plausible count, see ``numbers.PLAUSIBLE_LIMIT``);
- a sign (``+``, ``-``, ``−``) starts a number; a decimal point stays inside its number, and its
  fraction is never cut (``4166.214619`` is one number);
- a comma between digits is a thousands separator: one to three digits, then groups of a comma
  and three digits, never cut (``1,3180`` is 1,318 and 0; ``1,31`` is no number);
- a unit at the end of the run (``1912762137元``) belongs to the last number;
- a placeholder written where a cell has no number is a cell of its own: ``/`` (each one), a
  run of ``—``, a ``-`` with no digit after it (``000//`` is 0|0|0|/|/); it reads as text.

Pure and bounded: a run longer than ``n`` numbers can be (``n * (MAX_DIGITS + 10)`` characters,
``n`` at most ``MAX_CELLS``) is refused at once; otherwise the cuts are counted by dynamic
programming (capped at ``cap + 1``, pruned where the characters left exceed what the numbers left
can hold) and listed only when there are at most ``cap`` of them. A 40-digit run in 15 cells
costs about a millisecond (tests/test_splitting.py).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from .numbers import MINUS_SIGNS

MAX_DIGITS = 12  # numbers.PLAUSIBLE_LIMIT is 10**12
MAX_CELLS = 40
CAP = 2000  # cuts listed at most; beyond, only their number is known
_UNIT = re.compile(r"\s*(亿元|千元|万元|亿|万|元)\s*$")
# A placeholder written where a cell has no number (see the module's rules; the run reader's
# ``run_text._PLACEHOLDER`` finds the same in a line).
_PLACEHOLDER = re.compile(r"[/\uff0f\\\u2014]|[\-\u2212\u2013\u2010\u2011\u2012\uff0d](?![0-9\uff10-\uff19])")


def has_placeholder(run: str) -> bool:
    """Whether a run holds a placeholder cell (规章000//)."""
    return _PLACEHOLDER.search(run) is not None


def cells_parted(run: str) -> int:
    """How many cells spaces part the run into, a unit at its end aside (12.5 万元 is one)."""
    return len(_UNIT.sub("", run).split())


@dataclass(frozen=True)
class Cuts:
    """The cuts of a run into ``n`` numbers: ``count`` of them (``cap + 1`` meaning "more than
    ``cap``"), each listed as the pieces' texts (as in the source) when ``count <= cap``."""

    run: str
    n: int
    count: int
    cuts: tuple[tuple[str, ...], ...]
    cap: int = CAP

    @property
    def too_many(self) -> bool:
        return self.count > self.cap

    def describe_count(self) -> str:
        return f"more than {self.cap}" if self.too_many else str(self.count)


def _char(ch: str) -> str:
    """One character of a run, normalized: full-width digits to ASCII, minus signs to ``-``,
    every space to ``" "``; anything else that is not a digit, sign or point to ``?``."""
    if ch in "/\uff0f\\":
        return "/"  # a placeholder: a cell of its own, one character
    if ch == "\u2014":
        return "~"  # a dash placeholder: a cell of its own, however many dashes (——)
    if ch in MINUS_SIGNS:
        return "-"
    if ch.isspace() or ch in "\u00a0\u3000\u200b\ufeff":
        return " "
    if ch == ",":  # a thousands separator (1,318); a full-width comma ends a sentence instead
        return ","
    norm = unicodedata.normalize("NFKC", ch)
    if len(norm) == 1 and (norm.isdigit() and norm.isascii() or norm in "+-."):
        return norm
    return "?"


def _groups(norm: str) -> list[tuple[int, int]]:
    """[start, end) of each group of characters between spaces."""
    return [(m.start(), m.end()) for m in re.finditer(r"[^ ]+", norm)]


def _pieces_from(norm: str, start: int, end: int) -> list[list[int]]:
    """For each position i in [start, end), the ends j of the valid numbers norm[i:j]."""
    ends: list[list[int]] = [[] for _ in range(end - start + 1)]
    for i in range(start, end):
        if norm[i] == "/":
            ends[i - start].append(i + 1)
            continue
        if norm[i] == "~":
            if i == start or norm[i - 1] != "~":
                j = i
                while j < end and norm[j] == "~":
                    j += 1
                ends[i - start].append(j)
            continue
        if norm[i] == "-" and (i + 1 == end or not norm[i + 1].isdigit()):
            ends[i - start].append(i + 1)  # a dash with no number after it: a placeholder
            continue
        k = i
        if norm[k] in "+-":
            k += 1
        if k >= end or not norm[k].isdigit() or (i > start and norm[i - 1] in "+-.,"):
            continue  # a sign belongs to the number after it; a point or comma to the one around it
        if i > start and norm[i - 1].isdigit() and norm[i] not in "+-" and \
                (_in_fraction(norm, start, i) or _in_group(norm, start, i)):
            continue
        if norm[k] == "0":
            limit = k + 1  # 0, 0.5: a leading zero is the whole integer part
        else:
            limit = min(end, k + MAX_DIGITS)
        j = k
        while j < end and j < limit and norm[j].isdigit():
            j += 1
            if j < end and norm[j] in ".,":
                continue  # the integer part may not stop before its point or its comma
            ends[i - start].append(j)
        if j < end and norm[j] == "," and norm[k] != "0" and j - k <= 3:
            # Thousands groups (1,318 and 12,345,678): a comma and three digits each, never
            # cut; the number ends with its last group (or its fraction after it).
            while j + 3 < end and norm[j] == "," and norm[j + 1:j + 4].isdigit():
                j += 4
            if (j < end and norm[j] == ",") or j - k - (j - k) // 4 > MAX_DIGITS:
                continue  # a comma that no group of three digits follows: no such number
            if not (j < end and norm[j] == "."):
                ends[i - start].append(j)
        if j < end and norm[j] == "." and j + 1 < end and norm[j + 1].isdigit():
            f = j + 1
            while f < end and norm[f].isdigit():
                f += 1
            ends[i - start].append(f)  # the fraction is never cut
    return ends


def _in_group(norm: str, start: int, i: int) -> bool:
    """Whether position i stands inside a thousands group (among the three digits after a
    comma, before the last)."""
    j = i - 1
    while j >= start and norm[j].isdigit() and i - j <= 3:
        j -= 1
    return j >= start and norm[j] == "," and i - j <= 3


def _in_fraction(norm: str, start: int, i: int) -> bool:
    """Whether position i stands among the digits after a decimal point."""
    j = i - 1
    while j >= start and norm[j].isdigit():
        j -= 1
    return j >= start and norm[j] == "."


# Answers remembered: the same runs come back (a row tried again, the same run in many reports).
# Only small ones, so that memory stays flat whatever the runs: an answer lists up to CAP cuts,
# and 4,096 of those would be gigabytes.
_REMEMBERED: dict[tuple[str, int, int], Cuts] = {}
_REMEMBER_AT_MOST = (4096, 16)  # answers, cuts in one answer


def cut(run: str, n: int, cap: int = CAP) -> Cuts:
    """Every cut of ``run`` into ``n`` numbers (see the module's rules)."""
    key = (run, n, cap)
    found = _REMEMBERED.get(key)
    if found is None:
        found = _cut(run, n, cap)
        if len(found.cuts) <= _REMEMBER_AT_MOST[1]:
            if len(_REMEMBERED) >= _REMEMBER_AT_MOST[0]:
                _REMEMBERED.clear()
            _REMEMBERED[key] = found
    return found


cut.cache_clear = _REMEMBERED.clear  # as the functools caches beside it have (benchmarks/ab_load.py)


def _cut(run: str, n: int, cap: int) -> Cuts:
    if n < 1 or n > MAX_CELLS or len(run) > n * (MAX_DIGITS + 10):
        return Cuts(run, n, 0, (), cap)  # more characters than n numbers can hold
    unit_match = _UNIT.search(run)
    body = run[:unit_match.start()] if unit_match else run
    unit = unit_match.group(0).rstrip() if unit_match else ""
    norm = "".join(_char(ch) for ch in body)
    groups = _groups(norm)
    digits = sum(e - s for s, e in groups)
    if "?" in norm or not groups or len(groups) > n or digits > n * (MAX_DIGITS + 8):
        return Cuts(run, n, 0, (), cap)
    # ways[g][i][k]: cuts of group g from position i onwards, and the groups after it, into k
    # numbers (capped at cap + 1, so that counts stay small integers).
    tables = [_pieces_from(norm, s, e) for s, e in groups]
    longest = max((j - i for t, (s, _) in zip(tables, groups) for i, js in enumerate(t, s)
                   for j in js), default=0)
    after = [sum(e - s for s, e in groups[g + 1:]) for g in range(len(groups))]
    memo: dict[tuple[int, int, int], int] = {}

    def ways(g: int, i: int, k: int) -> int:
        start, end = groups[g]
        if end - i + after[g] > k * longest:
            return 0  # more characters left than k numbers can hold
        if i == end:
            if g + 1 == len(groups):
                return 1 if k == 0 else 0
            return ways(g + 1, groups[g + 1][0], k) if k >= len(groups) - g - 1 else 0
        if k <= 0:
            return 0
        key = (g, i, k)
        if key in memo:
            return memo[key]
        total = 0
        for j in tables[g][i - start]:
            total += ways(g, j, k - 1)
            if total > cap:
                total = cap + 1
                break
        memo[key] = total
        return total

    count = ways(0, groups[0][0], n)
    if count == 0 or count > cap:
        del ways  # a nested function that calls itself is a reference cycle (see below)
        return Cuts(run, n, count, (), cap)
    # The cuts listed from the end: the ways to finish from each (group, position, numbers left)
    # worked out once and shared by every cut that reaches it (walking each cut from the start
    # again cost most of the time of long runs; issue 17). In the same order as that walk: by
    # the first piece's end, then the next's.
    last_group, last_end = len(groups) - 1, groups[-1][1]
    tails: dict[tuple[int, int, int], list[tuple[str, ...]]] = {}

    def finish(g: int, i: int, k: int) -> list[tuple[str, ...]]:
        start, end = groups[g]
        if i == end:
            if g == last_group:
                return [()] if k == 0 else []
            return finish(g + 1, groups[g + 1][0], k)
        key = (g, i, k)
        if (found := tails.get(key)) is not None:
            return found
        found = []
        for j in tables[g][i - start]:
            if ways(g, j, k - 1):
                piece = body[i:j] + unit if unit and g == last_group and j == last_end \
                    else body[i:j]
                found.extend((piece,) + rest for rest in finish(g, j, k - 1))
        tails[key] = found
        return found

    cuts = Cuts(run, n, count, tuple(finish(0, groups[0][0], n)), cap)
    # ``ways`` and ``finish`` call themselves through their closure cells: each is a reference
    # cycle with what it holds, which only the cyclic garbage collector would free. Deleting
    # the names empties the cells (the parse workers collect rarely: build._init_worker).
    del ways, finish
    return cuts
