"""The national form as data: its two templates (``template``: the keys, Chinese and English
labels and label patterns of every row, column and item, the six sections), the headings of its
sections (``headings``: which line of a report heads which section) and the stable codes of the
parse issues (``issues``). Every other stage reads the form from here; this package imports
nothing of the project but itself."""
