"""A random sample of a benchmark corpus (a folder benchmarks/corpus.py wrote: its
manifest.jsonl and reports/), with the command-line options that choose it."""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

DEFAULT_CORPUS = Path(__file__).resolve().parent.parent / "build" / "bench" / "corpus-10000"


def add_options(parser: argparse.ArgumentParser, files: int, seed: int) -> None:
    parser.add_argument("--files", type=int, default=files, help="files in the sample")
    parser.add_argument("--seed", type=int, default=seed, help="the sample's random seed")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS,
                        help="the corpus folder (default: the 10,000 of make bench)")


def sample(args: argparse.Namespace) -> list[dict]:
    """The manifest entries of ``args.files`` files drawn with ``args.seed`` (``file`` is the
    path under ``args.corpus / "reports"``, ``format`` the format)."""
    with open(args.corpus / "manifest.jsonl", encoding="utf-8") as f:
        manifest = [json.loads(line) for line in f]
    return random.Random(args.seed).sample(manifest, min(args.files, len(manifest)))
