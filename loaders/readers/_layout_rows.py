"""Rows of a space-aligned table (``pdftotext -layout``): header words joined over lines, labels
assembled from their fragments, numbers kept where they stand.

Used by ``layout_text``. Everything here works on tokens (a run of text between gaps of two
spaces or more) with their line and character columns; nothing knows the national form.

Header (sample review_header_over_lines.txt): a word broken over two lines stands in the same
columns on both (``结果`` / ``维持``, ``商业企`` / ``业``). A header line continues the nearest
line above that has something in its columns (lines between having nothing there) when every
word of one of the two lines pairs with a word of the other; otherwise it is a tier of its own
(``法人或其他组织`` above ``商业企 科研机 …`` is a group over them, not their first half). The
joined words are then put in rows by their vertical centre: the words of one tier are centred on
the same lines whatever number of lines each takes.

Body (samples pdftotext_wrapped_label.txt, vertical_group_label.txt): each line with numbers is
a row. Its label is the text just left of its numbers (the *anchor*; one character alone is a
character of a word printed down the page, not a label), or, on a line of numbers alone, the
label whose lines enclose it. A group label is no anchor: two characters or fewer with more of
its word just above or below (三、/本年/度办), or text with another label between it and the
numbers on the lines just above and below (（六）其他 left of a label wrapped round its numbers;
sample group_label_two_characters_a_line.txt). Other text fragments join the fragment above
them that stands in the same columns (a chain): characters printed one per line always do;
others do unless
- they start a label of their own (``1.``, ``2、``, ``（三）``, ``四、``);
- they are longer than the fragment above (a wrapped line is the rest of a longer one);
- the chain above already has its row and the fragment is nearer to the next row.
Chains that are no row's label are group labels (``三、本年度办理结果`` one character per line,
``（三）不`` / ``予公开``): a cell of the row nearest their centre, left of that row's label. A
chain in the labels' own columns that is no row's label is a row of its own, without numbers.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

from ..model import Cell

HEADER_REACH = 8  # header lines: how far above a word the line it continues may stand
STACKED = 2  # characters per line of a word printed down the page (三、/本/年/度…)
LINK_REACH = 12  # lines: how far above a fragment the line it continues may stand
_WHITESPACE = re.compile(r"\s")
# A label of the form starts with its number: 一、 / （三） / 1. / 2、 (the readers import no form:
# loaders/form/keys.py's LABEL_NUMBER is the same, for the mapper)
_ENUMERATOR = re.compile(r"^(?:[一二三四五六七八九十]+[、.]|\([一二三四五六七八九十\d]+\)|\d+[.、](?!\d))")


@dataclass(slots=True, eq=False)
class Token:
    text: str
    line: int
    x0: int
    x1: int
    page: int
    value: bool  # a number or a blank-cell placeholder

    @property
    def size(self) -> int:
        """Characters but whitespace."""
        text = self.text
        if text.isprintable() and " " not in text:  # no whitespace (all are unprintable but " ")
            return len(text)
        return len(_WHITESPACE.sub("", text))

    def overlaps(self, other: "Token") -> bool:
        return min(self.x1, other.x1) > max(self.x0, other.x0)


def _cell(tokens: list[Token]) -> Cell:
    if len(tokens) == 1:
        t = tokens[0]
        return Cell(t.text, t.line, t.line, False, t.x0, t.x1)  # text, lines, span, x0, x1
    tokens = sorted(tokens, key=lambda t: (t.line, t.x0))
    return Cell("\n".join(t.text for t in tokens), tokens[0].line, tokens[-1].line,
                x0=min(t.x0 for t in tokens), x1=max(t.x1 for t in tokens))


# ---------------------------------------------------------------------------------------------
# Header
# ---------------------------------------------------------------------------------------------

def _continued(line: list[Token], above: list[list[Token]]) -> list[tuple[Token, Token]] | None:
    """Pairs (word above, word of ``line``) when the line continues the nearest line above that
    has something in its columns: each word in one word's columns, and every word of one of the
    two lines paired (``维持 纠正 果 审结 总计`` under ``结果 结果 其他结 尚未``: 总计 is a word
    of its own); None otherwise (``商业企`` under ``法人或其他组织`` alone of its line)."""
    for upper in reversed(above):
        if not any(t.overlaps(u) for t in line for u in upper):
            continue
        pairs = []
        for t in line:
            partners = [u for u in upper if t.overlaps(u)]
            if len(partners) > 1:
                return None
            if partners:
                pairs.append((partners[0], t))
        if len({id(u) for u, _ in pairs}) != len(pairs):
            return None
        return pairs if len(pairs) in (len(line), len(upper)) else None
    return None


def header_rows(lines: list[list[Token]]) -> list[list[Cell]]:
    """Header lines (each its tokens; an empty list for a blank line) as rows of header cells."""
    words: dict[int, list[Token]] = {}  # id of a word's last token -> its tokens
    word_of: dict[int, int] = {}  # id of a token -> id of the last token of its word
    above: list[list[Token]] = []  # non-blank lines since the last blank one
    for line in lines:
        if not line:
            above = []
            continue
        pairs = _continued(line, above)
        joined = {id(t): u for u, t in pairs} if pairs else {}
        for token in line:
            # The word above may have been continued already, by a line nearer this one (a
            # header word continued by the next line and again by the one after it, as a
            # shuffled page has it): this token continues the word as it now ends. A word that
            # another token of this line took already is not taken twice.
            key = word_of.get(id(joined[id(token)])) if id(token) in joined else None
            tokens = words.pop(key) + [token] if key in words else [token]
            words[id(token)] = tokens
            for t in tokens:
                word_of[id(t)] = id(token)
        above = above[-HEADER_REACH + 1:] + [line]
    cells = sorted((_cell(ts) for ts in words.values()), key=lambda c: (c.line + c.line_end) / 2)
    rows: list[list[Cell]] = []
    last = None
    for cell in cells:
        centre = (cell.line + cell.line_end) / 2
        if last is None or centre - last > 1:
            rows.append([])
        rows[-1].append(cell)
        last = centre
    return [sorted(row, key=lambda c: c.x0) for row in rows]


# ---------------------------------------------------------------------------------------------
# Body
# ---------------------------------------------------------------------------------------------

@dataclass
class _Chain:
    fragments: list[Token] = field(default_factory=list)
    anchor: Token | None = None

    @property
    def first(self) -> int:
        return self.fragments[0].line

    @property
    def last(self) -> int:
        return self.fragments[-1].line

    @property
    def x0(self) -> int:
        return min(t.x0 for t in self.fragments)


@dataclass
class BodyRow:
    """A row of the table: its cells left to right, the line it stands on and its page."""

    line: int
    page: int
    cells: list[Cell]


def _norm(text: str) -> str:
    return re.sub(r"\s", "", unicodedata.normalize("NFKC", text))


class _Body:
    def __init__(self, lines: list[list[Token]]):
        self.rows: dict[int, list[Token]] = {}  # line -> its tokens, for lines with values
        self.anchors: dict[int, Token] = {}
        self.fragments: list[Token] = []
        for tokens in lines:
            if not tokens:
                continue
            first_value = next((i for i, t in enumerate(tokens) if t.value), None)
            if first_value is None:
                self.fragments.extend(tokens)
                continue
            line = tokens[0].line
            self.rows[line] = tokens[first_value:]
            labels = tokens[:first_value]
            self.fragments.extend(labels)
            # One character before the numbers is a character of a group label printed down
            # the page (三、/本/年/度…), not the row's label (sample vertical_group_label.txt);
            # so are two, where the lines around hold more of that word (三、/本年/度办/理结).
            if labels and labels[-1].size > 1:
                self.anchors[line] = labels[-1]
        # Nor is the text before the numbers their label where another label stands between
        # it and them on the lines just above and below, wrapped round the numbers: it is a
        # group label (（六）其他 beside 2.申请人逾期… / 费用、…, the numbers centred between).
        by_line: dict[int, list[Token]] = {}
        for t in self.fragments:
            by_line.setdefault(t.line, []).append(t)
        for line, anchor in list(self.anchors.items()):
            first = self.rows[line][0].x0
            near = [(d, t) for d in range(-STACKED, STACKED + 1) if d
                    for t in by_line.get(line + d, ())]
            inner = {d > 0 for d, t in near if t.x0 >= anchor.x1 - 1 and t.x1 <= first}
            if len(inner) == 2 or (anchor.size <= STACKED and any(
                    t.size <= STACKED and t.overlaps(anchor) for _, t in near)):
                del self.anchors[line]
        self.lines = sorted(self.rows)
        self.bare = [n for n in self.lines if n not in self.anchors]  # numbers without text
        self.text_lines = {t.line for t in self.fragments}

    def _next_row(self, line: int) -> int | None:
        i = bisect_left(self.lines, line)
        return self.lines[i] if i < len(self.lines) else None

    def _bare_between(self, low: int, high: int) -> list[int]:
        """Lines of numbers alone in [low, high]."""
        return self.bare[bisect_left(self.bare, low):bisect_right(self.bare, high)]

    def _row_of(self, chain: _Chain) -> int | None:
        if chain.anchor is not None:
            return chain.anchor.line
        enclosed = self._bare_between(chain.first, chain.last)
        return enclosed[-1] if enclosed else None

    def _links(self, f: Token, g: Token, chain: _Chain) -> bool:
        """Whether fragment ``f`` continues the chain of ``g``, the fragment above it."""
        if _ENUMERATOR.match(_norm(f.text)) or f.size > g.size + 1:
            return False
        if f.size <= STACKED and g.size <= STACKED and self.anchors.get(f.line) is not f:
            return True  # characters printed one under the other: one word down the page
        row = self._row_of(chain)
        between = self._bare_between(chain.last + 1, f.line - 1)
        if self.anchors.get(f.line) is f:
            return row is None and not between
        if row is None:
            return True
        if between:
            return False
        after = self._next_row(f.line)
        if after is None:  # below the last row: a continuation touches the lines above it
            return all(n in self.text_lines or n in self.rows for n in range(chain.last, f.line))
        up, down = f.line - row, after - f.line
        return up < down or (up == down and f.size < g.size)

    def chains(self) -> list[_Chain]:
        chains: list[_Chain] = []
        chain_of: dict[int, _Chain] = {}
        done: list[Token] = []  # in reading order
        for f in sorted(self.fragments, key=lambda t: (t.line, t.x0)):
            g = None  # the fragment in f's columns on the nearest line above, within reach
            for above in reversed(done):
                if above.line == f.line:
                    continue
                if (g is not None and above.line < g.line) or f.line - above.line > LINK_REACH:
                    break
                if above.overlaps(f) and (g is None or _shared(above, f) > _shared(g, f)):
                    g = above
            chain = chain_of[id(g)] if g is not None else None
            if chain is None or not self._links(f, g, chain):
                chain = _Chain()
                chains.append(chain)
            chain.fragments.append(f)
            if self.anchors.get(f.line) is f:
                chain.anchor = f
            chain_of[id(f)] = chain
            done.append(f)
        return chains

    def assemble(self) -> list[BodyRow]:
        chains = self.chains()
        label: dict[int, list[Token]] = {n: [] for n in self.lines}  # row -> its label fragments
        groups: dict[int, list[Cell]] = {n: [] for n in self.lines}  # row -> group label cells
        owners: dict[int, list[int]] = {}  # chain index -> rows it labels
        by_anchor = {id(c.anchor): k for k, c in enumerate(chains) if c.anchor is not None}
        enclosing = self._enclosing(chains)
        for n in self.lines:
            k = by_anchor[id(self.anchors[n])] if n in self.anchors else enclosing.get(n)
            if k is not None:
                owners.setdefault(k, []).append(n)
        for k, rows in owners.items():
            for f in chains[k].fragments:  # a chain over two rows: each fragment to the nearer
                label[_nearest(rows, f.line)].append(f)
        labelled = [(n, min(t.x0 for t in label[n])) for n in self.lines if label[n]]
        alone: list[BodyRow] = []
        for k, chain in enumerate(chains):
            if k in owners:
                continue
            n = _nearest_right_of(labelled, (chain.first + chain.last) / 2, chain.x0)
            if n is not None:  # a group label: a cell of the row nearest its centre
                groups[n].append(_cell(chain.fragments))
            else:  # a label without numbers
                alone.append(BodyRow(chain.first, chain.fragments[0].page,
                                     [_cell(chain.fragments)]))
        rows = alone + [
            BodyRow(n, self.rows[n][0].page,
                    sorted(groups[n], key=lambda c: c.x0) + ([_cell(label[n])] if label[n] else [])
                    + [_cell([t]) for t in self.rows[n]])
            for n in self.lines]
        return sorted(rows, key=lambda r: r.line)

    def _enclosing(self, chains: list[_Chain]) -> dict[int, int]:
        """The label of each row of numbers alone: the rightmost chain without numbers of its
        own whose lines enclose it, else the nearest such chain between the rows around it; a
        word printed down the page (a group label) only when there is no other."""
        free = [k for k, c in enumerate(chains) if c.anchor is None]
        found: dict[int, int] = {}
        down: dict[int, int] = {}
        for k in free:
            into = down if _stacked(chains[k]) else found
            for n in self._bare_between(chains[k].first, chains[k].last):
                if n not in into or chains[k].x0 > chains[into[n]].x0:
                    into[n] = k
        loose = sorted((chains[k].first, k) for k in free
                       if self._row_of(chains[k]) is None and not _stacked(chains[k]))
        starts = [first for first, _ in loose]
        taken = set(found.values())
        for i, n in enumerate(self.lines):
            if n in self.anchors or n in found:
                continue
            low = self.lines[i - 1] if i else 0
            high = self.lines[i + 1] if i + 1 < len(self.lines) else float("inf")
            near = [k for _, k in loose[bisect_right(starts, low):bisect_left(starts, high)]
                    if chains[k].last < high and k not in taken]
            if near:
                found[n] = min(near, key=lambda k: (
                    min(abs(chains[k].first - n), abs(chains[k].last - n)), -chains[k].x0))
                taken.add(found[n])
            elif n in down:
                found[n] = down[n]
        return found


def _nearest(lines: list[int], line: int) -> int:
    """The line of ``lines`` (sorted) nearest ``line``; the earlier of two as near."""
    i = bisect_left(lines, line)
    if i == len(lines) or (i and line - lines[i - 1] <= lines[i] - line):
        return lines[i - 1]
    return lines[i]


def _stacked(chain: _Chain) -> bool:
    """A word printed one character (or two) per line down the page."""
    return len(chain.fragments) >= 3 and all(f.size <= STACKED for f in chain.fragments)


def _shared(a: Token, b: Token) -> int:
    return min(a.x1, b.x1) - max(a.x0, b.x0)


def _nearest_right_of(labelled: list[tuple[int, int]], centre: float, x0: int) -> int | None:
    """The row (of ``labelled``: line, label column, in line order) nearest ``centre`` whose
    label stands right of ``x0``; the earlier of two as near."""
    i = bisect_left(labelled, (centre, -1))
    before = next((labelled[j][0] for j in range(i - 1, -1, -1) if labelled[j][1] > x0), None)
    after = next((labelled[j][0] for j in range(i, len(labelled)) if labelled[j][1] > x0), None)
    if before is None or after is None:
        return before if after is None else after
    return before if centre - before <= after - centre else after


def body_rows(lines: list[list[Token]]) -> list[BodyRow]:
    """The table's rows below its header (each line its tokens), in the order of the page."""
    return _Body(lines).assemble()
