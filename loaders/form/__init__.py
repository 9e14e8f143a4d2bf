"""The national form as data: its two templates (``template``: the keys, Chinese and English
labels and label patterns of every row, column, item and header, the groups the form prints them
under, the six sections; ``keys``: what a key is and how a label is normalized), the headings of its
sections (``headings``: which line of a report heads which section) and the stable codes of the
parse issues (``issues``). Every other stage reads the form from here; this package imports
nothing of the project but itself."""
