"""The fast readers give what the readers before them gave (issue 17): every block, cell, line,
grid position and page metadata of every HTML, Word and text input of tests/reader_outputs.py,
compared with tests/fixtures/speed/<group>_outputs.json, recorded from the old readers.

The one intended change, a cell whose text stands on the lines below its ``<td>`` now ending on
the line of its text, has no instance among these inputs (tests/test_reader_html.py has its own).
Shown to fail: a Word reader that read a run as its last ``<w:t>`` only lost text here.
"""

from __future__ import annotations

import json

import pytest

from reader_outputs import GROUPS, SPEED, outputs


def _first_difference(got, want, where="") -> str | None:
    if type(got) is not type(want) and not (isinstance(got, (int, float))
                                            and isinstance(want, (int, float))):
        return f"{where}: {got!r} != {want!r}"
    if isinstance(got, dict):
        for key in sorted(set(got) | set(want)):
            if key not in got or key not in want:
                return f"{where}.{key}: only in {'new' if key in got else 'old'}"
            if (d := _first_difference(got[key], want[key], f"{where}.{key}")):
                return d
        return None
    if isinstance(got, list):
        for i, (g, w) in enumerate(zip(got, want)):
            if (d := _first_difference(g, w, f"{where}[{i}]")):
                return d
        if len(got) != len(want):
            return f"{where}: {len(got)} items != {len(want)}"
        return None
    return None if got == want else f"{where}: {got!r} != {want!r}"


@pytest.mark.parametrize("group", GROUPS)
def test_reader_gives_what_the_old_reader_gave(group):
    want = json.loads((SPEED / f"{group}_outputs.json").read_text(encoding="utf-8"))
    got = json.loads(json.dumps(outputs(group), ensure_ascii=False))
    # Every recorded input is still read; inputs added since (new samples) have no old output.
    assert not set(want) - set(got), sorted(set(want) - set(got))
    differences = [f"{key}{d}" for key in sorted(want)
                   if (d := _first_difference(got[key], want[key]))]
    assert not differences, "\n".join(differences[:20])
