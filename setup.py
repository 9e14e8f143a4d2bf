"""The compiled parts of the readers and of the search index (issue 17): Cython versions of the
loops that dominate a report's load and the index's segmenting, each beside the pure-Python code
it mirrors, which stays the fallback and the reference (tests compare the two on every input
they have). Project metadata is in pyproject.toml; this file only declares the extensions.

They are optional: where no C compiler is found the package installs without them and the
readers run their Python code, with the same output, only slower. CI requires them
(``OGI_REQUIRE_COMPILED=1`` in .ci/run makes the comparison tests fail when they are missing),
and ``ogi build`` says in its summary which path it took.
"""

from pathlib import Path

from setuptools import Extension, setup

HERE = Path(__file__).resolve().parent


def _extensions() -> list:
    from Cython.Build import cythonize
    import lxml

    # module -> include folders (lxml's: its public C API and libxml2's headers, whose tree the
    # HTML and Word walks read)
    wanted = {
        "loaders.readers._pdfium_c": [],
        "loaders.readers._pdf_tables_c": [],
        "loaders.readers._html_c": lxml.get_include(),
        "loaders.readers._docx_c": lxml.get_include(),
        "loaders.derived._search_c": [],
    }
    found = []
    for name, include in wanted.items():
        source = Path(*name.split(".")).with_suffix(".pyx")
        if (HERE / source).exists():
            found.append(Extension(name, [source.as_posix()], include_dirs=include,
                                   optional=True))
    built = cythonize(found, language_level=3, quiet=True)
    for extension in built:  # (cythonize makes new Extension objects without the flag)
        extension.optional = True
    return built


if __name__ == "__main__":  # (how pip's build runs it; tests/test_compiled.py imports it)
    setup(ext_modules=_extensions())
