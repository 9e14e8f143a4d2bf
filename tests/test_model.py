"""The pipeline's records (loaders/model.py) where they are written by hand."""

from __future__ import annotations

import dataclasses
import inspect
import pickle

from loaders.model import Cell


def test_cell_init_takes_every_field_in_order_with_its_default():
    """``Cell.__init__`` is written out (no generated one: issue 17), so a field added to the
    class and not to it would never be set; with slots, reading it would raise."""
    fields = dataclasses.fields(Cell)
    params = list(inspect.signature(Cell.__init__).parameters.values())[1:]
    assert [p.name for p in params] == [f.name for f in fields]
    for p, f in zip(params, fields):
        default = inspect.Parameter.empty if f.default is dataclasses.MISSING else f.default
        assert p.default == default, p.name


def test_cell_line_end_defaults_to_its_line_and_the_record_round_trips():
    cell = Cell("12", 7)
    assert (cell.line, cell.line_end, cell.span, cell.x0, cell.x1, cell.joined) == \
        (7, 7, False, None, None, False)
    assert Cell("12", 7, 9).line_end == 9
    full = Cell("1\n2", 3, 4, True, 0.5, 2.0, True)
    assert pickle.loads(pickle.dumps(full)) == full
    assert dataclasses.replace(full, text="x") == Cell("x", 3, 4, True, 0.5, 2.0, True)
    assert not hasattr(full, "__dict__")  # slots: no dict a cell
