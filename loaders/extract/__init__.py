"""What a report says of itself, read from its prose: the six sections and their text
(``sections``), the title, agency, year and date weighed from every cue (``cues``, ``metadata``),
the agency's place among the administrative divisions (``places``, with the lists in
``loaders/data/``) and its identity (``agencies``), and the optional ``sources.csv`` manifest of
where each file was published (``sources``). These modules may import ``loaders.model`` and
``loaders.form``, and each other; never the readers, the mapping, the checks or the store."""
